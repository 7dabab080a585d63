"""The counter's printed forms (Mẫu 01–06, Thông tư 01/2018/TT-VPCP) rendered by WeasyPrint:
what each shows, its page size, the QR code of the receipt, the register's query count, and
that an issued form is stored once."""

import hashlib
import io
import re
import subprocess
import unicodedata
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import segno
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from pypdf import PdfReader

from dossiers.models import DossierComponent, DossierEvent, PrintedForm, Unit
from dossiers.printing import FormError, issue_form, render_form, render_register

from .factories import (
    ApplicantFactory,
    DossierFactory,
    ProcedureFactory,
    UnitFactory,
    UnitLevelFactory,
    staff,
)

pytestmark = pytest.mark.django_db

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
NATIONAL_HEADING = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
A4_PORTRAIT, A4_LANDSCAPE = (595, 842), (842, 595)
# The register, whatever the number of dossiers:
#  1. SELECT dossiers_dossier JOIN procedure, applicant: the period's dossiers
#  2. SELECT dossiers_dossierevent JOIN dossiers_unit: their hand-overs, all at once
#  3. SELECT dossiers_unit JOIN dossiers_unitlevel: the unit and its parents, for the heading
REGISTER_QUERIES = 3
STEP_NOTE = "đối chiếu hồ sơ địa chính, xác minh hiện trạng sử dụng đất"
LONG_PROCEDURE = (
    "Thủ tục đăng ký khai sinh kết hợp đăng ký nhận cha, mẹ, con cho trẻ em sinh ra tại "
    "Việt Nam có cha hoặc mẹ là công dân Việt Nam cư trú ở khu vực biên giới"
)


def local(*args):
    return datetime(*args, tzinfo=TZ)


def nfc(text):
    return unicodedata.normalize("NFC", " ".join(text.split()))


def pdf_text(pdf):
    """All pages' text, NFC, whitespace collapsed."""
    return nfc(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages))


def page_size(pdf):
    box = PdfReader(io.BytesIO(pdf)).pages[0].mediabox
    return round(float(box.width)), round(float(box.height))


def save_png(pdf, artifacts_dir, tmp_path, name):
    """Page 1 as PNG in test-artifacts/, to look at."""
    source = tmp_path / f"{name}.pdf"
    source.write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-r", "60", "-png", "-singlefile", str(source), str(artifacts_dir / name)],
        check=True,
    )
    assert (artifacts_dir / f"{name}.png").stat().st_size > 0


def assert_heading(text, unit):
    assert NATIONAL_HEADING in text
    assert MOTTO in text
    assert unit.name.upper() in text
    assert unit.parent.name.upper() in text


@pytest.fixture
def district():
    level = UnitLevelFactory(code="district", name="Huyện", rank=2, is_area=True)
    agency = UnitLevelFactory(code="agency", name="Cơ quan chuyên môn", rank=3, is_area=False)
    top = UnitFactory(code="H50.22", name="UBND huyện Bắc Yên", level=level, kind="district")

    def unit(code, name, **kwargs):
        return UnitFactory(code=code, name=name, level=agency, parent=top, **kwargs)

    return {
        "top": top,
        "counter": unit(
            "H50.22.02",
            "Bộ phận Một cửa huyện Bắc Yên",
            address="Tiểu khu 1, thị trấn Bắc Yên, huyện Bắc Yên, tỉnh Sơn La",
            phone="02123870123",
        ),
        "justice": unit("H50.22.03", "Phòng Tư pháp huyện Bắc Yên"),
        "land": unit("H50.22.04", "Phòng Tài nguyên và Môi trường huyện Bắc Yên"),
    }


