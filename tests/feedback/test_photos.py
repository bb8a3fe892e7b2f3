"""Photo checks: by content, size and pixels; stored copies carry no metadata."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from PIL.PngImagePlugin import PngInfo

from feedback.intake.photos import MAX_PHOTO_BYTES, clean_photo

from .conftest import make_image


def upload(data, name="photo.jpg"):
    return SimpleUploadedFile(name, data, content_type="image/jpeg")


def gps_exif():
    exif = Image.Exif()
    gps = {1: "N", 2: (39.0, 55.0, 12.0), 3: "E", 4: (116.0, 27.0, 0.0)}
    exif[0x8825] = gps  # GPSInfo
    exif[0x010F] = "PhoneMaker"  # Make
    return exif


def test_jpeg_with_gps_is_stored_without_it():
    """A JPEG with GPS and camera EXIF comes back re-encoded with no EXIF at all."""
    original = make_image(exif=gps_exif())
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(0x8825)
    cleaned = clean_photo(upload(original))
    stored = Image.open(io.BytesIO(cleaned.content))
    assert stored.format == "JPEG"
    assert dict(stored.getexif()) == {}
    assert "exif" not in stored.info
    assert (cleaned.width, cleaned.height) == (64, 48)


@pytest.mark.parametrize("fmt", ["PNG", "WEBP", "HEIF"])
def test_other_accepted_formats(fmt):
    """PNG, WebP and HEIC photos are accepted whatever their file name says."""
    cleaned = clean_photo(upload(make_image(fmt), name="whatever.bin"))
    assert cleaned.content_type in {"image/jpeg", "image/png"}


def test_renamed_non_image_is_refused():
    """A text file named .jpg is refused with a message naming it."""
    with pytest.raises(ValidationError) as error:
        clean_photo(upload(b"%PDF-1.4 not really a photo" * 20, name="scan.jpg"))
    assert "scan.jpg" in error.value.messages[0]
    assert "图片" in error.value.messages[0]


def test_gif_is_refused_as_a_format():
    """A real image in a format not on the list (GIF) is refused."""
    with pytest.raises(ValidationError) as error:
        clean_photo(upload(make_image("GIF", mode="P"), name="anim.gif"))
    assert "JPEG、PNG、WebP或HEIC" in error.value.messages[0]


def test_oversized_file_is_refused():
    """A file over 8 MB is refused before it is decoded."""
    big = SimpleUploadedFile("big.jpg", b"\xff\xd8" + b"0" * MAX_PHOTO_BYTES, "image/jpeg")
    with pytest.raises(ValidationError) as error:
        clean_photo(big)
    assert "8 MB" in error.value.messages[0]


def test_too_many_pixels_is_refused():
    """A 8000×6000 PNG (48 megapixels, a small file) is refused for its pixels."""
    data = make_image("PNG", size=(8000, 6000), mode="L")
    assert len(data) < MAX_PHOTO_BYTES
    with pytest.raises(ValidationError) as error:
        clean_photo(upload(data, name="huge.png"))
    assert "4000万像素" in error.value.messages[0]


def test_decompression_bomb_is_refused():
    """A tiny PNG claiming 20000×20000 pixels is refused without being decoded."""
    data = make_image("PNG", size=(20000, 20000), mode="1")
    assert len(data) < 200_000
    with pytest.raises(ValidationError) as error:
        clean_photo(upload(data, name="bomb.png"))
    assert "bomb.png" in error.value.messages[0]


def test_truncated_jpeg_is_refused():
    """A JPEG cut off half way is refused as unreadable."""
    data = make_image(size=(400, 300))
    with pytest.raises(ValidationError):
        clean_photo(upload(data[: len(data) // 2]))


def test_orientation_is_applied_before_stripping():
    """A photo marked 'rotate 90°' is stored upright (width and height swapped)."""
    exif = Image.Exif()
    exif[0x0112] = 6
    cleaned = clean_photo(upload(make_image(size=(64, 48), exif=exif)))
    assert (cleaned.width, cleaned.height) == (48, 64)


def test_suspiciously_small_file_has_a_lower_pixel_cap():
    """A 16-megapixel PNG of one colour (a few KB) is refused with the lower cap named."""
    data = make_image("PNG", size=(4000, 4000), mode="L")
    assert len(data) < 100_000
    with pytest.raises(ValidationError) as error:
        clean_photo(upload(data, name="flat.png"))
    assert "flat.png" in error.value.messages[0]
    assert "1200万像素" in error.value.messages[0]


def test_small_file_within_the_lower_cap_is_accepted():
    """The same flat picture at 9 megapixels is accepted and stored whole."""
    cleaned = clean_photo(upload(make_image("PNG", size=(3000, 3000), mode="L"), name="ok.png"))
    assert (cleaned.width, cleaned.height) == (3000, 3000)


def test_wide_png_is_shrunk_by_a_whole_factor():
    """A PNG 4200 pixels wide is stored at half size, as a JPEG, without its text chunks."""
    out = io.BytesIO()
    info = PngInfo()
    info.add_text("Comment", "住址：明华街88号")
    Image.new("RGB", (4200, 2000), (10, 120, 200)).save(out, format="PNG", pnginfo=info)
    cleaned = clean_photo(upload(out.getvalue(), name="wide.png"))
    stored = Image.open(io.BytesIO(cleaned.content))
    assert (cleaned.width, cleaned.height) == (2100, 1000) == stored.size
    assert stored.format == "JPEG" and "Comment" not in stored.info
    assert stored.getpixel((1000, 500)) == pytest.approx((10, 120, 200), abs=3)


def test_large_jpeg_is_decoded_small_and_stored_upright_without_exif():
    """A 8200×1000 JPEG with GPS, turned by EXIF, is stored upright within 4096, with no EXIF."""
    exif = gps_exif()
    exif[0x0112] = 6
    cleaned = clean_photo(upload(make_image(size=(8200, 1000), exif=exif)))
    stored = Image.open(io.BytesIO(cleaned.content))
    assert (cleaned.width, cleaned.height) == (500, 4096) == stored.size
    assert dict(stored.getexif()) == {} and "exif" not in stored.info


def test_transparent_png_is_laid_on_white():
    """A PNG with a transparent half is stored as a JPEG, the transparent half white."""
    image = Image.new("RGBA", (200, 100), (200, 30, 30, 255))
    image.paste((0, 0, 0, 0), (100, 0, 200, 100))
    cleaned = clean_photo(upload(encoded(image, "PNG"), name="cut-out.png"))
    stored = Image.open(io.BytesIO(cleaned.content)).convert("RGB")
    assert cleaned.content_type == "image/jpeg"
    assert stored.getpixel((50, 50)) == pytest.approx((200, 30, 30), abs=8)
    assert stored.getpixel((150, 50)) == pytest.approx((255, 255, 255), abs=3)


def encoded(image, fmt):
    out = io.BytesIO()
    image.save(out, format=fmt)
    return out.getvalue()
