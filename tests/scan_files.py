"""Files for the digitization tests: Vietnamese pages drawn with Pillow (tests/scan_pages.py)
saved as the scanner would (PDF, JPEG, PNG), and broken ones."""

import io
import time

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from .scan_pages import draw_page

PAGE_ONE = [
    "ỦY BAN NHÂN DÂN HUYỆN BẮC YÊN",
    "Phiếu yêu cầu chứng thực hợp đồng",
    "Người yêu cầu: Lò Văn Sinh",
]
PAGE_TWO = [
    "Hợp đồng chuyển nhượng quyền sử dụng đất",
    "Thửa đất tại xã Phiêng Ban, huyện Bắc Yên",
    "Diện tích: 245 mét vuông",
]


def pdf_bytes(*pages, dpi=150) -> bytes:
    """A scanned PDF: one image page per list of lines (150 DPI keeps the tests quick)."""
    images = [draw_page(lines, dpi=dpi) for lines in pages]
    out = io.BytesIO()
    # A fixed date: the same pages give the same bytes (the dedupe tests rely on it).
    fixed = time.strptime("2026-01-05", "%Y-%m-%d")
    images[0].save(
        out,
        "PDF",
        resolution=dpi,
        save_all=True,
        append_images=images[1:],
        creationDate=fixed,
        modDate=fixed,
    )
    return out.getvalue()


def image_bytes(lines, fmt="PNG", dpi=200) -> bytes:
    out = io.BytesIO()
    draw_page(lines, dpi=dpi).save(out, fmt, dpi=(dpi, dpi))
    return out.getvalue()


def upload(name, data, content_type="application/octet-stream"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def two_page_pdf(name="hop-dong.pdf"):
    return upload(name, pdf_bytes(PAGE_ONE, PAGE_TWO), "application/pdf")


def truncated_jpeg(name="hong.jpg"):
    data = image_bytes(PAGE_ONE, "JPEG")
    return upload(name, data[: len(data) // 3], "image/jpeg")


def bomb_png(name="bom.png"):
    """A tiny file that claims 20,000 × 20,000 pixels (a decompression bomb)."""
    out = io.BytesIO()
    Image.new("1", (20_000, 20_000), 1).save(out, "PNG")
    return upload(name, out.getvalue(), "image/png")


def corrupt_tiff(name="hong.tif"):
    """A TIFF whose header is sound (it passes intake) but whose pixels cannot be decoded."""
    out = io.BytesIO()
    Image.new("L", (800, 600), 255).save(out, "TIFF", compression="tiff_adobe_deflate")
    data = bytearray(out.getvalue())
    image = Image.open(io.BytesIO(bytes(data)))
    offsets, counts = image.tag_v2[273], image.tag_v2[279]
    for offset, count in zip(offsets, counts, strict=True):
        data[offset : offset + count] = b"Z" * count
    return upload(name, bytes(data), "image/tiff")
