"""Image uploads: every hostile file is refused or cleaned before anything is stored.

Each hostile case is made with Pillow here; nothing is read from disk.
"""
import io
import re

import pytest
from django.core.exceptions import ValidationError
from PIL import ExifTags
from PIL import Image as PILImage

from articles.images import (
    check_upload,
    file_label,
    image_create,
    open_checked,
    renditions_ensure,
)
from articles.models import Image, Rendition
from tests.factories import image_bytes, make_image, make_writer, upload

STORED_NAME = re.compile(r"^images/[0-9a-f]{32}(-\d+w)?\.(jpg|png|webp|gif)$")


def stored_files(media_root) -> list:
    return sorted(path for path in media_root.rglob("*") if path.is_file()) if media_root.exists() else []


def refusal(data: bytes, name: str) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        check_upload(upload(data, name))
    return caught.value


def open_stored(field_file) -> PILImage.Image:
    with field_file.open("rb") as stored:
        picture = PILImage.open(io.BytesIO(stored.read()))
        picture.load()
    return picture


# --- Refused before anything is stored ---

def png(picture: PILImage.Image) -> bytes:
    buffer = io.BytesIO()
    picture.save(buffer, "PNG")
    return buffer.getvalue()


@pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")
def test_a_png_that_declares_100_megapixels_is_refused_before_its_pixels_are_decoded(_media_in_tmp):
    bomb = png(PILImage.new("1", (10_000, 10_000)))
    assert len(bomb) < 20_000  # a few kilobytes that would decode to 100 million pixels

    with pytest.raises(ValidationError) as caught:
        image_create(upload=upload(bomb, "bomb.png"), by=make_writer())

    assert caught.value.code == "image_pixels"
    assert caught.value.messages[0].startswith('"bomb.png" is ')
    assert "(100.0 megapixels); the limit is 40 megapixels. Resize it" in caught.value.messages[0]
    assert not Image.objects.exists()
    assert stored_files(_media_in_tmp) == []


def test_the_project_pixel_cap_is_lower_than_pillows_bomb_limit():
    over_cap = png(PILImage.new("1", (8_000, 5_001)))  # 40.008 megapixels

    error = refusal(over_cap, "wide.png")

    assert error.code == "image_pixels"
    assert "8,000 × 5,001 pixels (40.0 megapixels); the limit is 40 megapixels" in error.messages[0]


# articles.images turns the warning into an error for the whole process; pytest resets warning
# filters per test, so the marker sets it again here.
@pytest.mark.filterwarnings("error::PIL.Image.DecompressionBombWarning")
def test_pillows_bomb_warning_refuses_even_when_the_project_cap_is_higher(settings, monkeypatch):
    settings.IMAGE_MAX_PIXELS = 10**9
    monkeypatch.setattr(PILImage, "MAX_IMAGE_PIXELS", 1_000)
    # 1,600 pixels: over Pillow's limit, under twice it, where Pillow itself only warns.
    error = refusal(image_bytes("PNG", size=(40, 40)), "warned.png")

    assert error.code == "image_pixels"
    assert error.messages[0].startswith('"warned.png" is 1,600 pixels (0.0 megapixels)')


@pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")
def test_pillows_bomb_limit_refuses_even_when_its_warning_is_not_an_error(settings, monkeypatch):
    settings.IMAGE_MAX_PIXELS = 10**9
    monkeypatch.setattr(PILImage, "MAX_IMAGE_PIXELS", 1_000)

    error = refusal(image_bytes("PNG", size=(40, 40)), "warned.png")

    assert "40 × 40 pixels" in error.messages[0]


