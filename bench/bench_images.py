#!/usr/bin/env python
"""Image uploads on a 24-megapixel photo: time and peak memory for each step.

    .venv/bin/python bench/bench_images.py [--runs 3] [--width 6000 --height 4000]

The photo is made here with Pillow (gradients and sensor-like noise, saved as a JPEG at quality 90
with EXIF GPS data, as a phone would), then sent through the real code in articles.images, on a
throwaway SQLite database and MEDIA_ROOT in the temp directory:

  check        open_checked: size, signature, pixel cap, full decode (what the form does)
  upload       image_create: check, clean (EXIF orientation, re-encode), store, 6 renditions
  renditions   renditions_ensure from the stored original: 480/960/1600 wide, WebP and JPEG
  reuse        renditions_ensure again: every rendition exists, nothing is made

Each step runs in a fresh forked process, so its peak memory is its own: "peak RSS" is the
process's high-water mark above where it started (Pillow's pixel buffers live outside Python's
allocator), "Python peak" is tracemalloc's (the upload's bytes, encoded files). Times are medians
over --runs; "per MP" divides by the photo's megapixels.
"""
import argparse
import io
import multiprocessing
import os
import resource
import shutil
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

TMP = Path(tempfile.mkdtemp(prefix="bench-images-"))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ["DJANGO_SETTINGS_MODULE"] = "cms.settings"
os.environ["DATABASE_URL"] = f"sqlite:///{TMP / 'bench.sqlite3'}"
os.environ["MEDIA_ROOT"] = str(TMP / "media")

import django  # noqa: E402

django.setup()

from django.contrib.auth.models import Group, User  # noqa: E402
from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, connections  # noqa: E402
from PIL import ExifTags, ImageChops  # noqa: E402
from PIL import Image as PILImage  # noqa: E402

from articles.images import image_create, open_checked, renditions_ensure  # noqa: E402
from articles.models import Image  # noqa: E402
from reviews.permissions import WRITERS  # noqa: E402


def make_photo(width: int, height: int) -> bytes:
    """Gradients under per-pixel noise: harder to encode than most photos (about 10 MB at 24 MP)."""
    red = PILImage.linear_gradient("L").resize((width, height))
    green = PILImage.radial_gradient("L").resize((width, height))
    grain = [PILImage.effect_noise((width, height), 32) for _ in range(2)]
    photo = PILImage.merge("RGB", (ImageChops.add(red, grain[0], 2.0), ImageChops.add(green, grain[1], 2.0),
                                   ImageChops.add(grain[0], grain[1], 2.0)))
    exif = PILImage.Exif()
    exif[ExifTags.Base.Make] = "BenchCam"
    exif[ExifTags.Base.GPSInfo] = {ExifTags.GPS.GPSLatitudeRef: "N", ExifTags.GPS.GPSLatitude: (51.0, 30.0, 26.0)}
    buffer = io.BytesIO()
    photo.save(buffer, "JPEG", quality=90, exif=exif.tobytes())
    return buffer.getvalue()


def _rss_kib() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") // 1024


def _measured(step, queue) -> None:
    """Run one step in this (forked) process and report time and memory to the parent."""
    connections.close_all()
    start_rss = _rss_kib()
    tracemalloc.start()
    started = time.perf_counter()
    step()
    elapsed = time.perf_counter() - started
    _, python_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    peak_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    queue.put((elapsed, (peak_rss - start_rss) / 1024, python_peak / 1_048_576))


def measure(step, runs: int) -> tuple[float, float, float]:
    context = multiprocessing.get_context("fork")
    results = []
    for _ in range(runs):
        connections.close_all()
        queue = context.Queue()
        process = context.Process(target=_measured, args=(step, queue))
        process.start()
        results.append(queue.get())
        process.join()
        if process.exitcode:
            raise SystemExit(f"{step.__name__} failed (exit {process.exitcode})")
    return tuple(statistics.median(values) for values in zip(*results))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--width", type=int, default=6000)
    parser.add_argument("--height", type=int, default=4000)
    args = parser.parse_args()

    call_command("migrate", verbosity=0)
    writer = User.objects.create_user("bench-writer")
    writer.groups.add(Group.objects.get(name=WRITERS))
    data = make_photo(args.width, args.height)
    megapixels = args.width * args.height / 1_000_000
    print(f"photo: {args.width} x {args.height} ({megapixels:.1f} MP), JPEG q90 with EXIF GPS, "
          f"{len(data) / 1_048_576:.1f} MB; {args.runs} runs; {connection.vendor}; temp dir {TMP}")

    def check():
        open_checked(SimpleUploadedFile("photo.jpg", data))

    def upload():
        image_create(upload=SimpleUploadedFile("photo.jpg", data), by=writer)

    upload()  # the image the rendition steps work on
    image = Image.objects.order_by("-id").first()

    def renditions():
        # Forget this image's renditions (rows and files) so they are made again from the stored original.
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM articles_rendition WHERE image_id = %s", [image.pk])
        for path in (TMP / "media" / "images").glob(f"{image.key}-*"):
            path.unlink()
        renditions_ensure(Image.objects.get(pk=image.pk))

    def reuse():
        renditions_ensure(Image.objects.get(pk=image.pk))

    print(f"{'step':<12}{'time':>10}{'per MP':>12}{'peak RSS':>12}{'Python peak':>14}")
    for step in (check, upload, renditions, reuse):
        elapsed, rss, python_peak = measure(step, args.runs)
        print(f"{step.__name__:<12}{elapsed * 1000:>8.0f} ms{elapsed * 1000 / megapixels:>9.1f} ms"
              f"{rss:>9.0f} MB{python_peak:>11.1f} MB")
    sizes = sorted((r.format, r.width, r.file.size) for r in image.renditions.all())
    print("renditions: " + ", ".join(f"{fmt} {width}w {size / 1024:.0f} KB" for fmt, width, size in sizes))
    shutil.rmtree(TMP, ignore_errors=True)


if __name__ == "__main__":
    main()