@pytest.fixture
def dossier(district):
    counter = district["counter"]
    clerk = staff(counter, role="clerk", first_name="Lan", last_name="Cầm Thị")
    procedure = ProcedureFactory(
        name=LONG_PROCEDURE,
        national_code="1.001193",
        legal_basis="Luật Hộ tịch số 60/2014/QH13.\nNghị định số 123/2015/NĐ-CP, Điều 16.",
    )
    applicant = ApplicantFactory(
        name="Hoàng Thị Thu Hường",
        id_number="014190001234",
        address="Bản Suối Lềnh, xã Phiêng Côn, huyện Bắc Yên, tỉnh Sơn La",
        email="thuhuong@example.vn",
    )
    dossier = DossierFactory(
        in_progress=True,
        code="H50.22.02-261124-0007",
        check_code="7KQ3MP",
        procedure=procedure,
        applicant=applicant,
        receiving_unit=counter,
        current_unit=district["justice"],
        received_by=clerk,
        received_at=local(2026, 11, 24, 9, 30),
        due_at=local(2026, 11, 27, 9, 30),
        appointment_at=local(2026, 12, 2, 16, 0),
        note="Ghi chú nội bộ: người nộp là người thân của cán bộ",
    )
    for name, form, copies in [
        ("Tờ khai đăng ký khai sinh (theo mẫu)", "original", 1),
        ("Giấy chứng sinh do cơ sở khám bệnh, chữa bệnh cấp", "original", 1),
        ("Giấy chứng nhận kết hôn của cha, mẹ", "copy", 2),
    ]:
        DossierComponent.objects.create(dossier=dossier, name=name, form=form, copies=copies)
    DossierComponent.objects.create(
        dossier=dossier, name="Văn bản ủy quyền (không nộp)", form="original", received=False
    )
    dossier.clerk = clerk
    return dossier


def event(dossier, action, at, **kwargs):
    kwargs.setdefault("to_state", dossier.state)
    return DossierEvent.objects.create(dossier=dossier, action=action, at=at, **kwargs)


def qr_matrix(image, size):
    """Sample a ``size``×``size`` QR symbol from a black-on-white image without quiet zone
    beyond the finder patterns' bounding box."""
    grey = image.convert("L")
    left, top, right, bottom = grey.point(lambda v: 255 if v < 128 else 0).getbbox()
    step_x, step_y = (right - left) / size, (bottom - top) / size
    return [
        [
            grey.getpixel((int(left + (col + 0.5) * step_x), int(top + (row + 0.5) * step_y))) < 128
            for col in range(size)
        ]
        for row in range(size)
    ]


def test_receipt_mau01(dossier, district, artifacts_dir, tmp_path):
    pdf = render_form(dossier, "receipt")
    save_png(pdf, artifacts_dir, tmp_path, "mau01")
    assert page_size(pdf) == A4_PORTRAIT
    text = pdf_text(pdf)
    assert_heading(text, district["counter"])
    assert "Mẫu số 01" in text
    assert "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ" in text
    assert "Bắc Yên, ngày 24 tháng 11 năm 2026" in text
    for expected in [
        "H50.22.02-261124-0007",
        "Mã tra cứu 7KQ3MP",
        "Hoàng Thị Thu Hường",
        "014190001234",
        "0912345678",
        "thuhuong@example.vn",
        "Bản Suối Lềnh, xã Phiêng Côn, huyện Bắc Yên, tỉnh Sơn La",
        nfc(LONG_PROCEDURE),
        "1.001193",
        "Giấy chứng sinh do cơ sở khám bệnh, chữa bệnh cấp",
        "Giấy chứng nhận kết hôn của cha, mẹ Bản sao 2",
        "Số lượng hồ sơ: 01 bộ",
        "09:30, ngày 24/11/2026",  # received
        "16:00, ngày 02/12/2026",  # appointment (extended), not the original due date
        "Tiểu khu 1, thị trấn Bắc Yên",
        "Cầm Thị Lan",
        "Quét mã để tra cứu tình trạng hồ sơ",
        "NGƯỜI NỘP HỒ SƠ",
        "NGƯỜI TIẾP NHẬN HỒ SƠ",
    ]:
        assert expected in text, expected
    # Only what was handed in, and nothing internal: the receipt goes to the citizen.
    assert "Văn bản ủy quyền" not in text
    assert "Ghi chú nội bộ" not in text
    assert "27/11/2026" not in text

    # The QR code is an image in the PDF that encodes exactly the public lookup address.
    url = f"{settings.PUBLIC_BASE_URL}/tra-cuu/?ma={dossier.code}&kt={dossier.check_code}"
    images = PdfReader(io.BytesIO(pdf)).pages[0].images
    assert len(images) == 1
    candidates = [
        segno.make(url, error=level, boost_error=boost) for level in "lmqh" for boost in (0, 1)
    ]
    assert any(
        qr_matrix(images[0].image, len(qr.matrix)) == [[bool(v) for v in row] for row in qr.matrix]
        for qr in candidates
    )


