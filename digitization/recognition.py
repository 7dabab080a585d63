"""Recognition of scanned pages: the one code the OCR pipeline and ``manage.py ocr`` share.

Per page: render (a PDF page at 300 DPI grayscale with ``pdftoppm``; an image frame turned
upright by its EXIF orientation and made grayscale), deskew (``deskew``), paint table rules
and specks white on Tesseract's copy (``cleanup``), then ONE Tesseract run with ``vie`` alone
and ``--psm 6`` that writes the text, the word boxes (TSV) and the invisible text layer
together; the one-page searchable PDF is the deskewed page (JPEG) under that layer. Every
external program runs in a subprocess with a timeout and ``OMP_THREAD_LIMIT=1``; one page
is in memory at a time and temporary files live in a TemporaryDirectory.

bench/bench_ocr.py measures this against raw Tesseract (docs/benchmarks.md, section ocr).

Failures the clerk can act on raise ``RecognitionError`` whose text is a short Vietnamese
reason. A page without any text is not a failure: its text is empty and it still has a PDF.
"""

import io
import os
import re
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError
from pypdf import PdfReader, PdfWriter
from pypdf.errors import PyPdfError

from . import filetypes
from .cleanup import clean_for_ocr
from .deskew import estimate_skew, rotate

RENDER_DPI = 300
# Pixels of one rendered page (A4 at 300 DPI is 8.7 Mpx, A3 17.4): bigger pages render at a
# lower DPI, bigger images are scaled down, so that a page stays within the worker's memory
# budget (about 60 MB of working arrays per 8.7 Mpx).
MAX_PAGE_PIXELS = 12_000_000
# Images beyond this are refused outright (decompression bombs).
MAX_IMAGE_PIXELS = 120_000_000
PDFINFO_TIMEOUT = 30
RENDER_TIMEOUT = 60
TESSERACT_TIMEOUT = 180
EXTRACT_TIMEOUT = 60
# Tesseract settings: one uniform block of text per page (the default segmentation splits
# skewed pages and tables into columns read in the wrong order); keep the spaces between
# words as they are on the page.
PSM = "6"
TESSERACT_CONFIG = ("preserve_interword_spaces=1", "textonly_pdf=1")
# The page image in the searchable PDF.
JPEG_QUALITY = 75


class RecognitionError(Exception):
    """A file or page that cannot be recognised; ``str(exc)`` is the clerk's reason."""


@dataclass
class PageResult:
    number: int  # 1-based
    text: str
    words: list = field(default_factory=list)  # [[word, left, top, width, height, conf]]
    width: int = 0
    height: int = 0
    dpi: int = RENDER_DPI
    skew: float = 0.0  # degrees corrected
    pdf: bytes = b""  # one-page searchable PDF


def languages() -> str:
    try:
        from django.conf import settings

        return getattr(settings, "OCR_LANGUAGES", "vie") or "vie"
    except Exception:  # Django not configured: the bench or a bare script.
        return "vie"


def _env() -> dict:
    env = dict(os.environ)
    env["OMP_THREAD_LIMIT"] = "1"
    env.setdefault("LC_ALL", "C.UTF-8")
    return env


def _run(args, timeout, failure: str) -> subprocess.CompletedProcess:
    try:
        return subprocess.run(
            args,
            capture_output=True,
            timeout=timeout,
            env=_env(),
            check=True,
            stdin=subprocess.DEVNULL,
        )
    except subprocess.TimeoutExpired as exc:
        raise RecognitionError(f"{failure}: quá {timeout} giây") from exc
    except subprocess.CalledProcessError as exc:
        raise RecognitionError(failure) from exc
    except OSError as exc:  # the program is missing
        raise RecognitionError(f"{failure}: thiếu chương trình {args[0]}") from exc


def _is_pdf(path, content_type) -> bool:
    content_type = content_type or filetypes.sniff_path(path)
    if content_type is None:
        raise RecognitionError("Tệp không phải PDF hay ảnh JPEG, PNG, TIFF")
    return content_type == filetypes.PDF


# --- counting ------------------------------------------------------------------------------


def _pdfinfo(path, page: int | None = None) -> str:
    args = ["pdfinfo"]
    if page is not None:
        args += ["-f", str(page), "-l", str(page)]
    done = _run([*args, str(path)], PDFINFO_TIMEOUT, "Tệp PDF bị hỏng, không đọc được")
    return done.stdout.decode("utf-8", "replace")


