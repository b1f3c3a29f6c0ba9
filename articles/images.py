"""Uploaded images: refused or cleaned before anything is stored, then kept as renditions.

An upload passes, in this order: a byte limit taken from the upload's size (nothing is read
before it), a content signature (JPEG, PNG, WebP or GIF, never judged by the name), a pixel cap
read from the header (before any pixel is decoded), and a full decode, so a truncated or corrupt
file is refused. What is stored is re-encoded from the decoded pixels after EXIF orientation is
applied, under a random name with a fixed extension: no metadata (EXIF GPS included), polyglot
tail or name chosen by the uploader survives. Renditions are made once, at fixed widths, and
reused; no size is ever taken from a request.

Each upload is decoded once: a form or view checks it first (check_upload, check_uploads), which
keeps the decoded image on the upload, and image_create then cleans and stores that image rather
than decoding the file again.
"""
import io
import re
import secrets
import struct
import warnings
import zlib
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from PIL import Image as PILImage
from PIL import ImageOps

from .models import Image, Rendition

IMAGE_DIR = "images"
RENDITION_WIDTHS = (480, 960, 1600)
# WebP cannot encode a side longer than 16,383 pixels; a cleaned original keeps its full size.
MAX_SIDE = 16_000
DEFAULT_MAX_UPLOAD_BYTES = 20 * 1024 * 1024
DEFAULT_MAX_PIXELS = 40_000_000
MAX_FILES_PER_REQUEST = 10
EXTENSIONS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "GIF": "gif"}
ACCEPTED = "JPEG, PNG, WebP or GIF"

# Pillow only warns about a possible decompression bomb below twice MAX_IMAGE_PIXELS; here the
# warning is an error. open_checked also refuses past Pillow's limit itself, so the refusal does
# not depend on the process's warning filters.
warnings.filterwarnings("error", category=PILImage.DecompressionBombWarning)

# What a broken or hostile file makes Pillow raise while reading its header or decoding it.
_DECODE_ERRORS = (OSError, SyntaxError, ValueError, EOFError, IndexError, TypeError, KeyError,
                  struct.error, zlib.error)
_CONTROL_RE = re.compile(r"[\x00-\x1f\x7f]+")


def max_upload_bytes() -> int:
    return getattr(settings, "IMAGE_MAX_UPLOAD_BYTES", DEFAULT_MAX_UPLOAD_BYTES)


def max_pixels() -> int:
    return getattr(settings, "IMAGE_MAX_PIXELS", DEFAULT_MAX_PIXELS)


def file_label(name: str) -> str:
    """The uploader's file name as a label only: no directories, no control characters."""
    label = _CONTROL_RE.sub("", (name or "").replace("\\", "/").rsplit("/", 1)[-1]).strip()
    return label[-255:] or "image"


def sniff(head: bytes) -> str | None:
    """The image format the first bytes announce, or None for anything not accepted."""
    if head.startswith(b"\xff\xd8\xff"):
        return "JPEG"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "PNG"
    if head.startswith((b"GIF87a", b"GIF89a")):
        return "GIF"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "WEBP"
    return None


def _refusal_for_unknown(label: str, head: bytes) -> ValidationError:
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if text.startswith((b"<svg", b"<?xml", b"<!doctype svg", b"<!--")) or b"<svg" in head.lower():
        message = (f'"{label}" is an SVG drawing. SVG files can carry scripts, so they are not '
                   "accepted: export it as PNG.")
    elif head.startswith((b"%!PS", b"\xc5\xd0\xd3\xc6")):
        message = f'"{label}" is PostScript (EPS), which is not accepted: export it as PNG or JPEG.'
    elif head[4:12] in (b"ftypheic", b"ftypheix", b"ftypmif1", b"ftypavif"):
        message = f'"{label}" is a HEIC or AVIF photo, which is not accepted: export it as JPEG.'
    else:
        message = (f'"{label}" is not a {ACCEPTED} image. The type is judged by the file\'s '
                   "content, not its name.")
    return ValidationError(message, code="image_type")


def _pixel_refusal(label: str, width: int | None = None, height: int | None = None,
                   pixels: int | None = None) -> ValidationError:
    cap = max_pixels() / 1_000_000
    if width and height:
        detail = f"{width:,} × {height:,} pixels ({width * height / 1_000_000:.1f} megapixels)"
    elif pixels:
        detail = f"{pixels:,} pixels ({pixels / 1_000_000:.1f} megapixels)"
    else:
        detail = "larger than the pixel limit"
    return ValidationError(f'"{label}" is {detail}; the limit is {cap:g} megapixels. Resize it and '
                           "upload it again.", code="image_pixels")


@dataclass
class DecodedImage:
    """An upload that passed every check: its first frame, fully decoded, and its format."""

    pixels: PILImage.Image
    format: str
    label: str