def test_receipt_timestamps_are_local_time(dossier):
    # 23:10 UTC on 30/11 is 06:10 on 01/12 in Bắc Yên: dates and the date line follow it.
    dossier.received_at = datetime(2026, 11, 30, 23, 10, tzinfo=ZoneInfo("UTC"))
    dossier.save()
    text = pdf_text(render_form(dossier, "receipt"))
    assert "06:10, ngày 01/12/2026" in text
    assert "Bắc Yên, ngày 01 tháng 12 năm 2026" in text


def test_supplement_request_mau02_uses_the_latest_request(
    dossier, district, artifacts_dir, tmp_path
):
    asker = staff(district["justice"], role="specialist", first_name="Tuấn", last_name="Lò Văn")
    event(dossier, "request_supplement", local(2026, 11, 25, 8, 0), note="Yêu cầu cũ, đã xong")
    event(
        dossier,
        "request_supplement",
        local(2026, 11, 25, 14, 20),
        actor=asker,
        actor_unit=district["justice"],
        note="Thiếu bản sao Giấy chứng nhận kết hôn có chứng thực; bản đã nộp bị mờ, "
        "không đọc được số đăng ký.",
    )
    pdf = render_form(dossier, "supplement")
    save_png(pdf, artifacts_dir, tmp_path, "mau02")
    assert page_size(pdf) == A4_PORTRAIT
    text = pdf_text(pdf)
    assert_heading(text, district["counter"])
    assert "Mẫu số 02" in text
    assert "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ" in text
    assert "bản đã nộp bị mờ, không đọc được số đăng ký" in text
    assert "Yêu cầu cũ" not in text
    assert "Lò Văn Tuấn, Phòng Tư pháp huyện Bắc Yên" in text
    assert "14:20, ngày 25/11/2026" in text
    assert "Bắc Yên, ngày 25 tháng 11 năm 2026" in text
    assert "H50.22.02-261124-0007" in text
    assert "Hoàng Thị Thu Hường" in text
    assert nfc(LONG_PROCEDURE) in text
    assert "NGƯỜI HƯỚNG DẪN" in text


def test_refusal_mau03(dossier, district, artifacts_dir, tmp_path):
    refusal = event(
        dossier,
        "refuse",
        local(2026, 11, 24, 10, 0),
        actor=dossier.clerk,
        actor_unit=district["counter"],
        note="Trẻ đã được đăng ký khai sinh tại UBND xã Tà Xùa năm 2025.",
    )
    pdf = render_form(dossier, "refusal", event=refusal)
    save_png(pdf, artifacts_dir, tmp_path, "mau03")
    assert page_size(pdf) == A4_PORTRAIT
    text = pdf_text(pdf)
    assert_heading(text, district["counter"])
    assert "Mẫu số 03" in text
    assert "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ" in text
    assert "Trẻ đã được đăng ký khai sinh tại UBND xã Tà Xùa năm 2025." in text
    assert "Luật Hộ tịch số 60/2014/QH13. Nghị định số 123/2015/NĐ-CP, Điều 16." in text
    assert "H50.22.02-261124-0007" in text
    assert "Hoàng Thị Thu Hường" in text
    assert nfc(LONG_PROCEDURE) in text
    assert "NGƯỜI TIẾP NHẬN" in text and "Cầm Thị Lan" in text