def count_pages(path, content_type=None) -> int:
    """Pages of a PDF (pdfinfo in a subprocess) or frames of an image (TIFF may have many)."""
    if _is_pdf(path, content_type):
        match = re.search(r"^Pages:\s+(\d+)", _pdfinfo(path), re.M)
        if not match or int(match[1]) < 1:
            raise RecognitionError("Tệp PDF bị hỏng hoặc không có trang nào")
        return int(match[1])
    with _open_image(path) as image:
        return getattr(image, "n_frames", 1)


# --- rendering -----------------------------------------------------------------------------


def _open_image(path) -> Image.Image:
    try:
        image = Image.open(path)
        if image.width * image.height > MAX_IMAGE_PIXELS:
            image.close()
            raise RecognitionError("Ảnh quá lớn (quá nhiều điểm ảnh), không nhận dạng")
        return image
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, ValueError) as exc:
        raise RecognitionError("Ảnh bị hỏng hoặc không đọc được") from exc


def _image_dpi(image: Image.Image) -> int:
    dpi = image.info.get("dpi")
    try:
        value = round(float(dpi[0])) if dpi else 0
    except (TypeError, ValueError, IndexError):
        value = 0
    # Missing or absurd metadata: scanners default to 300, phone photos have none.
    return value if 70 <= value <= 1200 else RENDER_DPI


def _grayscale(image: Image.Image) -> Image.Image:
    """8-bit grayscale: transparency laid on white paper, 16-bit samples scaled down."""
    if image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info:
        paper = Image.new("RGBA", image.size, "white")
        paper.alpha_composite(image.convert("RGBA"))
        return paper.convert("L")
    if image.mode.startswith("I;16"):
        return Image.fromarray((np.asarray(image, dtype=np.uint16) >> 8).astype(np.uint8), "L")
    return image if image.mode == "L" else image.convert("L")


def render_image(path, number: int) -> tuple[Image.Image, int]:
    """Frame ``number`` of an image, upright (EXIF), grayscale, and its DPI."""
    with _open_image(path) as image:
        try:
            image.seek(number - 1)
        except EOFError as exc:
            raise RecognitionError(f"Ảnh không có trang {number}") from exc
        try:
            dpi = _image_dpi(image)
            gray = _grayscale(ImageOps.exif_transpose(image))
        except (OSError, ValueError, SyntaxError) as exc:
            raise RecognitionError(f"Ảnh bị hỏng, không đọc được trang {number}") from exc
    pixels = gray.width * gray.height
    if pixels > MAX_PAGE_PIXELS:
        scale = (MAX_PAGE_PIXELS / pixels) ** 0.5
        size = (max(1, int(gray.width * scale)), max(1, int(gray.height * scale)))
        gray = gray.resize(size, Image.Resampling.LANCZOS)
        dpi = max(70, int(dpi * scale))
    return gray, dpi


def _pdf_page_dpi(path, number: int) -> int:
    """300 DPI, or less for a page so big that 300 DPI would exceed MAX_PAGE_PIXELS."""
    try:
        info = _pdfinfo(path, number)
    except RecognitionError:
        if number > count_pages(path, filetypes.PDF):
            raise RecognitionError(f"Tệp PDF không có trang {number}") from None
        raise
    match = re.search(rf"^Page\s+{number} size:\s+([\d.]+) x ([\d.]+) pts", info, re.M)
    if not match:
        raise RecognitionError(f"Tệp PDF không có trang {number}")
    width_in, height_in = float(match[1]) / 72, float(match[2]) / 72
    if width_in * height_in <= 0:
        raise RecognitionError(f"Tệp PDF bị hỏng, không đọc được trang {number}")
    fit = (MAX_PAGE_PIXELS / (width_in * height_in)) ** 0.5
    return max(50, min(RENDER_DPI, int(fit)))


def render_pdf_page(path, number: int, workdir) -> tuple[Image.Image, int]:
    dpi = _pdf_page_dpi(path, number)
    out = Path(workdir) / "render"
    args = ["pdftoppm", "-r", str(dpi), "-gray", "-f", str(number), "-l", str(number)]
    _run(
        [*args, "-singlefile", str(path), str(out)],
        RENDER_TIMEOUT,
        f"Tệp PDF bị hỏng, không đọc được trang {number}",
    )
    rendered = out.with_suffix(".pgm")
    try:
        with Image.open(rendered) as image:
            gray = image.convert("L")
    except (OSError, ValueError) as exc:
        raise RecognitionError(f"Tệp PDF bị hỏng, không đọc được trang {number}") from exc
    rendered.unlink(missing_ok=True)
    return gray, dpi


def render_page(path, number: int, content_type, workdir) -> tuple[Image.Image, int]:
    if number < 1:
        raise RecognitionError(f"Không có trang {number}")
    if _is_pdf(path, content_type):
        return render_pdf_page(path, number, workdir)
    return render_image(path, number)


