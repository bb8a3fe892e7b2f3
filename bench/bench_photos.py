"""Photo checks: the CPU one uploaded photo at the caps costs, in process.

Times `clean_photo()` (check, decode, shrink, re-encode without metadata) on generated photos of
about 40 megapixels (6000×6600, just under the cap) and under 8 MB: a JPEG, an RGB PNG, a PNG with
transparency and a palette PNG; a suspiciously small file of that size (refused before decoding)
and a flat PNG at the lower cap for such files (12 megapixels). Each figure is the median CPU time
(process time: the machine may be busy) of several runs; the target is beside it.

Target: every photo under 1 s of CPU, so three photos in one form hold a sync worker for at most
about 3 s.

    .venv/bin/python bench/bench_photos.py [--runs 5]
"""

import argparse
import contextlib
import io
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.test")

import django

django.setup()

from django.core.exceptions import ValidationError  # noqa: E402
from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from PIL import Image  # noqa: E402

from feedback.intake.photos import MAX_PHOTO_BYTES, clean_photo  # noqa: E402

TARGET_CPU_S = 1.0
SIZE = (6000, 6600)  # 39.6 megapixels


def picture(size, mode="RGB"):
    """A photo-like picture: smooth gradients with soft blotches (compresses like a photo)."""
    base = Image.linear_gradient("L").resize(size)
    blotches = Image.effect_noise((size[0] // 96, size[1] // 96), 25).resize(
        size, Image.Resampling.BILINEAR
    )
    across = Image.linear_gradient("L").transpose(Image.Transpose.ROTATE_90).resize(size)
    image = Image.merge("RGB", (base, blotches, across))
    if mode == "RGBA":
        image = image.convert("RGBA")
        image.putalpha(blotches)
    elif mode == "P":
        image = image.quantize(64)
    return image


def encoded(image, fmt, **options):
    out = io.BytesIO()
    image.save(out, format=fmt, **options)
    return out.getvalue()


def photos():
    flat = io.BytesIO()
    Image.new("L", SIZE).save(flat, format="PNG")
    return {
        "jpeg_40mp": encoded(picture(SIZE), "JPEG", quality=92),
        "png_rgb_40mp": encoded(picture(SIZE), "PNG"),
        "png_rgba_40mp": encoded(picture(SIZE, "RGBA"), "PNG"),
        "png_palette_transparent_40mp": encoded(picture(SIZE, "P"), "PNG", transparency=0),
        "png_tiny_file_40mp_refused": flat.getvalue(),
        "png_flat_12mp": encoded(Image.new("L", (3000, 3990)), "PNG"),
    }


def median_cpu_s(data, runs):
    times = []
    for _ in range(runs):
        upload = SimpleUploadedFile("photo", data)
        start = time.process_time()
        with contextlib.suppress(ValidationError):  # the refused ones are timed too
            clean_photo(upload)
        times.append(time.process_time() - start)
    return statistics.median(times)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    for name, data in photos().items():
        assert len(data) <= MAX_PHOTO_BYTES, f"{name} is {len(data)} bytes, over the file cap"
        value = median_cpu_s(data, args.runs)
        verdict = "ok" if value <= TARGET_CPU_S else "SLOW"
        size = f"{len(data) / 1e6:.2f} MB"
        print(f"{name:<30} {size:>9} {value:7.2f} s CPU   target ≤ {TARGET_CPU_S:.1f}   {verdict}")


if __name__ == "__main__":
    main()
