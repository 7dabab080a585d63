"""Tone marks put right after Tesseract where it hesitated (digitization/accents.py, #20)."""

import subprocess

from digitization import accents, filetypes, reading
from digitization.recognition import recognize_page
from tests.scan_pages import SANS, draw_page, save

PAYMENT = "Tổng số tiền hỗ trợ đã chi trả qua Bộ phận Một cửa theo danh sách trên."


def _tokens(text):
    return text.split()


def test_a_doubted_tone_is_put_right_by_the_words_around_it():
    tokens = _tokens("hỗ trợ đã chỉ trả qua")
    doubts = [[] for _ in tokens]
    doubts[3] = [(2, ["i"])]  # Tesseract weighed a plain i for ỉ
    assert accents.correct_tokens(tokens, doubts) == {3: "chi"}
    # The same with punctuation around the syllables and a doubted đ.
    tokens = _tokens("Độc lập - Tự đo - Hạnh phúc")
    doubts = [[] for _ in tokens]
    doubts[4] = [(0, ["d"])]
    assert accents.correct_tokens(tokens, doubts) == {4: "do"}


def test_a_letter_tesseract_was_sure_of_is_never_changed():
    tokens = _tokens("hỗ trợ đã chỉ trả qua")
    assert accents.correct_tokens(tokens, [[] for _ in tokens]) == {}
    # A doubt the dictionary does not support changes nothing either.
    doubts = [[] for _ in tokens]
    doubts[1] = [(2, ["ờ"])]
    assert accents.correct_tokens(tokens, doubts) == {}


def test_a_name_changes_only_into_a_place_name():
    tokens = _tokens("ông Đỉnh Minh")
    doubts = [[], [(1, ["i"])], []]
    assert accents.correct_tokens(tokens, doubts) == {}  # people's names are not known
    tokens = _tokens("xã Tà Xừa, tỉnh Sơn La")
    doubts = [[], [], [(1, ["ù"])], [], [], []]
    assert accents.correct_tokens(tokens, doubts) == {2: "Xùa,"}
    # Junk of mixed case is left as it is.
    tokens = _tokens("đã chỉNh trả")
    assert accents.correct_tokens(tokens, [[], [(2, ["i"])], []]) == {}


def test_the_dictionaries_come_from_the_data_packages():
    words, places = accents.dictionary(), accents.places()
    assert len(words) > 70_000 and "chi trả" in words and "chính quyền" in words
    assert "chỉ trả" not in words
    assert "tà xùa" in places and "sơn la" in places and len(places) > 2_000


def test_the_hocr_gives_the_word_boxes_and_the_doubted_letters(tmp_path):
    path = save(draw_page([PAYMENT], font=SANS), tmp_path / "p.bmp")
    read = reading.read(path, 300, 1)
    words = [word[0] for word in read.words]
    assert words == read.text.split()
    assert all(word[3] > 0 and word[4] > 0 and 0 < word[5] <= 100 for word in read.words)
    hocr = tmp_path.joinpath("p-ocr.hocr").read_text(encoding="utf-8")
    _, doubts = reading.parse_hocr(hocr)
    assert any(doubts), "Tesseract's LSTM choices are in the hOCR"


def test_a_page_reads_chi_tra_and_its_searchable_pdf_too(tmp_path):
    """Tesseract's own first choice is «chỉ trả» on this line in every font; the portal's
    text, word boxes and the searchable PDF's hidden text say «chi trả»."""
    path = save(draw_page([PAYMENT, "Độc lập - Tự do - Hạnh phúc"], font=SANS), tmp_path / "a.png")
    raw = subprocess.run(
        ["tesseract", str(path), "-", "-l", "vie", "--psm", "6"], capture_output=True, check=True
    ).stdout.decode("utf-8")
    page = recognize_page(path, 1, filetypes.PNG)
    assert "chi trả" in page.text and "chỉ" not in page.text, (raw, page.text)
    assert "chi" in [word[0] for word in page.words]
    pdf = tmp_path / "a.pdf"
    pdf.write_bytes(page.pdf)
    hidden = subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, check=True
    ).stdout.decode("utf-8")
    assert "chi trả" in " ".join(hidden.split()) and "chỉ" not in hidden


def test_retext_pdf_rewrites_only_the_words_changed(tmp_path):
    path = save(draw_page([PAYMENT], font=SANS), tmp_path / "r.png")
    out = tmp_path / "r"
    subprocess.run(
        ["tesseract", str(path), str(out), "-l", "vie", "--psm", "6", "-c", "textonly_pdf=1"]
        + ["pdf"],
        capture_output=True,
        check=True,
    )
    before = out.with_suffix(".pdf").read_bytes()
    after = accents.retext_pdf(before, {"chỉ": "chi"})
    text = subprocess.run(
        ["pdftotext", "-", "-"], input=after, capture_output=True, check=True
    ).stdout.decode("utf-8")
    assert "đã chi trả qua" in " ".join(text.split())
    assert accents.retext_pdf(before, {}) is before
    assert accents.retext_pdf(b"not a pdf", {"chỉ": "chi"}) == b"not a pdf"
