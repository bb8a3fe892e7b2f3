"""Residents' photos: checked by content, re-encoded without metadata, at a bounded cost.

A photo is accepted when Pillow recognises its bytes as JPEG, PNG, WebP or HEIC (the file
name and the browser's content type are ignored), it is at most 8 MB and 40 megapixels, and it
decodes completely. A file that is very small for its pixels (less than
SUSPICIOUS_BYTES_PER_MEGAPIXEL; a real photo has far more) may have at most
SUSPICIOUS_MAX_PIXELS: such files cost much to decode and show nothing a resident needs.

It is stored re-encoded from its pixels alone, so EXIF (including GPS), XMP, ICC profiles and
comments are all gone; the EXIF orientation is applied so the picture still stands the right way
up. A photo whose long side is over STORED_LONG_SIDE is shrunk by the smallest integer factor
that brings it within (a 6000-pixel side becomes 3000). To keep one photo at the cap under a second
of CPU (bench/bench_photos.py), a JPEG is decoded at that reduced scale where it can (`draft()`),
other images are shrunk (`reduce()`) before anything else touches their pixels, and the stored
copy is always a JPEG (transparent parts are laid on white).
"""

import io
import warnings
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from PIL import ExifTags, Image, UnidentifiedImageError
from pillow_heif import register_heif_opener

register_heif_opener()

MAX_PHOTO_BYTES = 8 * 1024 * 1024
MAX_PHOTO_PIXELS = 40_000_000
# A file with fewer bytes than this per megapixel is suspicious (a photo of 12 megapixels is
# some 2-5 MB; one flat colour compresses to almost nothing): it gets the lower pixel cap.
SUSPICIOUS_BYTES_PER_MEGAPIXEL = 16_000
SUSPICIOUS_MAX_PIXELS = 12_000_000
MAX_PHOTOS = 3
ACCEPTED_FORMATS = {"JPEG": "JPEG", "PNG": "PNG", "WEBP": "WEBP", "HEIF": "HEIC"}
# Stored photos are scaled down to this long side: enough to see a broken lamp or a crack.
STORED_LONG_SIDE = 4096
# Modes whose pixels `reduce()` averages directly; others are converted first.
REDUCIBLE_MODES = {"L", "LA", "RGB", "RGBA"}


@dataclass
class CleanPhoto:
    """A re-encoded photo ready to store."""

    content: bytes
    extension: str
    content_type: str
    width: int
    height: int


def clean_photo(upload):
    """Check an uploaded file and return a CleanPhoto, or raise ValidationError saying why."""
    name = getattr(upload, "name", "") or _("照片")
    if upload.size > MAX_PHOTO_BYTES:
        raise ValidationError(
            _("“%(name)s”超过8 MB，请压缩后再上传。"), code="too_big", params={"name": name}
        )
    upload.seek(0)
    data = upload.read()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            kind = ACCEPTED_FORMATS.get(image.format or "")
            if kind is None:
                raise ValidationError(
                    _("“%(name)s”不是JPEG、PNG、WebP或HEIC格式的图片。"),
                    code="format",
                    params={"name": name},
                )
            width, height = image.size
            if width * height > MAX_PHOTO_PIXELS:
                raise ValidationError(
                    _("“%(name)s”超过4000万像素，请缩小后再上传。"),
                    code="too_many_pixels",
                    params={"name": name},
                )
            if (
                width * height > SUSPICIOUS_MAX_PIXELS
                and len(data) * 1_000_000 < SUSPICIOUS_BYTES_PER_MEGAPIXEL * width * height
            ):
                raise ValidationError(
                    _(
                        "“%(name)s”文件很小却有很多像素，不像是一张照片。请上传相机或手机拍的"
                        "照片，或把它缩小到1200万像素以内再上传。"
                    ),
                    code="suspicious_pixels",
                    params={"name": name},
                )
            factor = _reduction(image.size)
            if image.format == "JPEG" and factor > 1:
                # Decoded at 1/2, 1/4 or 1/8 scale, the largest the reduction allows.
                image.draft(image.mode, (width // factor, height // factor))
            image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise ValidationError(
            _("“%(name)s”的像素过多，无法处理，请缩小后再上传。"),
            code="bomb",
            params={"name": name},
        ) from error
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
        raise ValidationError(
            _("“%(name)s”不是可以打开的图片，请换一张JPEG、PNG、WebP或HEIC照片。"),
            code="unreadable",
            params={"name": name},
        ) from error
    return _reencode(image)


def _reduction(size):
    """The integer factor that brings the long side down to STORED_LONG_SIDE at most."""
    return -(-max(size) // STORED_LONG_SIDE)


def _reencode(image):
    """The image's pixels alone, upright and at most STORED_LONG_SIDE, as JPEG."""
    orientation = image.getexif().get(ExifTags.Base.Orientation, 1)
    has_alpha = image.mode in ("RGBA", "LA") or (image.mode == "P" and "transparency" in image.info)
    decoded_small = image.format == "JPEG"  # by draft(), at most twice the stored size
    factor = _reduction(image.size)
    if image.mode not in REDUCIBLE_MODES:
        if factor > 1:  # palette and bilevel images: graphics, nearest pixels are fine
            size = (-(-image.width // factor), -(-image.height // factor))
            image = image.resize(size, Image.Resampling.NEAREST)
            factor = 1
        image = image.convert("RGBA" if has_alpha else "RGB")
    # Colour and transparency are shrunk apart: Pillow's reduce() of RGBA costs five times more.
    colour_mode = "L" if image.mode in ("L", "LA") else "RGB"
    alpha = image.getchannel("A") if image.mode in ("LA", "RGBA") else None
    colour = image if image.mode == colour_mode else image.convert(colour_mode)
    if factor > 1 and decoded_small:
        colour.thumbnail((STORED_LONG_SIDE, STORED_LONG_SIDE))
    elif factor > 1:
        # Each stored pixel the average of factor × factor pixels: cheap, and no resampling.
        colour = colour.reduce(factor)
        alpha = alpha.reduce(factor) if alpha is not None else None
    # A fresh image holds pixels only: no EXIF, XMP, ICC profile or comment can come along.
    clean = Image.new("RGB", colour.size, (255, 255, 255))
    clean.paste(colour.convert("RGB"), mask=alpha)
    transpose = TRANSPOSE_FOR_ORIENTATION.get(orientation)
    if transpose is not None:
        clean = clean.transpose(transpose)
    out = io.BytesIO()
    clean.save(out, format="JPEG", quality=85)
    return CleanPhoto(out.getvalue(), "jpg", "image/jpeg", clean.width, clean.height)


# What ImageOps.exif_transpose does for each EXIF orientation, applied here to the reduced copy.
TRANSPOSE_FOR_ORIENTATION = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}