def test_a_truncated_jpeg_is_refused():
    whole = image_bytes("JPEG", size=(400, 300), quality=95)

    error = refusal(whole[: len(whole) * 6 // 10], "cut-off.jpg")

    assert error.code == "image_corrupt"
    assert error.messages == ['"cut-off.jpg" could not be read as a whole JPEG image: the file is truncated '
                              "or damaged."]


def test_an_svg_with_a_script_is_refused_whatever_its_name():
    svg = (b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
           b'<script>alert(document.cookie)</script><rect width="10" height="10"/></svg>')

    for name in ("diagram.svg", "diagram.png"):
        error = refusal(svg, name)
        assert error.code == "image_type"
        assert "is an SVG drawing" in error.messages[0] and "not accepted" in error.messages[0]


def test_eps_and_other_formats_are_refused_by_their_content():
    eps = b"%!PS-Adobe-3.0 EPSF-3.0\n%%BoundingBox: 0 0 10 10\nshowpage\n"
    assert "PostScript (EPS)" in refusal(eps, "figure.eps").messages[0]
    for fmt, name in (("BMP", "scan.bmp"), ("TIFF", "scan.jpg"), ("PDF", "page.png")):
        error = refusal(image_bytes(fmt, size=(10, 10)), name)
        assert error.messages == [f'"{name}" is not a JPEG, PNG, WebP or GIF image. The type is judged by '
                                  "the file's content, not its name."]


def test_a_php_script_named_like_a_jpeg_is_refused():
    assert refusal(b"<?php system($_GET['c']); ?>", "x.php.jpg").code == "image_type"


def test_a_zero_byte_file_is_refused():
    error = refusal(b"", "empty.jpg")

    assert error.code == "image_empty"
    assert error.messages == ['"empty.jpg" is empty (0 bytes).']


class NeverRead:
    """An upload that fails the test if anything reads it."""

    name = "huge.jpg"
    size = 20 * 1024 * 1024 + 1

    def read(self, *args):
        raise AssertionError("the file was read before its size was checked")

    seek = read


def test_the_byte_limit_is_checked_from_the_uploads_size_before_reading_it():
    with pytest.raises(ValidationError) as caught:
        check_upload(NeverRead())

    assert caught.value.code == "image_too_large"
    assert caught.value.messages == ['"huge.jpg" is 20.0 MB; the limit is 20 MB.']


# --- The limits, exactly ---

def test_a_one_by_one_image_is_accepted_and_never_scaled_up(_media_in_tmp):
    image = make_image(fmt="PNG", size=(1, 1))

    assert (image.width, image.height) == (1, 1)
    assert sorted((r.format, r.width, r.height) for r in image.renditions.all()) == [("PNG", 1, 1), ("WEBP", 1, 1)]


def test_an_upload_of_exactly_the_byte_limit_is_accepted_and_one_byte_less_of_limit_refuses_it(settings):
    data = image_bytes("PNG", size=(1, 1))
    settings.IMAGE_MAX_UPLOAD_BYTES = len(data)
    check_upload(upload(data, "exact.png"))

    settings.IMAGE_MAX_UPLOAD_BYTES = len(data) - 1
    assert refusal(data, "exact.png").code == "image_too_large"


def test_an_image_of_exactly_the_pixel_cap_is_accepted_and_one_pixel_over_is_refused(settings):
    data = image_bytes("PNG", size=(100, 50))
    settings.IMAGE_MAX_PIXELS = 5_000
    check_upload(upload(data, "exact.png"))

    settings.IMAGE_MAX_PIXELS = 4_999
    assert refusal(data, "exact.png").code == "image_pixels"


def test_a_side_longer_than_webp_can_encode_is_refused():
    error = refusal(png(PILImage.new("1", (16_001, 1))), "strip.png")

    assert "no side may be longer than 16,000 pixels" in error.messages[0]


# --- Cleaned: re-encoded from pixels, upright, without metadata, under a random name ---

def test_a_gif_with_a_script_tail_is_stored_without_the_tail(_media_in_tmp):
    polyglot = image_bytes("GIF", size=(32, 32), mode="P") + b"<script>alert('polyglot')</script>"
    check_upload(upload(polyglot, "anim.gif"))  # a valid GIF: accepted, then cleaned

    image = image_create(upload=upload(polyglot, "anim.gif"), by=make_writer())

    assert image.format == "GIF"
    for path in stored_files(_media_in_tmp):
        assert b"<script" not in path.read_bytes(), path.name


def gps_jpeg(orientation: int | None = None, size=(200, 100)) -> bytes:
    exif = PILImage.Exif()
    exif[ExifTags.Base.Make] = "PhoneMaker"
    exif[ExifTags.Base.GPSInfo] = {
        ExifTags.GPS.GPSLatitudeRef: "N", ExifTags.GPS.GPSLatitude: (51.0, 30.0, 26.0),
        ExifTags.GPS.GPSLongitudeRef: "W", ExifTags.GPS.GPSLongitude: (0.0, 7.0, 39.0),
    }
    if orientation:
        exif[ExifTags.Base.Orientation] = orientation
    return image_bytes("JPEG", size=size, exif=exif.tobytes())


def test_gps_exif_is_removed_from_the_stored_image_and_every_rendition(_media_in_tmp):
    data = gps_jpeg()
    assert PILImage.open(io.BytesIO(data)).getexif().get_ifd(ExifTags.IFD.GPSInfo)  # the input has a location

    image = image_create(upload=upload(data, "holiday.jpg"), by=make_writer())

    files = [image.file, *(r.file for r in image.renditions.all())]
    assert len(files) == 3
    for field_file in files:
        stored = open_stored(field_file)
        assert not stored.getexif(), field_file.name
        assert not {"exif", "xmp", "icc_profile", "comment"} & set(stored.info), field_file.name
    for path in stored_files(_media_in_tmp):
        assert b"PhoneMaker" not in path.read_bytes() and b"Exif" not in path.read_bytes()


def test_a_pngs_colour_profile_text_and_exif_chunks_are_dropped(_media_in_tmp):
    from PIL import ImageCms, PngImagePlugin

    text = PngImagePlugin.PngInfo()
    text.add_text("Author", "Dr Secret, 12 Private Road")
    profile = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    data = image_bytes("PNG", size=(40, 30), pnginfo=text, icc_profile=profile, exif=PILImage.Exif().tobytes())
    assert {"Author", "icc_profile"} <= set(PILImage.open(io.BytesIO(data)).info)

    image = image_create(upload=upload(data, "chart.png"), by=make_writer())

    for field_file in [image.file, *(r.file for r in image.renditions.all())]:
        assert not {"Author", "icc_profile", "exif"} & set(open_stored(field_file).info), field_file.name
    for path in stored_files(_media_in_tmp):
        assert b"Dr Secret" not in path.read_bytes()


def test_exif_orientation_is_applied_before_the_metadata_is_dropped():
    # Orientation 6: the camera was turned a quarter; the picture is stored on its side.
    image = image_create(upload=upload(gps_jpeg(orientation=6, size=(200, 100)), "turned.jpg"), by=make_writer())

    assert (image.width, image.height) == (100, 200)
    assert open_stored(image.file).size == (100, 200)


def test_a_file_named_with_a_path_is_stored_under_a_random_name_inside_media(_media_in_tmp):
    assert file_label("../../x.php.jpg") == "x.php.jpg"
    assert file_label("..\\..\\evil\x00.jpg") == "evil.jpg"

    class PathName:
        """An upload whose name still holds the path (Django's own uploads strip it)."""

        def __init__(self, data):
            self.file, self.name, self.size = io.BytesIO(data), "../../x.php.jpg", len(data)

        def read(self, *args):
            return self.file.read(*args)

        def seek(self, *args):
            return self.file.seek(*args)

    image = image_create(upload=PathName(image_bytes("JPEG")), by=make_writer())

    assert image.original_name == "x.php.jpg"
    assert STORED_NAME.match(image.file.name)
    assert all(STORED_NAME.match(r.file.name) for r in image.renditions.all())
    assert all(path.is_relative_to(_media_in_tmp / "images") for path in stored_files(_media_in_tmp))
    assert not any("php" in path.name for path in stored_files(_media_in_tmp))


def test_two_uploads_of_the_same_file_get_different_names():
    first, second = make_image(name="same.jpg"), make_image(name="same.jpg")

    assert first.key != second.key and first.file.name != second.file.name


def test_the_stored_original_keeps_its_format_and_is_re_encoded():
    data = image_bytes("PNG", size=(50, 40), mode="RGBA")
    image = image_create(upload=upload(data, "diagram.png"), by=make_writer())

    stored = open_stored(image.file)
    assert (stored.format, stored.mode, stored.size) == ("PNG", "RGBA", (50, 40))
    assert image.file.name.endswith(".png")


def test_a_16_bit_greyscale_png_is_scaled_into_8_bits_rather_than_clipped_to_white():
    scan = PILImage.linear_gradient("L").resize((64, 32)).convert("I").point(lambda v: v * 256).convert("I;16")
    buffer = io.BytesIO()
    scan.save(buffer, "PNG")

    image = image_create(upload=upload(buffer.getvalue(), "scan.png"), by=make_writer())

    stored = open_stored(image.file)
    assert stored.mode == "L"
    assert stored.getextrema()[0] < 10 and stored.getextrema()[1] > 245


def test_open_checked_decodes_the_whole_first_frame():
    decoded = open_checked(upload(image_bytes("WEBP", size=(30, 20)), "photo.webp"))

    assert decoded.format == "WEBP"
    assert decoded.pixels.getpixel((29, 19)) is not None


# --- Renditions ---

def test_renditions_are_480_960_and_1600_wide_in_webp_and_the_original_format():
    image = make_image(fmt="JPEG", size=(2000, 1000))

    assert sorted((r.format, r.width, r.height) for r in image.renditions.all()) == [
        ("JPEG", 480, 240), ("JPEG", 960, 480), ("JPEG", 1600, 800),
        ("WEBP", 480, 240), ("WEBP", 960, 480), ("WEBP", 1600, 800),
    ]
    for rendition in image.renditions.all():
        assert open_stored(rendition.file).size == (rendition.width, rendition.height)
        assert open_stored(rendition.file).format == rendition.format


def test_renditions_are_never_wider_than_the_image():
    image = make_image(fmt="PNG", size=(700, 350))

    assert sorted({r.width for r in image.renditions.all()}) == [480, 700]


def test_a_webp_image_has_webp_renditions_only():
    image = make_image(fmt="WEBP", size=(1000, 500))

    assert {r.format for r in image.renditions.all()} == {"WEBP"}


def test_renditions_are_generated_once_and_reused(_media_in_tmp):
    image = make_image(size=(1000, 600))
    before = {r.pk for r in image.renditions.all()}
    files = {path: path.stat().st_mtime_ns for path in stored_files(_media_in_tmp)}

    again = renditions_ensure(Image.objects.get(pk=image.pk))

    assert {r.pk for r in again} == before
    assert {path: path.stat().st_mtime_ns for path in stored_files(_media_in_tmp)} == files
    assert Rendition.objects.count() == len(before) == 6


def test_a_missing_rendition_is_made_from_the_stored_original_and_the_rest_are_kept(_media_in_tmp):
    image = make_image(size=(1000, 600))
    kept = {r.pk for r in image.renditions.exclude(width=480, format="WEBP")}
    # Simulate a rendition that was never made (a crash between two saves).
    from django.db import connection
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM articles_rendition WHERE image_id = %s AND width = 480 AND format = 'WEBP'",
                       [image.pk])

    renditions = renditions_ensure(Image.objects.get(pk=image.pk))

    assert len(renditions) == 6
    assert kept < {r.pk for r in renditions}


def test_stored_images_are_never_edited():
    image = make_image()
    image.alt_text = "changed later"

    with pytest.raises(ValidationError):
        image.save()