def open_checked(upload) -> DecodedImage:
    """Check an upload and decode it whole; raises ValidationError with a sentence for a person."""
    label = file_label(getattr(upload, "name", ""))
    size = upload.size
    if not size:
        raise ValidationError(f'"{label}" is empty (0 bytes).', code="image_empty")
    limit = max_upload_bytes()
    if size > limit:
        raise ValidationError(f'"{label}" is {size / 1_048_576:.1f} MB; the limit is '
                              f"{limit / 1_048_576:g} MB.", code="image_too_large")
    upload.seek(0)
    head = upload.read(32)
    fmt = sniff(head)
    if fmt is None:
        raise _refusal_for_unknown(label, head)
    upload.seek(0)
    # Read into memory (at most the limit, in case the stated size was wrong): Pillow closes the
    # file it reads from, and the same upload is read again when it is stored.
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise ValidationError(f'"{label}" is larger than the limit of {limit / 1_048_576:g} MB.',
                              code="image_too_large")
    try:
        image = PILImage.open(io.BytesIO(data), formats=[fmt])
        width, height = image.size
        pillow_limit = PILImage.MAX_IMAGE_PIXELS or float("inf")
        if width * height > min(max_pixels(), pillow_limit):
            raise _pixel_refusal(label, width, height)
        if max(width, height) > MAX_SIDE:
            raise ValidationError(f'"{label}" is {width:,} × {height:,} pixels; no side may be longer '
                                  f"than {MAX_SIDE:,} pixels.", code="image_pixels")
        # Decoding every pixel of the first frame is what refuses a truncated or corrupt file.
        image.load()
    except (PILImage.DecompressionBombError, PILImage.DecompressionBombWarning) as exc:
        # Pillow refuses inside open(), before the size is returned; its message holds the count.
        count = re.search(r"\((\d+) pixels\)", str(exc))
        raise _pixel_refusal(label, pixels=int(count.group(1)) if count else None) from None
    except _DECODE_ERRORS:
        raise ValidationError(f'"{label}" could not be read as a whole {fmt} image: the file is '
                              "truncated or damaged.", code="image_corrupt") from None
    return DecodedImage(image, fmt, label)


# Where a check leaves the decoded image for image_create: on the upload object itself, which
# lives as long as the request that posted it.
_CHECKED_ATTR = "_articles_checked_image"


def _keep_checked(upload, decoded: DecodedImage) -> None:
    setattr(upload, _CHECKED_ATTR, decoded)


def _take_checked(upload) -> DecodedImage | None:
    """The decoded image a check kept on this upload, handed over once (and no longer kept)."""
    decoded = getattr(upload, _CHECKED_ATTR, None)
    if decoded is not None:
        delattr(upload, _CHECKED_ATTR)
    return decoded


def check_upload(upload) -> None:
    """Refuse the upload with a ValidationError, or return having kept its decoded image on it,
    for image_create to store without decoding the file a second time."""
    _keep_checked(upload, open_checked(upload))


def check_uploads(uploads) -> list[str]:
    """Every refusal for several files posted together, one message per refused file.

    When all pass, their decoded images are kept for image_create, up to one upload's worth of
    pixels in all (max_pixels): a single upload, which is what the editor and the lead-image field
    send, is always kept, while a batch of ten large photos holds no more memory than one would;
    the rest are decoded again when stored.
    """
    if len(uploads) > MAX_FILES_PER_REQUEST:
        return [f"Upload at most {MAX_FILES_PER_REQUEST} images at a time; {len(uploads)} were sent."]
    errors, kept, room = [], [], max_pixels()
    for upload in uploads:
        try:
            decoded = open_checked(upload)
        except ValidationError as exc:
            errors.extend(exc.messages)
            continue
        width, height = decoded.pixels.size
        if width * height <= room:
            room -= width * height
            _keep_checked(upload, decoded)
            kept.append(upload)
        else:
            decoded.pixels.close()
    if errors:  # nothing of the batch is stored: let go of what was kept
        for upload in kept:
            _take_checked(upload).pixels.close()
    return errors


def _normal_mode(image: PILImage.Image, fmt: str) -> str:
    has_alpha = image.mode in ("RGBA", "LA", "PA", "RGBa", "La") or "transparency" in image.info
    if fmt == "JPEG":
        return "L" if image.mode in ("L", "1") else "RGB"
    if has_alpha:
        return "RGBA"
    return "L" if fmt == "PNG" and image.mode in ("L", "1") else "RGB"


def clean_pixels(decoded: DecodedImage) -> PILImage.Image:
    """The decoded pixels only, upright, with no metadata at all. Consumes decoded.pixels.

    Turned in place and converted only when the mode must change, so a 24-megapixel photo is not
    copied twice; what is kept of the decoded image is its pixels, never its metadata.
    """
    image = decoded.pixels
    try:
        ImageOps.exif_transpose(image, in_place=True)
    except _DECODE_ERRORS:
        # Unreadable EXIF: the orientation is unknown, and the metadata is dropped below anyway.
        pass
    if image.mode.startswith("I"):
        # 16-bit greyscale (scans, some PNG exports) scaled into 8 bits, not clipped to white.
        image = image.convert("I").point(lambda value: value / 256).convert("L")
    mode = _normal_mode(image, decoded.format)
    clean = image if image.mode == mode else image.convert(mode)
    # Encoders take EXIF, ICC profiles, XMP, text chunks and comments from .info (and from their
    # own arguments, which encode() never fills): emptied, nothing but pixels is written.
    clean.info = {}
    return clean


