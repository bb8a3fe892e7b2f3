"""Draw the portal's PNG icons from the favicon's design (static/img/favicon.svg): a white grid
of four cells on the brand red. Run after changing the design; the PNGs are committed.

    .venv/bin/python scripts/make_icons.py

- apple-touch-icon.png (180×180): the icon a phone puts on its home screen;
- share.png (512×512): the image of a link card (og:image) in WeChat and other apps.
"""

import sys
from pathlib import Path

from PIL import Image, ImageDraw

BRAND = (142, 27, 20)
WHITE = (255, 255, 255)
IMG = Path(__file__).resolve().parent.parent / "static" / "img"
ICONS = {"apple-touch-icon.png": (180, 0), "share.png": (512, 6 / 32)}


def draw(size, radius):
    """The favicon's 32-unit design at `size` px; radius in units of the side (0: square, as
    iOS rounds the corners itself)."""
    scale = size / 32
    image = Image.new("RGB", (size, size), WHITE if radius else BRAND)
    pen = ImageDraw.Draw(image)
    if radius:
        pen.rounded_rectangle((0, 0, size - 1, size - 1), radius=round(radius * size), fill=BRAND)
    line = max(2, round(2 * scale))
    low, mid, high = (round(v * scale) for v in (8, 16, 24))
    pen.rectangle((low, low, high, high), outline=WHITE, width=line)
    pen.rectangle((mid - line // 2, low, mid + line // 2, high), fill=WHITE)
    pen.rectangle((low, mid - line // 2, high, mid + line // 2), fill=WHITE)
    return image


def main():
    for name, (size, radius) in ICONS.items():
        draw(size, radius).save(IMG / name, optimize=True)
        sys.stdout.write(f"wrote static/img/{name} ({size}×{size})\n")


if __name__ == "__main__":
    main()
