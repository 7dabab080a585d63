"""Recognition of scanned pages: the one code the OCR pipeline and ``manage.py ocr`` share.

Per page: render (a PDF page at 300 DPI with ``pdftoppm``, in colour when it holds a colour
image; an image frame turned upright by its EXIF orientation), grayscale unless it holds
coloured ink; decide what the page needs (``paper``: inks, a photo's sheet, shadows, a
fax's specks, margins, the two-column heading) and do only that, find the text lines and deskew
(``deskew``), make Tesseract's copy: white paper without table rules and specks
(``cleanup``), then ONE Tesseract run that writes the text, the word boxes (TSV) and the
invisible text layer together (``reading``); the one-page searchable PDF is the deskewed
page (JPEG) under that layer. A page whose lines run down it (fed sideways) is given a
quarter turn, then Tesseract's orientation detection says whether it is upside down; a page
read with low confidence is asked the same, and read again turned when it says so. Upright
pages pay for none of this. Every external program runs in a subprocess with a timeout and
``OMP_THREAD_LIMIT=1`` (``programs``); one page is in memory at a time and temporary files
live in a TemporaryDirectory.

bench/bench_ocr.py measures this against raw Tesseract (docs/benchmarks.md, section ocr).

Failures the clerk can act on raise ``RecognitionError`` whose text is a short Vietnamese
reason. A page without any text is not a failure: its text is empty and it still has a PDF.
"""

import io
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError
from pypdf import PdfReader, PdfWriter
from pypdf.errors import PyPdfError
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    NameObject,
    NumberObject,
)

from . import accents, filetypes, paper, reading
from .cleanup import clean_for_ocr
from .deskew import find_lines, rotate
from .programs import RecognitionError, file_fault
from .programs import run as _run

__all__ = [
    "PageResult",
    "RecognitionError",
    "count_pages",
    "extract_text",
    "join_pages",
    "recognize_file",
    "recognize_page",
]

RENDER_DPI = 300
# Pixels of one rendered page (A4 at 300 DPI is 8.7 Mpx, A3 17.4): bigger pages render at a
# lower DPI, bigger images are scaled down, so that a page stays within the worker's memory
# budget (about 60 MB of working arrays per 8.7 Mpx).
MAX_PAGE_PIXELS = 12_000_000
# Images beyond this are refused outright (decompression bombs).
MAX_IMAGE_PIXELS = 120_000_000
PDFINFO_TIMEOUT = 30
RENDER_TIMEOUT = 60
EXTRACT_TIMEOUT = 60
# pdfimages' names of colour spaces whose images may hold a seal or a signature.
PDF_COLOUR_SPACES = ("rgb", "cmyk", "icc", "index", "lab")
# The page image in the searchable PDF.
JPEG_QUALITY = 75


@dataclass
class PageResult:
    number: int  # 1-based
    text: str
    words: list = field(default_factory=list)  # [[word, left, top, width, height, conf]]
    width: int = 0
    height: int = 0
    dpi: int = RENDER_DPI
    skew: float = 0.0  # degrees corrected
    turned: int = 0  # clockwise degrees the scan was turned to be read (0, 90, 180, 270)
    pdf: bytes = b""  # one-page searchable PDF
    steps: list = field(default_factory=list)  # the preparation it needed (paper.Needs)


def _is_pdf(path, content_type) -> bool:
    content_type = content_type or filetypes.sniff_path(path)
    if content_type is None:
        raise file_fault("Tệp không phải PDF hay ảnh JPEG, PNG, TIFF")
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
            raise file_fault("Tệp PDF bị hỏng hoặc không có trang nào")
        return int(match[1])
    with _open_image(path) as image:
        return getattr(image, "n_frames", 1)


# --- rendering -----------------------------------------------------------------------------


def _open_image(path) -> Image.Image:
    try:
        image = Image.open(path)
        if image.width * image.height > MAX_IMAGE_PIXELS:
            image.close()
            raise file_fault("Ảnh quá lớn (quá nhiều điểm ảnh), không nhận dạng")
        return image
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, ValueError) as exc:
        raise file_fault("Ảnh bị hỏng hoặc không đọc được") from exc


def _image_dpi(image: Image.Image) -> int:
    dpi = image.info.get("dpi")
    try:
        value = round(float(dpi[0])) if dpi else 0
    except (TypeError, ValueError, IndexError):
        value = 0
    # Missing or absurd metadata: scanners default to 300, phone photos have none.
    return value if 70 <= value <= 1200 else RENDER_DPI