def encode(image: PILImage.Image, fmt: str, *, original: bool = False) -> bytes:
    """The image encoded by the project's fixed settings for that format."""
    buffer = io.BytesIO()
    if fmt == "JPEG":
        image = image if image.mode in ("RGB", "L") else image.convert("RGB")
        # Progressive encoding of a 24-megapixel original takes about 1 s (0.1 s baseline); readers
        # only ever get renditions, which are small and progressive.
        image.save(buffer, "JPEG", quality=90 if original else 82, optimize=not original,
                   progressive=not original)
    elif fmt == "WEBP":
        image = image if image.mode in ("RGB", "RGBA") else image.convert("RGBA" if "A" in image.mode else "RGB")
        image.save(buffer, "WEBP", quality=90 if original else 80, method=4)
    elif fmt == "PNG":
        image.save(buffer, "PNG", compress_level=6)
    elif fmt == "GIF":
        image.save(buffer, "GIF")
    else:
        raise ValueError(f"No encoder for {fmt}.")
    return buffer.getvalue()


def rendition_specs(image: Image) -> list[tuple[int, str]]:
    """(width, format) of every rendition: fixed widths, never wider than the image itself."""
    widths = sorted({min(width, image.width) for width in RENDITION_WIDTHS})
    formats = ["WEBP"] if image.format == "WEBP" else ["WEBP", image.format]
    return [(width, fmt) for fmt in formats for width in widths]


def _scaled_height(image: Image, width: int) -> int:
    return max(1, round(image.height * width / image.width))


def _open_stored(image: Image, width: int) -> PILImage.Image:
    """The stored original, decoded no larger than needed for renditions up to `width` wide."""
    with default_storage.open(image.file.name, "rb") as stored:
        source = PILImage.open(io.BytesIO(stored.read()), formats=[image.format])
    if image.format == "JPEG":
        # libjpeg decodes at 1/2, 1/4 or 1/8 scale directly: faster, and a fraction of the memory.
        source.draft(source.mode, (width, _scaled_height(image, width)))
    source.load()
    return source


def renditions_ensure(image: Image, *, source: PILImage.Image | None = None) -> list[Rendition]:
    """Every rendition of the image, making only the ones that do not exist yet.

    `source` is the cleaned original when the caller still holds it (at upload), which saves
    decoding the stored file again.
    """
    existing = {(r.width, r.format): r for r in image.renditions.all()}
    missing = [spec for spec in rendition_specs(image) if spec not in existing]
    if not missing:
        return sorted(existing.values(), key=lambda r: (r.format, r.width))
    current = source if source is not None else _open_stored(image, max(width for width, _ in missing))
    # Largest first, each made from the one before: a 24-megapixel photo is resampled once.
    for width in sorted({width for width, _ in missing}, reverse=True):
        if width != current.width:
            current = current.resize((width, _scaled_height(image, width)), PILImage.Resampling.LANCZOS,
                                     reducing_gap=2.0)
        for fmt in [fmt for w, fmt in missing if w == width]:
            existing[(width, fmt)] = _rendition_store(image, current, width, fmt)
    return sorted(existing.values(), key=lambda r: (r.format, r.width))


def _rendition_store(image: Image, pixels: PILImage.Image, width: int, fmt: str) -> Rendition:
    name = default_storage.save(f"{IMAGE_DIR}/{image.key}-{width}w.{EXTENSIONS[fmt]}",
                                ContentFile(encode(pixels, fmt)))
    try:
        with transaction.atomic():
            return Rendition.objects.create(image=image, width=width, height=pixels.height, format=fmt, file=name)
    except IntegrityError:
        # Made at the same moment by another request: keep theirs.
        default_storage.delete(name)
        return Rendition.objects.get(image=image, width=width, format=fmt)


@transaction.atomic
def image_create(*, upload, by, article=None, alt_text: str = "", caption: str = "", credit: str = "") -> Image:
    """Check, clean and store one upload with its renditions. Refusals raise ValidationError.

    The decoded image comes from open_checked either way: the one check_upload(s) kept on this
    same upload object, or else decoded here. So nothing is ever stored that did not pass it, and
    no upload is decoded twice. Who may upload is the lifecycle's question, asked by the caller.
    """
    decoded = _take_checked(upload) or open_checked(upload)
    pixels = clean_pixels(decoded)
    key = secrets.token_hex(16)
    name = default_storage.save(f"{IMAGE_DIR}/{key}.{EXTENSIONS[decoded.format]}",
                                ContentFile(encode(pixels, decoded.format, original=True)))
    try:
        image = Image(
            key=key, file=name, format=decoded.format, width=pixels.width, height=pixels.height,
            byte_size=default_storage.size(name), original_name=decoded.label,
            alt_text=" ".join(alt_text.split()), caption=caption.strip(), credit=credit.strip(),
            uploaded_by=by, article=article,
        )
        image.full_clean()
        image.save()
        renditions_ensure(image, source=pixels)
    except BaseException:
        default_storage.delete(name)
        raise
    return image
