"""Real paper before recognition (digitization.paper, issue #20), on pages drawn by the OCR
bench's generator (bench/ocr_paper.py) and read by real Tesseract, against raw Tesseract
on the same image. Pages are made once per module."""

import io
import subprocess

import numpy as np
import pytest
from PIL import Image, ImageDraw
from pypdf import PdfReader

from bench.ocr_metrics import score
from bench.ocr_pages import PAPER_SPECS, write
from digitization import filetypes, paper
from digitization.recognition import recognize_page, render_page
from tests.scan_pages import draw_page, save


def _spec(kind, dpi=None):
    spec = next(s for s in PAPER_SPECS if s.paper == kind)
    return spec if dpi is None else type(spec)(**{**spec.__dict__, "dpi": dpi})


@pytest.fixture(scope="module")
def pages(tmp_path_factory):
    folder = tmp_path_factory.mktemp("paper")
    return {
        kind: write(_spec(kind), folder) for kind in ("office", "photo", "form", "heading", "copy")
    }


def raw_tesseract(page) -> str:
    done = subprocess.run(
        ["tesseract", str(page.image_path), "-", "-l", "vie"],
        capture_output=True,
        check=True,
        timeout=120,
        env={"OMP_THREAD_LIMIT": "1", "PATH": "/usr/bin:/bin"},
    )
    return done.stdout.decode("utf-8", "replace")


def test_a_clean_grey_scan_takes_the_fast_path(tmp_path):
    path = save(draw_page(["Ủy ban nhân dân xã Tà Xùa", "Giấy xác nhận"]), tmp_path / "a.png")
    image, dpi = render_page(path, 1, filetypes.PNG, tmp_path)
    assert image.mode == "L"
    assert paper.analyse(image, dpi).steps == []
    assert recognize_page(path, 1, filetypes.PNG).steps == []


def test_a_sealed_office_copy_reads_better_than_raw_tesseract(pages):
    page = pages["office"]
    result = recognize_page(page.path, page.number, page.content_type)
    assert result.steps == ["inks", "leaders", "flatten", "margins", "heading"]
    ours, raw = score(page.truth, result.text), score(page.truth, raw_tesseract(page))
    assert ours.cer < raw.cer
    # The signature block's lines under the red seal and the blue signature are read.
    signer = page.truth.splitlines()[-1]
    assert "CHỦ TỊCH" in result.text and signer in result.text
    # The searchable PDF shows the colour page (the seal stays red there).
    pdf = PdfReader(io.BytesIO(result.pdf))
    image = next(iter(pdf.pages[0].images)).image
    assert image.mode == "RGB"
    assert signer.split()[-1] in pdf.pages[0].extract_text()


def test_a_phone_photo_is_found_straightened_and_read(pages):
    page = pages["photo"]
    image, dpi = render_page(page.path, 1, page.content_type, None)
    needs = paper.analyse(image, dpi)
    assert needs.page is not None and needs.flatten and needs.inks
    result = recognize_page(page.path, page.number, page.content_type)
    assert result.width / result.height == pytest.approx(8.27 / 11.69, rel=0.01)
    assert 200 <= result.dpi <= 300  # from the sheet's width, not the photo's 72 DPI
    ours, raw = score(page.truth, result.text), score(page.truth, raw_tesseract(page))
    assert ours.cer < raw.cer / 3


def test_a_filled_forms_blanks_are_not_read_as_junk(pages):
    page = pages["form"]
    result = recognize_page(page.path, page.number, page.content_type)
    assert "inks" in result.steps
    for label in ("Họ và tên người đề nghị:", "Số định danh cá nhân:", "Nơi thường trú:"):
        line = next(line for line in result.text.splitlines() if line.startswith(label))
        assert len(line.rstrip(" :.-")) <= len(label) + 1, line
    ours, raw = score(page.truth, result.text), score(page.truth, raw_tesseract(page))
    assert ours.cer < raw.cer / 3