def test_apology_mau04(dossier, district, artifacts_dir, tmp_path):
    leader = staff(district["justice"], role="leader", first_name="Thắng", last_name="Hà Văn")
    event(
        dossier,
        "extend",
        local(2026, 11, 26, 15, 45),
        actor=leader,
        actor_unit=district["justice"],
        note="Cần xác minh nơi cư trú của người mẹ tại xã Hang Chú.",
    )
    pdf = render_form(dossier, "apology")
    save_png(pdf, artifacts_dir, tmp_path, "mau04")
    assert page_size(pdf) == A4_PORTRAIT
    text = pdf_text(pdf)
    assert_heading(text, district["counter"])
    assert "Mẫu số 04" in text
    assert "VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT" in text
    assert "Kính gửi: Ông/Bà Hoàng Thị Thu Hường" in text
    assert "Cần xác minh nơi cư trú của người mẹ tại xã Hang Chú." in text
    assert "Thời hạn trả kết quả giải quyết hồ sơ: 09:30, ngày 27/11/2026" in text
    assert "vào 16:00, ngày 02/12/2026" in text
    assert "xin lỗi Ông/Bà" in text
    assert "Bắc Yên, ngày 26 tháng 11 năm 2026" in text


def test_control_slip_mau05_lists_the_history_in_order(dossier, district, artifacts_dir, tmp_path):
    counter, justice, land = district["counter"], district["justice"], district["land"]
    specialist = staff(justice, role="specialist", first_name="Mai", last_name="Đinh Thị")
    # Created out of order: the slip follows the moments, not the ids.
    steps = [
        (
            "transfer",
            local(2026, 11, 25, 15, 0),
            dict(
                from_unit=justice,
                to_unit=land,
                actor=specialist,
                step_due_at=local(2026, 11, 25, 9, 30),
                on_time=False,
                electronic=False,
                note="Chuyển xác minh thửa đất",
            ),
        ),
        (
            "receive",
            local(2026, 11, 24, 9, 30),
            dict(
                actor=dossier.clerk, actor_unit=counter, to_unit=counter, note="Hồ sơ đủ thành phần"
            ),
        ),
        (
            "assign",
            local(2026, 11, 24, 10, 5),
            dict(
                from_unit=counter,
                to_unit=justice,
                actor=dossier.clerk,
                step_due_at=local(2026, 11, 24, 16, 0),
                on_time=True,
                electronic=True,
            ),
        ),
        (
            "extend",
            local(2026, 11, 26, 8, 0),
            dict(
                actor_unit=land,
                to_unit=land,
                step_due_at=local(2026, 11, 27, 9, 30),
                on_time=True,
                note="Chờ kết quả xác minh",
            ),
        ),
    ]
    for action, at, fields in steps:
        event(dossier, action, at, **fields)
    other = DossierFactory(
        received=True,
        code="H50.22.02-261124-0008",
        procedure=dossier.procedure,
        applicant=dossier.applicant,
        receiving_unit=counter,
    )
    event(other, "assign", local(2026, 11, 24, 11, 0), note="Bước của hồ sơ khác")

    pdf = render_form(dossier, "control")
    save_png(pdf, artifacts_dir, tmp_path, "mau05")
    assert page_size(pdf) == A4_PORTRAIT
    text = pdf_text(pdf)
    assert_heading(text, counter)
    assert "Mẫu số 06" in text
    assert "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ" in text
    assert "H50.22.02-261124-0007" in text
    rows = [
        "Tiếp nhận hồ sơ Hồ sơ đủ thành phần",
        "Chuyển xử lý",
        "Chuyển liên thông Chuyển xác minh thửa đất",
        "Gia hạn, xin lỗi Chờ kết quả xác minh",
    ]
    positions = [text.find(row) for row in rows]
    assert -1 not in positions, list(zip(rows, positions, strict=True))
    assert positions == sorted(positions)
    assert "Bước của hồ sơ khác" not in text
    assert text.count("Đúng hạn") == 2
    assert text.count("Quá hạn") == 1
    assert "Phòng Tư pháp huyện Bắc Yên Đinh Thị Mai Phòng Tài nguyên và Môi trường" in text
    assert "10:05 24/11/2026" in text and "09:30 25/11/2026" in text
    assert text.count("Điện tử") == 1 and re.search(r"\bGiấy\b", text)


