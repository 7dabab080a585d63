"""Tesseract on a cleaned page: one reading (text, word boxes and the invisible text layer of
the searchable PDF, from ONE run) and, for a page that seems turned, its orientation (OSD).

Settings, each measured on the bench's pages (bench/bench_ocr.py):

- ``vie`` alone (an ``eng`` mix costs accents) and ``--psm 6``, one uniform block of text:
  the default segmentation splits skewed pages and tables into columns read in the wrong
  order;
- ``preserve_interword_spaces=1``: the spaces between words as they are on the page;
- ``tessedit_do_invert=0``: do not read again, inverted, every line Tesseract is unsure of.
  Scans are dark ink on light paper; the second reading costs time and, when it wins, gives
  garbage (CER 0.44 % → 0.37 % on the bench's pages);
- ``textord_disable_pitch_test=1``: no search for fixed-pitch (typewriter) rows. It only
  serves the legacy engine's character chopping; the LSTM engine's output is identical,
  a monospaced page included, and Tesseract is 7 % faster;
- ``lstm_choice_mode=2``: Tesseract writes, in its hOCR output, the characters it weighed
  for each letter; digitization/accents.py corrects a tone mark only where Tesseract
  hesitated (accent errors 15 → 9 of 6,357 marked letters on the bench; 7 % more CPU in
  Tesseract with ``lstm_choice_iterations=1``, which weighs as much as the default 5 here,
  the text read unchanged). The word boxes come from the same hOCR: no TSV output;
- the page goes to Tesseract as BMP, which leptonica reads in one block: it reads PGM a
  byte at a time (80 ms of an A4 page at 300 DPI).
"""

import io
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from lxml import etree
from PIL import Image
from pypdf import PdfReader, PdfWriter, Transformation
from pypdf.errors import PyPdfError

from . import accents
from .programs import RecognitionError, env, run

PSM = "6"
TESSERACT_CONFIG = (
    "preserve_interword_spaces=1",
    "tessedit_do_invert=0",
    "textord_disable_pitch_test=1",
    "textonly_pdf=1",
    "lstm_choice_mode=2",
    "lstm_choice_iterations=1",
)
TESSERACT_TIMEOUT = 180
OSD_TIMEOUT = 60
# A page read with a mean word confidence below this may be upside down or sideways: upright
# pages of the bench score 87–96, the same pages upside down 37–50.
LOW_CONFIDENCE = 70
MIN_WORDS = 5  # fewer words than this say nothing about the page's orientation
# Turns (clockwise degrees) as Pillow's transpositions (which turn counter-clockwise).
TURNS = {
    90: Image.Transpose.ROTATE_270,
    180: Image.Transpose.ROTATE_180,
    270: Image.Transpose.ROTATE_90,
}


def languages() -> str:
    try:
        return getattr(settings, "OCR_LANGUAGES", "vie") or "vie"
    except Exception:  # Django not configured: the bench or a bare script.
        return "vie"


@dataclass
class Reading:
    image_path: Path  # what Tesseract read (BMP)
    text: str
    words: list  # [[word, left, top, width, height, conf]]
    text_pdf: bytes  # one page, the invisible text layer only
    blocks: int = 1  # blocks read one after the other (3: a two-column heading, the rest)

    @property
    def confidence(self) -> float:
        """Mean confidence of the words (0–100), 0 without words."""
        return sum(w[5] for w in self.words) / len(self.words) if self.words else 0.0

    @property
    def doubtful(self) -> bool:
        """Enough words read with so little confidence that the page may be turned."""
        return len(self.words) >= MIN_WORDS and self.confidence < LOW_CONFIDENCE


def turn(image: Image.Image, degrees: int) -> Image.Image:
    """``image`` turned clockwise by a multiple of 90 degrees, exactly."""
    degrees %= 360
    return image.transpose(TURNS[degrees]) if degrees else image


def save(image: Image.Image, workdir, name: str) -> Path:
    path = Path(workdir) / f"{name}.bmp"
    image.save(path)
    return path


XHTML = "{http://www.w3.org/1999/xhtml}"
BBOX = re.compile(r"bbox (-?\d+) (-?\d+) (-?\d+) (-?\d+)")
WCONF = re.compile(r"x_wconfs? ([\d.]+)")
# Tesseract's hOCR nests area > paragraph > line > word; a word's LSTM choices, one element
# per character and choice, are below it and outnumber the words about thirty to one: the words are
# found by that path, without walking through their choices.
WORDS = f"{XHTML}div/{XHTML}p/{XHTML}span/{XHTML}span"
# lxml parses the hOCR in a fifth of ElementTree's time (5 against 28 ms for a page with its
# LSTM choices); Tesseract's own output, read with no entities, no DTD and no network.
HOCR_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)