def _page_image(image: Image.Image) -> Image.Image:
    """8-bit grayscale, or RGB when the page holds coloured ink (a seal, a signature: they
    are dropped from Tesseract's copy, kept in the searchable PDF): transparency laid on
    white paper, 16-bit samples scaled down."""
    if image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info:
        sheet = Image.new("RGBA", image.size, "white")
        sheet.alpha_composite(image.convert("RGBA"))
        image = sheet.convert("RGB")
    if image.mode.startswith("I;16"):
        return Image.fromarray((np.asarray(image, dtype=np.uint16) >> 8).astype(np.uint8), "L")
    if image.mode in ("L", "1", "I", "F"):
        return image if image.mode == "L" else image.convert("L")
    rgb = image if image.mode == "RGB" else image.convert("RGB")
    return rgb if paper.colourful(rgb) else rgb.convert("L")


def render_image(path, number: int) -> tuple[Image.Image, int]:
    """Frame ``number`` of an image, upright (EXIF), grayscale or colour, and its DPI."""
    image, keep = _open_image(path), False
    try:
        try:
            image.seek(number - 1)
        except EOFError as exc:
            raise file_fault(f"Ảnh không có trang {number}") from exc
        try:
            dpi = _image_dpi(image)
            # Turned in place: a copy of a phone's 12 Mpx colour photo costs 36 MB.
            ImageOps.exif_transpose(image, in_place=True)
            gray = _page_image(image)
        except (OSError, ValueError, SyntaxError) as exc:
            raise file_fault(f"Ảnh bị hỏng, không đọc được trang {number}") from exc
        # The decoded frame itself is the page: kept, unless the file holds other frames
        # (a multi-page TIFF keeps its file open: the frame is copied and the file closed).
        keep = gray is image and getattr(image, "n_frames", 1) == 1
        if gray is image and not keep:
            gray = image.copy()
    finally:
        if not keep:
            image.close()
    pixels = gray.width * gray.height
    if pixels > MAX_PAGE_PIXELS:
        scale = (MAX_PAGE_PIXELS / pixels) ** 0.5
        size = (max(1, int(gray.width * scale)), max(1, int(gray.height * scale)))
        gray = gray.resize(size, Image.Resampling.LANCZOS)
        dpi = max(70, int(dpi * scale))
    if max(gray.size) / dpi > 17:  # beyond A3: the DPI is wrong (phones write 72)
        dpi = max(70, round(max(gray.size) / 11.69))
    return gray, dpi


def _pdf_page_dpi(path, number: int) -> int:
    """300 DPI, or less for a page so big that 300 DPI would exceed MAX_PAGE_PIXELS."""
    try:
        info = _pdfinfo(path, number)
    except RecognitionError:
        if number > count_pages(path, filetypes.PDF):
            raise file_fault(f"Tệp PDF không có trang {number}") from None
        raise
    match = re.search(rf"^Page\s+{number} size:\s+([\d.]+) x ([\d.]+) pts", info, re.M)
    if not match:
        raise file_fault(f"Tệp PDF không có trang {number}")
    width_in, height_in = float(match[1]) / 72, float(match[2]) / 72
    if width_in * height_in <= 0:
        raise file_fault(f"Tệp PDF bị hỏng, không đọc được trang {number}")
    fit = (MAX_PAGE_PIXELS / (width_in * height_in)) ** 0.5
    return max(50, min(RENDER_DPI, int(fit)))


def _pdf_page_in_colour(path, number: int) -> bool:
    """Whether page ``number`` holds a colour image (a colour scan: its seal and signature
    are dropped from Tesseract's copy only if the page is rendered in colour), from
    ``pdfimages -list``. A page it cannot list is rendered grey, as before."""
    try:
        done = _run(
            ["pdfimages", "-list", "-f", str(number), "-l", str(number), str(path)],
            PDFINFO_TIMEOUT,
            "",
        )
    except RecognitionError:
        return False
    for line in done.stdout.decode("utf-8", "replace").splitlines()[2:]:
        cols = line.split()
        if len(cols) > 6 and cols[2] == "image" and cols[5] in PDF_COLOUR_SPACES:
            return True
    return False


