"""An upload is decoded once: the check a form or view makes before storing (check_upload,
check_uploads) keeps the decoded image, and image_create stores that image instead of decoding the
file again, with every check and every cleaning step still applied.

A decode is counted where Pillow makes a decoder for the pixels (PIL.Image._getdecoder, which
ImageFile.load calls once per tile; the files here have one tile)."""
import io
import statistics
import time
from contextlib import contextmanager
from unittest import mock

from django.urls import reverse
from PIL import ExifTags, ImageChops
from PIL import Image as PILImage

from articles.images import _take_checked, check_upload, check_uploads, image_create
from tests.factories import image_bytes, make_writer, upload

from .test_images import gps_jpeg, open_stored


@contextmanager
def counting_decodes():
    """Yields a list that gets one entry per decoder Pillow makes while the block runs."""
    made = []
    real = PILImage._getdecoder

    def spy(mode, decoder_name, *args, **kwargs):
        made.append(decoder_name)
        return real(mode, decoder_name, *args, **kwargs)

    with mock.patch("PIL.Image._getdecoder", side_effect=spy):
        yield made


def test_an_upload_checked_then_stored_is_decoded_once(_media_in_tmp):
    photo = upload(image_bytes("JPEG", (1200, 800)), "photo.jpg")

    with counting_decodes() as decodes:
        assert check_uploads([photo]) == []
        image = image_create(upload=photo, by=make_writer())

    assert decodes == ["jpeg"]
    assert image.renditions.count() == 6  # made from the same decoded pixels


def test_an_upload_stored_without_a_check_is_decoded_once(_media_in_tmp):
    with counting_decodes() as decodes:
        image_create(upload=upload(image_bytes("PNG", (640, 480)), "chart.png"), by=make_writer())

    assert decodes == ["zip"]


def test_the_editors_upload_decodes_each_file_once(client, _media_in_tmp):
    client.force_login(make_writer())

    with counting_decodes() as decodes:
        response = client.post(reverse("desk:image_upload"),
                               {"file": upload(image_bytes("JPEG", (1200, 800)), "photo.jpg")})

    assert response.status_code == 201, response.content
    assert decodes == ["jpeg"]


def test_a_kept_image_is_still_turned_upright_and_stripped_of_its_metadata(_media_in_tmp):
    turned = upload(gps_jpeg(orientation=6, size=(200, 100)), "turned.jpg")
    check_upload(turned)

    image = image_create(upload=turned, by=make_writer())

    assert (image.width, image.height) == (100, 200)
    for field_file in [image.file, *(r.file for r in image.renditions.all())]:
        stored = open_stored(field_file)
        assert not stored.getexif(), field_file.name
        assert not {"exif", "xmp", "icc_profile", "comment"} & set(stored.info), field_file.name


def test_a_batch_keeps_no_more_decoded_pixels_than_one_upload_may_have(settings, _media_in_tmp):
    settings.IMAGE_MAX_PIXELS = 2 * 64 * 48  # room for two of the three
    photos = [upload(image_bytes("JPEG", (64, 48)), f"photo{n}.jpg") for n in range(3)]

    with counting_decodes() as decodes:
        assert check_uploads(photos) == []
        for photo in photos:
            image_create(upload=photo, by=make_writer())

    assert len(decodes) == 4  # three checks, and the third decoded again when stored


def test_a_refused_batch_keeps_nothing_decoded():
    good, bad = upload(image_bytes("JPEG", (64, 48)), "good.jpg"), upload(b"<svg><script/></svg>", "bad.png")

    assert check_uploads([good, bad])
    assert _take_checked(good) is None


def _photo(width: int, height: int) -> bytes:
    """Gradients under per-pixel noise, as bench/bench_images.py makes: about 11 MB at 24 MP."""
    red = PILImage.linear_gradient("L").resize((width, height))
    green = PILImage.radial_gradient("L").resize((width, height))
    grain = [PILImage.effect_noise((width, height), 32) for _ in range(2)]
    photo = PILImage.merge("RGB", (ImageChops.add(red, grain[0], 2.0), ImageChops.add(green, grain[1], 2.0),
                                   grain[0]))
    exif = PILImage.Exif()
    exif[ExifTags.Base.Make] = "PhoneMaker"
    buffer = io.BytesIO()
    photo.save(buffer, "JPEG", quality=90, exif=exif.tobytes())
    return buffer.getvalue()


def test_a_24_megapixel_photo_checked_and_stored_is_decoded_once(capsys, _media_in_tmp):
    """Prints the time of a check and a store of one 6000 x 4000 JPEG, as a form or the editor
    makes them: before (the check's decoded image thrown away, the file decoded again to store
    it) and now (the check's image stored). The decodes are asserted; the times, which depend on
    the machine, are only shown."""
    data, writer = _photo(6000, 4000), make_writer()

    def check_and_store(reuse: bool) -> tuple[float, int]:
        checked, stored = upload(data), upload(data)
        with counting_decodes() as decodes:
            started = time.perf_counter()
            assert check_uploads([checked]) == []
            image_create(upload=checked if reuse else stored, by=writer)
            elapsed = time.perf_counter() - started
        _take_checked(checked)  # the unused one, when not reused
        return elapsed, len(decodes)

    runs = {"before": [], "now": []}
    for _ in range(3):  # interleaved, so a busy machine slows both alike
        for name, reuse in (("before", False), ("now", True)):
            elapsed, decodes = check_and_store(reuse)
            runs[name].append(elapsed)
            assert decodes == (1 if reuse else 2)

    before, now = statistics.median(runs["before"]), statistics.median(runs["now"])
    with capsys.disabled():
        print(f"\n6000 x 4000 JPEG ({len(data) / 1_048_576:.1f} MB), check and store, median of 3: "
              f"before {before:.2f} s (2 decodes), now {now:.2f} s (1 decode), {before - now:.2f} s saved")
