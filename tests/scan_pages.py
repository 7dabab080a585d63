"""Vietnamese pages drawn with Pillow, as a scanner would give them, for the OCR tests."""

from PIL import Image, ImageDraw, ImageFont

SERIF = "/usr/share/fonts/truetype/noto/NotoSerif-Regular.ttf"
SANS = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"


def draw_page(lines, dpi=300, skew=0.0, font=SERIF, size_pt=13) -> Image.Image:
    """An A4 grayscale page with ``lines`` from the top left margin, turned by ``skew``
    degrees (positive: lines descend to the right, as on a page put crooked on the glass)."""
    width, height = round(8.27 * dpi), round(11.69 * dpi)
    page = Image.new("L", (width, height), 255)
    face = ImageFont.truetype(font, round(size_pt * dpi / 72))
    draw = ImageDraw.Draw(page)
    step = round(size_pt * 1.6 * dpi / 72)
    for i, line in enumerate(lines):
        draw.text((dpi, dpi + i * step), line, font=face, fill=0)
    if skew:
        page = page.rotate(-skew, resample=Image.Resampling.BICUBIC, fillcolor=255)
    return page


def save(image: Image.Image, path, dpi=300, **options):
    image.save(path, dpi=(dpi, dpi), **options)
    return path