def render_pdf_page(path, number: int, workdir) -> tuple[Image.Image, int]:
    dpi = _pdf_page_dpi(path, number)
    out = Path(workdir) / "render"
    colour = _pdf_page_in_colour(path, number)
    args = ["pdftoppm", "-r", str(dpi), *([] if colour else ["-gray"])]
    args += ["-f", str(number), "-l", str(number)]
    _run(
        [*args, "-singlefile", str(path), str(out)],
        RENDER_TIMEOUT,
        f"Tệp PDF bị hỏng, không đọc được trang {number}",
    )
    rendered = out.with_suffix(".ppm" if colour else ".pgm")
    try:
        with Image.open(rendered) as image:
            page = _page_image(image) if colour else image.convert("L")
    except (OSError, ValueError) as exc:
        raise file_fault(f"Tệp PDF bị hỏng, không đọc được trang {number}") from exc
    rendered.unlink(missing_ok=True)
    return page, dpi


def render_page(path, number: int, content_type, workdir) -> tuple[Image.Image, int]:
    if number < 1:
        raise file_fault(f"Không có trang {number}")
    if _is_pdf(path, content_type):
        return render_pdf_page(path, number, workdir)
    return render_image(path, number)


# --- recognition ---------------------------------------------------------------------------


def page_pdf(image: Image.Image, dpi: int, text_pdf: bytes) -> bytes:
    """A one-page PDF: ``image`` (JPEG) under Tesseract's invisible text layer. The image is
    drawn by a content stream put before Tesseract's, whose text is copied, not parsed."""
    picture = io.BytesIO()
    image.save(picture, "JPEG", quality=JPEG_QUALITY, dpi=(dpi, dpi))
    try:
        writer = PdfWriter(clone_from=io.BytesIO(text_pdf))
        page = writer.pages[0]
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        xobject = DecodedStreamObject()
        xobject.set_data(picture.getvalue())
        xobject.update(
            {
                NameObject("/Type"): NameObject("/XObject"),
                NameObject("/Subtype"): NameObject("/Image"),
                NameObject("/Width"): NumberObject(image.width),
                NameObject("/Height"): NumberObject(image.height),
                NameObject("/ColorSpace"): NameObject(
                    "/DeviceRGB" if image.mode == "RGB" else "/DeviceGray"
                ),
                NameObject("/BitsPerComponent"): NumberObject(8),
                NameObject("/Filter"): NameObject("/DCTDecode"),
            }
        )
        draw = DecodedStreamObject()
        draw.set_data(f"q {width:.2f} 0 0 {height:.2f} 0 0 cm /Scan Do Q\n".encode("ascii"))
        resources = page["/Resources"].get_object()
        resources[NameObject("/XObject")] = DictionaryObject(
            {NameObject("/Scan"): writer._add_object(xobject)}
        )
        contents = page.raw_get("/Contents")
        # One stream (Tesseract's page) or already a list (blocks laid on one page).
        streams = contents.get_object()
        streams = list(streams) if isinstance(streams, ArrayObject) else [contents]
        page[NameObject("/Contents")] = ArrayObject([writer._add_object(draw), *streams])
        out = io.BytesIO()
        writer.write(out)
    except (PyPdfError, KeyError, ValueError) as exc:
        raise RecognitionError("Không tạo được bản PDF tìm kiếm được của trang") from exc
    return out.getvalue()


MIN_BLOCK_PX = 8  # a block thinner than a letter's stroke has nothing to read


def _read(cleaned: Image.Image, workdir, name: str, dpi: int, number: int):
    """(image path, reading) of the ``cleaned`` page: in one Tesseract run either way, the
    two columns of a national heading read one after the other, then the rest of the page
    (``paper.heading_columns``), or the page as one block."""
    image_path = reading.save(cleaned, workdir, name)
    heading = paper.heading_columns(cleaned, dpi)
    if heading is None:
        return image_path, reading.read(image_path, dpi, number)
    split, bottom = heading
    width, height = cleaned.size
    boxes = [(0, 0, split, bottom), (split, 0, width, bottom), (0, bottom, width, height)]
    # A heading reaching the page's foot (a crop of the heading alone) leaves no rest to read:
    # an empty box would be an image Tesseract cannot take.
    boxes = [b for b in boxes if b[2] - b[0] >= MIN_BLOCK_PX and b[3] - b[1] >= MIN_BLOCK_PX]
    return image_path, reading.read_blocks(cleaned, boxes, workdir, dpi, number)