# --- recognition ---------------------------------------------------------------------------


def _parse_tsv(tsv: str) -> list:
    words = []
    for line in tsv.splitlines()[1:]:
        cols = line.split("\t")
        if len(cols) < 12 or cols[0] != "5":
            continue
        text = cols[11].strip()
        if not text:
            continue
        left, top, width, height = (int(c) for c in cols[6:10])
        words.append([text, left, top, width, height, round(float(cols[10]), 1)])
    return words


def tesseract(image_path, out_base, dpi: int, number: int) -> None:
    """One Tesseract run writing ``out_base``.txt, .tsv and a text-only .pdf."""
    args = ["tesseract", str(image_path), str(out_base), "-l", languages(), "--psm", PSM]
    args += ["--dpi", str(dpi)]
    for setting in TESSERACT_CONFIG:
        args += ["-c", setting]
    failure = f"Không nhận dạng được chữ trên trang {number}"
    _run([*args, "txt", "tsv", "pdf"], TESSERACT_TIMEOUT, failure)


def page_pdf(image: Image.Image, dpi: int, text_pdf: bytes) -> bytes:
    """A one-page PDF: ``image`` (JPEG) under Tesseract's invisible text layer."""
    picture = io.BytesIO()
    image.save(picture, "PDF", resolution=dpi, quality=JPEG_QUALITY)
    writer = PdfWriter(clone_from=picture)
    writer.pages[0].merge_page(PdfReader(io.BytesIO(text_pdf)).pages[0])
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def ocr_image(gray: Image.Image, dpi: int, number: int, workdir) -> tuple[str, list, bytes]:
    """Tesseract once on a deskewed grayscale page, its rules and specks cleaned away:
    (text, words, one-page searchable PDF showing ``gray`` itself)."""
    workdir = Path(workdir)
    image_path = workdir / f"page{number}.pgm"
    clean_for_ocr(gray, dpi).save(image_path)
    out = workdir / f"ocr{number}"
    tesseract(image_path, out, dpi, number)
    try:
        text = out.with_suffix(".txt").read_text(encoding="utf-8", errors="replace")
        words = _parse_tsv(out.with_suffix(".tsv").read_text(encoding="utf-8", errors="replace"))
        pdf = page_pdf(gray, dpi, out.with_suffix(".pdf").read_bytes())
    except (OSError, ValueError) as exc:
        raise RecognitionError(f"Không nhận dạng được chữ trên trang {number}") from exc
    return _clean_text(text), words, pdf


def _clean_text(text: str) -> str:
    # Tesseract ends a page with a form feed; the pipeline joins pages itself.
    return text.replace("\f", "").rstrip() + ("\n" if text.strip() else "")


def recognize_page(path, number: int, content_type=None) -> PageResult:
    """Render, deskew and recognise page ``number`` (1-based) of the file at ``path``."""
    with tempfile.TemporaryDirectory(prefix="bacyen-ocr.") as workdir:
        gray, dpi = render_page(path, number, content_type, workdir)
        skew = estimate_skew(gray)
        if skew:
            gray = rotate(gray, skew)
        text, words, pdf = ocr_image(gray, dpi, number, workdir)
        return PageResult(
            number=number,
            text=text,
            words=words,
            width=gray.width,
            height=gray.height,
            dpi=dpi,
            skew=skew,
            pdf=pdf,
        )


def recognize_file(path, content_type=None) -> list[PageResult]:
    content_type = content_type or filetypes.sniff_path(path)
    return [
        recognize_page(path, number, content_type)
        for number in range(1, count_pages(path, content_type) + 1)
    ]


def join_pages(page_pdfs: list[bytes]) -> bytes:
    """One searchable PDF of the whole file from the one-page PDFs, in order."""
    writer = PdfWriter()
    try:
        for data in page_pdfs:
            for page in PdfReader(io.BytesIO(data)).pages:
                writer.add_page(page)
    except (PyPdfError, ValueError, OSError) as exc:
        raise RecognitionError("Không ghép được bản PDF tìm kiếm được") from exc
    writer.add_metadata({"/Producer": "Cổng Một cửa Bắc Yên (Tesseract OCR)"})
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def extract_text(path) -> list[str]:
    """The text layer of a PDF (a signed file from outside is never re-OCR'd), one str per
    page, from ``pdftotext``."""
    done = _run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"],
        EXTRACT_TIMEOUT,
        "Tệp PDF bị hỏng, không đọc được lớp chữ",
    )
    pages = done.stdout.decode("utf-8", "replace").split("\f")
    if pages and not pages[-1].strip():
        pages.pop()  # pdftotext ends every page with a form feed
    return [page.rstrip() + ("\n" if page.strip() else "") for page in pages]
