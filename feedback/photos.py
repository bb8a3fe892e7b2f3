"""Residents' photos: checked by content, re-encoded without metadata.

A photo is accepted when Pillow recognises its bytes as JPEG, PNG, WebP or HEIC (the file
name and the browser's content type are ignored), it is at most 8 MB and 40 megapixels, and it
decodes completely. It is stored re-encoded from its pixels alone, so EXIF (including GPS),
XMP, ICC profiles and comments are all gone; the EXIF orientation is applied first so the
picture still stands the right way up.
"""

import io
import warnings
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError
from pillow_heif import register_heif_opener

register_heif_opener()

MAX_PHOTO_BYTES = 8 * 1024 * 1024
MAX_PHOTO_PIXELS = 40_000_000
MAX_PHOTOS = 3
ACCEPTED_FORMATS = {"JPEG": "JPEG", "PNG": "PNG", "WEBP": "WEBP", "HEIF": "HEIC"}
# Stored photos are scaled down to this long side: enough to see a broken lamp or a crack.
STORED_LONG_SIDE = 4096


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


def _reencode(image):
    """The image's pixels alone, upright, as JPEG (or PNG when it has transparency)."""
    image = ImageOps.exif_transpose(image)
    has_alpha = image.mode in ("RGBA", "LA") or (image.mode == "P" and "transparency" in image.info)
    pixels = image.convert("RGBA" if has_alpha else "RGB")
    pixels.thumbnail((STORED_LONG_SIDE, STORED_LONG_SIDE))
    # A fresh image holds pixels only: no EXIF, XMP, ICC profile or comment can come along.
    clean = Image.new(pixels.mode, pixels.size)
    clean.paste(pixels)
    out = io.BytesIO()
    if has_alpha:
        clean.save(out, format="PNG", optimize=True)
        extension, content_type = "png", "image/png"
    else:
        clean.save(out, format="JPEG", quality=85, optimize=True)
        extension, content_type = "jpg", "image/jpeg"
    return CleanPhoto(out.getvalue(), extension, content_type, clean.width, clean.height)