def _read_upright(page, cleaned, dpi, number, workdir, sideways):
    """(page, reading, clockwise degrees turned): the deskewed ``page`` read through its
    ``cleaned`` copy, turned first if it is not upright.

    A sideways page (its lines ran down it, it has had a quarter turn) is upside down half
    the time: Tesseract's orientation detection is asked before reading it. Any other page
    is read as it is; only when it reads with low confidence is the detection asked, and the
    page read again turned as it says (the other way up when it cannot tell), keeping the
    more confident reading."""
    turned = 0
    if sideways:
        turned = reading.orientation(reading.save(cleaned, workdir, "page")) or 0
        if turned:
            page, cleaned = reading.turn(page, turned), reading.turn(cleaned, turned)
    image_path, first = _read(cleaned, workdir, "page", dpi, number)
    if not first.doubtful:
        return page, first, turned
    again = 180 if sideways else reading.orientation(image_path)
    if again == 0:
        return page, first, turned  # upright: a poor page, not a turned one
    again = again or 180
    _, second = _read(reading.turn(cleaned, again), workdir, "turned", dpi, number)
    if second.confidence <= first.confidence:
        return page, first, turned
    return reading.turn(page, again), second, (turned + again) % 360


def prepare(image: Image.Image, dpi: int) -> tuple[Image.Image, Image.Image, int, paper.Needs]:
    """(the page to show, Tesseract's grey copy before deskewing, DPI, what it needed): the
    work ``paper.analyse`` finds the page needs, and only that. The page shown (in the
    searchable PDF) is the original image, flattened out of its photo when it was one."""
    needs = paper.analyse(image, dpi)
    if needs.blank:
        return image, Image.new("L", image.size, 255), dpi, needs
    if needs.page is not None:
        photo = image
        image, dpi = paper.warp_sheet(photo, needs.page)
        # The photo's memory goes now (32 MB for a phone's 8 Mpx), not when the caller's
        # reference does: nothing reads it once the sheet is cut out of it.
        photo.close()
    gray, inks = paper.ink_free(image) if image.mode == "RGB" else (image, None)
    if needs.bilevel:
        gray = paper.despeckle(gray, dpi)
    if needs.flatten:
        gray = paper.flatten(gray, dpi)
    if inks is not None:
        gray = paper.whiten(gray, inks)
    return image, gray, dpi, needs


def warm_up() -> None:
    """What a worker process loads once and reuses for every page after: the accent
    correction's word lists and OpenCV. The OCR worker's processes live for all their pages
    (no --max-tasks-per-child), so the first page would otherwise pay it alone; the bench
    loads it before timing pages and reports its cost apart."""
    accents.dictionary()
    accents.places()
    paper.opencv()


def recognize_page(path, number: int, content_type=None) -> PageResult:
    """Render, prepare (``prepare``), deskew and recognise page ``number`` (1-based) of the
    file at ``path``."""
    with tempfile.TemporaryDirectory(prefix="bacyen-ocr.") as workdir:
        shown, gray, dpi, needs = prepare(*render_page(path, number, content_type, workdir))
        same = shown is gray  # a grey page needing nothing: one image, not two
        lines = find_lines(gray)
        quarter = 0
        if lines.vertical:  # fed sideways: a quarter turn levels the lines
            gray, quarter = reading.turn(gray, 270), 270
            shown = gray if same else reading.turn(shown, 270)
            lines = find_lines(gray)
        page = rotate(gray, lines.skew) if lines.skew else gray
        # The grey copy goes before the page shown is turned: a phone photo's colour sheet
        # and its turned copy are the worker's largest images, and the peak of its memory.
        del gray
        if same:
            shown = page
        elif lines.skew:
            shown = rotate(shown, lines.skew)
        cleaned = clean_for_ocr(page, dpi)
        if needs.inks:
            cleaned = paper.erase_leaders(cleaned, dpi)
        if needs.margins:
            cleaned = paper.blank_margins(cleaned, dpi)
        del page
        shown, read, turned = _read_upright(shown, cleaned, dpi, number, workdir, bool(quarter))
        del cleaned
        return PageResult(
            number=number,
            text=read.text,
            words=read.words,
            width=shown.width,
            height=shown.height,
            dpi=dpi,
            skew=lines.skew,
            turned=(quarter + turned) % 360,
            pdf=page_pdf(shown, dpi, read.text_pdf),
            steps=needs.steps + (["heading"] if read.blocks > 1 else []),
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