def test_the_two_column_heading_is_read_column_by_column(pages):
    page = pages["heading"]
    result = recognize_page(page.path, page.number, page.content_type)
    assert result.steps == ["heading"]  # a clean grey page: nothing else to do
    truth = page.truth.splitlines()
    # Agency, number, then Quốc hiệu, tiêu ngữ, place and date: never interleaved.
    assert result.text.splitlines()[:6] == truth[:6]
    assert score(page.truth, result.text).cer < score(page.truth, raw_tesseract(page)).cer / 3
    # Word boxes and the text layer are where the words are on the page.
    boxes = {w[0]: w for w in result.words}
    assert boxes["Số:"][1] + boxes["Số:"][3] < boxes["CỘNG"][1] > 0.4 * result.width
    assert boxes["Số:"][2] > boxes["CỘNG"][2]  # the number's row is below the Quốc hiệu's
    layer = PdfReader(io.BytesIO(result.pdf)).pages[0]
    found = []
    layer.extract_text(
        visitor_text=lambda text, cm, tm, *_: found.append((text.strip(), cm[4] + tm[4]))
    )
    for word in ("Số:", "CỘNG"):
        x = next(x for text, x in found if text.startswith(word))
        assert x == pytest.approx(boxes[word][1] * 72 / result.dpi, abs=4)


def test_a_fax_loses_its_specks_and_black_bands_not_its_accents(pages):
    page = pages["copy"]
    result = recognize_page(page.path, page.number, page.content_type)
    assert result.steps[:2] == ["despeckle", "margins"]
    ours, raw = score(page.truth, result.text), score(page.truth, raw_tesseract(page))
    assert ours.cer < raw.cer / 3
    assert ours.accent_errors <= raw.accent_errors
    # Nothing read from the copier's black bands: no line is all punctuation.
    assert not [
        line
        for line in result.text.splitlines()
        if line.strip(" .,:;'`-_|—") == "" and line.strip()
    ]


def test_a_colour_scan_in_a_pdf_is_rendered_in_colour_and_its_seal_dropped(pages, tmp_path):
    page = pages["office"]
    path = tmp_path / "ban-sao.pdf"
    with Image.open(page.path) as image:
        image.save(path, "PDF", resolution=page.spec.dpi)
    result = recognize_page(path, 1, filetypes.PDF)
    assert "inks" in result.steps
    assert "CHỦ TỊCH" in result.text


@pytest.mark.parametrize(
    "make",
    [
        lambda: Image.new("RGB", (1, 1), (200, 30, 40)),  # one red pixel
        lambda: Image.new("RGB", (20, 20000), (30, 50, 170)),  # a blue ribbon
        lambda: _all_seal(),
        lambda: _desk_without_a_page(),
    ],
    ids=["1px", "20000px", "all seal", "no page"],
)
def test_odd_pictures_give_a_page_not_a_crash(tmp_path, make):
    path = tmp_path / "anh.png"
    make().save(path)
    result = recognize_page(path, 1, filetypes.PNG)
    assert len(result.text.split()) <= 3  # nothing, or a doubtful scrap: never a page of junk
    assert result.pdf.startswith(b"%PDF")


def _all_seal() -> Image.Image:
    image = Image.new("RGB", (1200, 1600), (240, 232, 205))
    draw = ImageDraw.Draw(image)
    for r in range(560, 100, -60):
        draw.ellipse([600 - r, 800 - r, 600 + r, 800 + r], outline=(210, 35, 45), width=22)
    return image


def _desk_without_a_page() -> Image.Image:
    grain = np.random.default_rng(1).normal(0, 12, (1200, 900, 1))
    wood = np.array([128, 88, 58]) + grain
    return Image.fromarray(np.clip(wood, 0, 255).astype(np.uint8), "RGB")


def test_a_crop_of_the_heading_alone_is_read_without_an_empty_block(pages, tmp_path):
    """The heading's band reaching the image's foot leaves no rest of the page to read: the
    empty third block is dropped instead of failing the page (a review found it)."""
    page = pages["heading"]
    image = Image.open(page.path)
    heading = paper.heading_columns(image.convert("L"), page.spec.dpi)
    assert heading is not None
    crop = tmp_path / "quoc-hieu.png"
    image.crop((0, 0, image.width, heading[1])).save(crop, dpi=(page.spec.dpi, page.spec.dpi))
    result = recognize_page(crop, 1, filetypes.PNG)
    assert "CỘNG HÒA" in result.text and result.pdf.startswith(b"%PDF")