def make_register_dossiers(unit, count, start, elsewhere):
    procedure = ProcedureFactory(name="Chứng thực bản sao từ bản chính giấy tờ, văn bản")
    for n in range(count):
        received = start + timedelta(hours=n)
        d = DossierFactory(
            in_progress=True,
            code=f"{unit.code}-{received:%y%m%d}-{n + 1:04d}",
            procedure=procedure,
            applicant=ApplicantFactory(name=f"Người nộp số {n + 1}"),
            receiving_unit=unit,
            received_at=received,
            due_at=received + timedelta(days=3),
        )
        event(d, "assign", d.received_at, from_unit=unit, to_unit=elsewhere[0])
        event(d, "transfer", d.received_at + timedelta(hours=2), to_unit=elsewhere[1])


def test_register_mau06_lists_the_units_dossiers_of_the_period(district, artifacts_dir, tmp_path):
    counter, justice, land = district["counter"], district["justice"], district["land"]
    make_register_dossiers(counter, 3, local(2026, 11, 3, 8, 0), (justice, land))
    procedure = ProcedureFactory(name=LONG_PROCEDURE)

    def dossier(code, unit, received_at, **kwargs):
        applicant = ApplicantFactory(name=f"Chủ hồ sơ {received_at:%d/%m %H:%M}")
        return DossierFactory(
            returned=True,
            code=code,
            procedure=procedure,
            applicant=applicant,
            receiving_unit=unit,
            received_at=received_at,
            **kwargs,
        )

    # Local dates decide: 23:59 on the last day is in, 00:10 the next day is out.
    last = dossier(
        "H50.22.02-261130-0001",
        counter,
        local(2026, 11, 30, 23, 59),
        appointment_at=local(2026, 12, 3, 16, 0),
        due_at=local(2026, 12, 2, 16, 0),
        finished_at=local(2026, 12, 1, 10, 0),
        returned_at=local(2026, 12, 2, 8, 15),
    )
    event(last, "assign", last.received_at, to_unit=justice)
    dossier("H50.22.02-261201-0001", counter, local(2026, 12, 1, 0, 10))
    dossier("H50.22.02-261031-0001", counter, local(2026, 10, 31, 23, 50))
    dossier("H50.22.03-261115-0001", justice, local(2026, 11, 15, 9, 0))

    pdf = render_register(counter, date(2026, 11, 1), date(2026, 11, 30))
    save_png(pdf, artifacts_dir, tmp_path, "mau06")
    assert page_size(pdf) == A4_LANDSCAPE
    text = pdf_text(pdf)
    assert_heading(text, counter)
    assert "Mẫu số 07" in text
    assert "SỔ THEO DÕI HỒ SƠ" in text
    assert "Từ ngày 01/11/2026 đến ngày 30/11/2026" in text
    codes = re.findall(r"H50\.22\.0\d-\d{6}-\d{4}", text)
    assert codes == [
        "H50.22.02-261103-0001",
        "H50.22.02-261103-0002",
        "H50.22.02-261103-0003",
        "H50.22.02-261130-0001",
    ]
    assert "Tổng số: 4 hồ sơ" in text
    # The last hand-over, the appointment over the due date, finished and returned dates.
    assert text.count("Phòng Tài nguyên và Môi trường huyện Bắc Yên") == 3
    assert "Phòng Tư pháp huyện Bắc Yên" in text
    assert "30/11/2026 23:59 03/12/2026 16:00" in text
    assert "01/12/2026 10:00 02/12/2026 08:15" in text
    assert "Chủ hồ sơ 30/11 23:59" in text
    assert nfc(LONG_PROCEDURE) in text


@pytest.mark.parametrize("count", [3, 30])
def test_register_runs_a_fixed_number_of_queries(district, count, django_assert_max_num_queries):
    counter = district["counter"]
    make_register_dossiers(
        counter, count, local(2026, 11, 3, 8, 0), (district["justice"], district["land"])
    )
    unit = Unit.objects.get(pk=counter.pk)  # nothing cached on the instance
    with django_assert_max_num_queries(REGISTER_QUERIES):
        pdf = render_register(unit, date(2026, 11, 1), date(2026, 11, 30))
    text = pdf_text(pdf)
    assert f"Tổng số: {count} hồ sơ" in text
    assert text.count("Phòng Tài nguyên và Môi trường huyện Bắc Yên") == count
    with CaptureQueriesContext(connection) as ctx:
        render_register(unit, date(2026, 11, 1), date(2026, 11, 30))
    assert len(ctx.captured_queries) == REGISTER_QUERIES, [q["sql"] for q in ctx]


