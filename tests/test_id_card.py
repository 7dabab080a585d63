"""The identity card read at reception (issue #20 item 3): the QR code of the 2021 chip CCCD
(front) and of the 2024 Căn cước (back, more fields), the chip card's TD1 machine-readable
zone when no QR is read, flat scans and phone photos — and every bad image a clear Vietnamese
message, never a 500, never a half-filled form. Real zxing-cpp, OpenCV and Tesseract."""

import io
import json
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from PIL import Image

from digitization.id_card import parse_qr, read_card
from dossiers.models import AuditEvent

from . import id_cards
from .scan_files import corrupt_tiff

EXPECTED = {
    "id_number": "014090001234",
    "full_name": "Lò Thị Hương",
    "birth_date": date(1990, 6, 15),
    "sex": "Nữ",
}


@pytest.fixture(scope="module")
def cards():
    """Each card flat and photographed, as the JPEG a scanner or a phone sends."""
    made = {
        "chip front": id_cards.chip_cccd_front(),
        "căn cước back": id_cards.can_cuoc_back(),
        "chip back (MRZ)": id_cards.chip_cccd_back(),
    }
    out = {}
    for name, card in made.items():
        out[f"{name}, scanned"] = id_cards.jpeg(card, quality=92)
        out[f"{name}, phone photo"] = id_cards.jpeg(id_cards.photographed(card))
        out[f"{name}, phone photo turned"] = id_cards.jpeg(
            id_cards.photographed(card, angle=-22, tilt=0.2, seed=3)
        )
    return out


@pytest.mark.parametrize("kind", ["chip front", "căn cước back", "chip back (MRZ)"])
@pytest.mark.parametrize("way", ["scanned", "phone photo", "phone photo turned"])
def test_each_card_gives_the_applicant_however_it_was_taken(cards, kind, way):
    reading = read_card(cards[f"{kind}, {way}"])
    assert reading.error == ""
    got = {key: getattr(reading, key) for key in EXPECTED}
    if kind == "chip back (MRZ)":
        assert reading.source == "mrz"
        assert got == {**EXPECTED, "full_name": "Lo Thi Huong"}  # the zone has no diacritics
        assert "không có dấu" in reading.warnings[0]
        return
    assert reading.source == "qr" and got == EXPECTED
    assert reading.old_id_number == "050123456" and reading.issue_date == date(2021, 7, 10)
    assert reading.address == id_cards.PERSON["address"]
    if kind == "căn cước back":  # the newer card's further fields, shown as they are
        assert reading.extra == list(id_cards.CAN_CUOC_EXTRA)
    else:
        assert reading.extra == []


def _png(image):
    return id_cards.png(image)


def _card_with_qr(text):
    return id_cards.jpeg(id_cards._card(["Không phải thẻ"], text))


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (_card_with_qr("https://dichvucong.gov.vn/"), "không phải của thẻ căn cước"),
        (
            _card_with_qr(id_cards.qr_text().replace("15061990", "1990-06-15")),
            "ngày sinh phải có dạng",
        ),
        (_card_with_qr(id_cards.qr_text().replace("014090001234", "999090001234")), "mã tỉnh"),
        (id_cards.jpeg(id_cards.chip_cccd_back(tamper=True)), "sai số kiểm tra"),
        (_png(Image.new("L", (1, 1), 255)), "Ảnh quá nhỏ"),
        (b"%PDF-1.7 not an image", "JPEG, PNG hoặc TIFF"),
        (b"\x89PNG\r\n\x1a\n" + b"broken" * 50, "Không mở được ảnh"),
        (corrupt_tiff().read(), "Không mở được ảnh"),
        (_png(Image.new("L", (900, 600), 128)), "Không tìm thấy mã QR hay dòng MRZ"),
    ],
    ids=[
        "url QR",
        "bad date",
        "bad ID",
        "MRZ check digit",
        "1 px",
        "pdf",
        "broken",
        "bad tiff",
        "blank",
    ],
)
def test_what_is_not_a_readable_card_is_said_in_vietnamese(data, message):
    reading = read_card(data)
    assert reading.source == "none" and message in reading.error, reading.error
    assert reading.id_number == "" and reading.full_name == ""  # nothing half-read