def parse_hocr(hocr: str, blocks: bool = False) -> tuple[list, list]:
    """Tesseract's hOCR: the word boxes ``[word, left, top, width, height, conf]`` (with
    ``blocks``, each ends with the index of the image it is on) and, per word, the doubted
    letters of its LSTM choices (``accents.doubts``)."""
    try:
        root = etree.fromstring(hocr.encode("utf-8"), HOCR_PARSER)  # noqa: S320 - see HOCR_PARSER
    except etree.XMLSyntaxError as exc:
        raise RecognitionError("Không đọc được kết quả nhận dạng của Tesseract") from exc
    words, doubts = [], []
    pages = (div for div in root.iter(f"{XHTML}div") if div.get("class") == "ocr_page")
    for index, page in enumerate(pages):
        for span in page.iterfind(WORDS):
            if span.get("class") != "ocrx_word":
                continue
            text = (span.text or "").strip()
            box, conf = BBOX.search(span.get("title", "")), WCONF.search(span.get("title", ""))
            if not text or not box:
                continue
            left, top, right, bottom = (int(n) for n in box.groups())
            word = [text, left, top, right - left, bottom - top, float(conf[1]) if conf else 0.0]
            words.append([*word, index] if blocks else word)
            doubts.append(accents.doubts(text, [list(place) for place in span]))
    return words, doubts


def clean_text(text: str) -> str:
    # Tesseract ends a page with a form feed; the pipeline joins pages itself.
    return text.replace("\f", "").rstrip() + ("\n" if text.strip() else "")


def read(image_path: Path, dpi: int, number: int, blocks: bool = False) -> Reading:
    """One Tesseract run on ``image_path``: its text, word boxes and text-only PDF page.
    With ``blocks``, ``image_path`` lists images (one per line) and each word box ends with
    the index of the image it is on."""
    out = image_path.with_name(f"{image_path.stem}-ocr")
    args = ["tesseract", str(image_path), str(out), "-l", languages(), "--psm", PSM]
    args += ["--dpi", str(dpi)]
    for setting in TESSERACT_CONFIG:
        args += ["-c", setting]
    failure = f"Không nhận dạng được chữ trên trang {number}"
    run([*args, "txt", "pdf", "hocr"], TESSERACT_TIMEOUT, failure)
    try:
        text = out.with_suffix(".txt").read_text(encoding="utf-8", errors="replace")
        text_pdf = out.with_suffix(".pdf").read_bytes()
        hocr = out.with_suffix(".hocr").read_text(encoding="utf-8", errors="replace")
    except OSError as exc:
        raise RecognitionError(failure) from exc
    words, doubts = parse_hocr(hocr, blocks)
    text, words, changes = accents.correct_reading(text, words, doubts)
    text_pdf = accents.retext_pdf(text_pdf, changes)
    return Reading(image_path, clean_text(text), words, text_pdf)


def read_blocks(image: Image.Image, boxes, workdir, dpi: int, number: int) -> Reading:
    """One Tesseract run over the ``boxes`` (left, top, right, bottom) of ``image``, in that
    order (a list file: the model is loaded once): their texts one after the other, the word
    boxes and the text layer put back where each block lies on the page."""
    paths = []
    for index, box in enumerate(boxes):
        paths.append(save(image.crop(box), workdir, f"block{index}"))
    listing = Path(workdir) / "blocks.txt"
    listing.write_text("".join(f"{path}\n" for path in paths), encoding="utf-8")
    joined = read(listing, dpi, number, blocks=True)
    words = []
    for word in joined.words:
        left, top = boxes[word.pop()][:2]
        words.append([word[0], word[1] + left, word[2] + top, *word[3:]])
    text = "\n".join(part.strip("\n") for part in joined.text.split("\f") if part.strip())
    return Reading(
        paths[0],
        clean_text(text),
        words,
        _one_page(joined.text_pdf, boxes, image.size, dpi, number),
        len(boxes),
    )


def _one_page(text_pdf: bytes, boxes, size, dpi: int, number: int) -> bytes:
    """The blocks' text-only PDF pages laid on one page of the whole image's size."""
    scale = 72 / dpi
    try:
        pages = PdfReader(io.BytesIO(text_pdf)).pages
        writer = PdfWriter()
        sheet = writer.add_blank_page(size[0] * scale, size[1] * scale)
        for page, (left, _top, _right, bottom) in zip(pages, boxes, strict=True):
            move = Transformation().translate(left * scale, (size[1] - bottom) * scale)
            sheet.merge_transformed_page(page, move)
        out = io.BytesIO()
        writer.write(out)
    except (PyPdfError, ValueError, KeyError) as exc:
        raise RecognitionError(f"Không nhận dạng được chữ trên trang {number}") from exc
    return out.getvalue()


def orientation(image_path: Path) -> int | None:
    """Clockwise degrees (0, 90, 180 or 270) that turn the page at ``image_path`` upright,
    from Tesseract's orientation and script detection (``--psm 0``, osd.traineddata,
    Debian's tesseract-ocr-osd); None when it cannot tell (too few letters, no OSD data)."""
    try:
        done = subprocess.run(
            ["tesseract", str(image_path), "-", "--psm", "0", "-l", "osd"],
            capture_output=True,
            timeout=OSD_TIMEOUT,
            env=env(),
            stdin=subprocess.DEVNULL,
        )
    except (subprocess.TimeoutExpired, OSError):
        return None
    match = re.search(r"^Rotate:\s*(\d+)", done.stdout.decode("utf-8", "replace"), re.M)
    if done.returncode != 0 or not match or int(match[1]) % 90:
        return None
    return int(match[1]) % 360