def test_issue_form_stores_one_document_per_form_and_event(dossier, district, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    first = issue_form(dossier, "receipt", actor=dossier.clerk)
    again = issue_form(dossier, "receipt", actor=dossier.clerk)
    assert again.pk == first.pk
    assert again.sha256 == first.sha256
    assert PrintedForm.objects.filter(dossier=dossier, code="01").count() == 1
    with first.pdf.open("rb") as stored:
        content = stored.read()
    assert hashlib.sha256(content).hexdigest() == first.sha256
    assert first.pdf.name.split("/")[-1].startswith("H50.22.02-261124-0007-mau01")
    assert first.issued_by == dossier.clerk and first.event is None
    assert NATIONAL_HEADING in pdf_text(content)

    # Forms of an event: stored per event; without one, the latest matching event is used.
    request = event(dossier, "request_supplement", local(2026, 11, 25, 8, 0), note="Thiếu tờ khai")
    by_default = issue_form(dossier, "supplement")
    assert by_default.event == request
    assert issue_form(dossier, "supplement", event=request).pk == by_default.pk
    later = event(dossier, "request_supplement", local(2026, 11, 27, 8, 0), note="Thiếu ảnh")
    assert issue_form(dossier, "supplement", event=later).pk != by_default.pk
    assert PrintedForm.objects.filter(dossier=dossier, code="02").count() == 2


def test_unknown_form_code_is_refused(dossier):
    with pytest.raises(FormError, match="Không có mẫu phiếu '06' cho hồ sơ"):
        render_form(dossier, "06")


def test_long_names_wrap_and_long_histories_run_onto_more_pages(
    dossier, district, artifacts_dir, tmp_path
):
    long_unit = (
        "Trung tâm Phục vụ hành chính công và Bộ phận Tiếp nhận và Trả kết quả liên thông "
        "các thủ tục hành chính huyện Bắc Yên"
    )
    Unit.objects.filter(pk=district["counter"].pk).update(name=long_unit)
    dossier.applicant.name = "Hợp tác xã Nông nghiệp và Dịch vụ tổng hợp Suối Tọ – Phiêng Ban"
    dossier.applicant.save()
    land = district["land"]
    for n in range(28):
        event(
            dossier,
            "transfer",
            local(2026, 11, 24, 10, 0) + timedelta(hours=n),
            from_unit=district["justice"],
            to_unit=land,
            on_time=n % 3 != 0,
            note=f"Bước {n + 1}: {STEP_NOTE}",
        )

    receipt = pdf_text(render_form(dossier, "receipt"))
    assert nfc(long_unit.upper()) in receipt
    assert "Hợp tác xã Nông nghiệp và Dịch vụ tổng hợp Suối Tọ – Phiêng Ban" in receipt

    pdf = render_form(dossier, "control")
    save_png(pdf, artifacts_dir, tmp_path, "mau05-long")
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) >= 2
    # The table's header repeats on the next page; every step is there, none cut.
    assert "Thời gian giao, nhận" in nfc(reader.pages[1].extract_text())
    text = pdf_text(pdf)
    for n in range(28):
        assert f"Bước {n + 1}: {STEP_NOTE}" in text
    assert text.count("Quá hạn") == 10 and text.count("Đúng hạn") == 18
    assert f"Trang 1/{len(reader.pages)}" in text


@pytest.mark.parametrize("code", ["supplement", "refusal", "apology", "stop"])
def test_forms_without_their_event_leave_the_reason_to_fill_by_hand(dossier, code):
    text = pdf_text(render_form(dossier, code))
    assert dossier.code in text
    assert "……………………" in text