def test_a_20000_pixel_image_is_refused_before_it_is_decoded():
    out = io.BytesIO()
    Image.new("1", (20_000, 2_100)).save(out, "PNG")  # 42 MP, a few kB on disk
    reading = read_card(out.getvalue())
    assert reading.source == "none" and "Ảnh quá lớn (20000×2100" in reading.error


def test_a_qr_line_of_the_wrong_shape_is_refused_whole():
    with pytest.raises(Exception, match="giới tính"):
        parse_qr(id_cards.qr_text().replace("|Nữ|", "|X|"))
    assert parse_qr(id_cards.qr_text().replace("|Nữ|", "|nam|")).sex == "Nam"


def test_the_command_prints_one_json_line_per_file_through_the_same_code(tmp_path, capsys):
    front = tmp_path / "mat-truoc.jpg"
    front.write_bytes(id_cards.jpeg(id_cards.photographed(id_cards.chip_cccd_front())))
    blank = tmp_path / "trang.png"
    blank.write_bytes(_png(Image.new("L", (800, 500), 200)))
    with pytest.raises(SystemExit) as exit_:
        call_command("read_id_card", str(front), str(blank), str(tmp_path / "khong-co.jpg"))
    assert exit_.value.code == 1  # two files gave no reading
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [(x["file"], x["source"]) for x in lines] == [
        (str(front), "qr"),
        (str(blank), "none"),
        (str(tmp_path / "khong-co.jpg"), "none"),
    ]
    assert lines[0]["birth_date"] == "1990-06-15" and lines[0]["id_number"] == "014090001234"
    assert lines[0]["issue_date"] == "2021-07-10" and lines[0]["error"] == ""
    assert "Không đọc được tệp" in lines[2]["error"]


def test_the_panel_reads_for_a_counter_clerk_only_and_logs_each_card(client, district):
    url = reverse("digitization:id-card-read")
    photo = id_cards.jpeg(id_cards.photographed(id_cards.can_cuoc_back()))
    client.force_login(district["specialist"])  # of an agency, not a counter
    refused = client.post(url, {"id_card": SimpleUploadedFile("the.jpg", photo)})
    assert "Chỉ cán bộ Bộ phận Một cửa" in refused.text and "data-id_number" not in refused.text
    client.force_login(district["clerk"])
    answer = client.post(url, {"id_card": SimpleUploadedFile("the.jpg", photo)})
    assert answer.status_code == 200
    assert 'data-id_number="014090001234"' in answer.text and "Lò Thị Hương" in answer.text
    assert "Điền vào phiếu" in answer.text and "Thái" in answer.text
    row = AuditEvent.objects.get(action="id_card.read")
    assert row.actor.username == "motcua" and row.data == {
        "holder": "014090001234",
        "source": "qr",
    }
    empty = client.post(url, {})
    assert empty.status_code == 200 and "Chưa chọn ảnh thẻ" in empty.text
    assert AuditEvent.objects.filter(action="id_card.read").count() == 1  # no card, no row
    panel = client.get(reverse("digitization:id-card-panel"))
    assert 'type="file"' in panel.text and 'hx-params="id_card"' in panel.text


def test_the_reception_page_offers_the_card_panel_in_the_applicant_part(client, district):
    client.force_login(district["clerk"])
    page = client.get(reverse("reception"), {"thu_tuc": district["procedure"].national_code})
    applicant_part = page.text.split("Người nộp hồ sơ", 1)[1].split("Thành phần hồ sơ", 1)[0]
    assert reverse("digitization:id-card-panel") in applicant_part


def test_an_escaped_qr_text_cannot_inject_markup(client, district):
    person = {**id_cards.PERSON, "address": '<script>alert("x")</script> Bản Mường'}
    photo = id_cards.jpeg(id_cards._card(["thẻ"], id_cards.qr_text(person)))
    client.force_login(district["clerk"])
    answer = client.post(
        reverse("digitization:id-card-read"), {"id_card": SimpleUploadedFile("t.jpg", photo)}
    )
    assert "<script>alert" not in answer.text and "&lt;script&gt;" in answer.text
