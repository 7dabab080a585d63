"""The printed forms under the legal text in force (legal_bases.json, rule "forms"): exactly one
text a day from TT 01/2018's first day, every template there, each kind rendered under each
text that has it, the text chosen by the local day of the form's moment on both sides of
15/9/2025, a reprint the stored file whatever is in force now, and form codes in URLs that
name no form answered with a 404 in Vietnamese."""

import hashlib
import html
import subprocess
import unicodedata
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.template.loader import get_template
from django.urls import reverse
from rest_framework.test import APIClient

from dossiers import legal
from dossiers.models import DossierEvent, PrintedForm
from dossiers.printing import (
    DOSSIER_KINDS,
    FormError,
    issue_form,
    render_form,
    render_register,
)
from dossiers.services.forms import available_forms, open_form

from .workflow_fixtures import receive

pytestmark = pytest.mark.django_db

VN = ZoneInfo("Asia/Ho_Chi_Minh")
BEFORE, AFTER = datetime(2025, 9, 10, 9, 0, tzinfo=VN), datetime(2025, 9, 20, 9, 0, tzinfo=VN)
STOP_REASON = "Tôi đã làm thủ tục ở nơi khác, xin dừng giải quyết hồ sơ này."
# Each kind's event: the action and the note its form prints as the reason.
EVENTS = {
    "supplement": ("request_supplement", "Thiếu bản sao giấy chứng nhận kết hôn có chứng thực."),
    "refusal": ("refuse", "Thủ tục không thuộc thẩm quyền giải quyết của huyện."),
    "apology": ("extend", "Cần xác minh nơi cư trú tại xã Hang Chú."),
    "stop": ("stop", STOP_REASON),
}


def pdf_text(pdf: bytes) -> str:
    """The PDF's text by poppler's pdftotext, NFC, whitespace collapsed."""
    out = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True
    )
    return unicodedata.normalize("NFC", " ".join(out.stdout.decode().split()))


def upper(title):
    return unicodedata.normalize("NFC", title.upper())


def boundaries(data):
    days = set()
    for text in data.values():
        if "forms" in text.get("rules", {}):
            days.add(date.fromisoformat(text["in_force"]))
            if "until" in text:
                days.add(date.fromisoformat(text["until"]) + timedelta(days=1))
    return sorted(days)


# --- The data ------------------------------------------------------------------------------


def test_exactly_one_forms_text_every_day_from_tt_01_2018():
    data = legal.texts()
    first = date.fromisoformat(data["tt-01-2018"]["in_force"])
    last = boundaries(data)[-1] + timedelta(days=400)
    day, seen = first, []
    while day <= last:
        key = legal.forms_basis(day).key  # raises on none or two
        if not seen or seen[-1][1] != key:
            seen.append((day, key))
        day += timedelta(days=1)
    # The text changes exactly on the boundary days of the data, and nowhere else.
    assert [d for d, _ in seen] == boundaries(data)
    assert legal.forms_basis(date(2025, 9, 14)).key == "tt-01-2018"
    assert legal.forms_basis(date(2025, 9, 15)).key == "tt-03-2025"
    with pytest.raises(legal.LegalBasisError, match="Không có văn bản quy định mẫu phiếu"):
        legal.forms_basis(first - timedelta(days=1))


def test_every_text_names_existing_templates_with_distinct_numbers():
    bases = legal.forms_bases()
    assert set(bases) >= {"tt-01-2018", "tt-03-2025"}
    for basis in bases.values():
        numbers = [f.number for f in basis.forms.values()]
        assert len(set(numbers)) == len(numbers), basis.key
        assert "register" in basis.forms and "receipt" in basis.forms, basis.key
        for form in basis.forms.values():
            assert form.template.startswith(f"{basis.key}/"), form
            get_template(f"dossiers/documents/{form.template}")  # raises if missing
    assert "stop" not in bases["tt-01-2018"].forms
    assert set(bases["tt-03-2025"].forms) == set(legal.FORM_KINDS)
    assert bases["tt-03-2025"].label("stop") == (
        "Mẫu 05 · Thông báo dừng giải quyết hồ sơ (TT 03/2025)"
    )
    assert bases["tt-01-2018"].label("control") == (
        "Mẫu 05 · Phiếu kiểm soát quá trình giải quyết hồ sơ (TT 01/2018)"
    )


def _text(in_force=None, until=None):
    form = {"number": "01", "title": "Giấy tiếp nhận", "template": "x/mau01.html"}
    text = {"title": "Văn bản thử", "rules": {"forms": {"receipt": form}}}
    if in_force:
        text["in_force"] = in_force
    if until:
        text["until"] = until
    return text


def test_bad_legal_data_is_refused_in_vietnamese():
    overlap = {"a": _text("2025-01-01", "2025-09-15"), "b": _text("2025-09-15")}
    with pytest.raises(legal.LegalBasisError, match=r"Có 2 văn bản .* ngày 15/09/2025 \(a, b\)"):
        legal.forms_basis(date(2025, 9, 15), overlap)
    assert legal.forms_basis(date(2025, 9, 14), overlap).key == "a"
    gap = {"a": _text("2025-01-01", "2025-09-13"), "b": _text("2025-09-15")}
    with pytest.raises(legal.LegalBasisError, match="Không có .* ngày 14/09/2025"):
        legal.forms_basis(date(2025, 9, 14), gap)
    undated = {"a": _text("2025-01-01"), "b": _text()}
    with pytest.raises(legal.LegalBasisError, match="Văn bản b .* chưa có ngày có hiệu lực"):
        legal.forms_basis(date(2025, 9, 14), undated)


# --- Rendering under each text -------------------------------------------------------------


def dossier_with_events(district, received_at):
    """A dossier received at ``received_at`` with, the next hours, one event of each kind."""
    dossier = receive(district, at=received_at)
    for n, (action, note) in enumerate(EVENTS.values(), start=1):
        DossierEvent.objects.create(
            dossier=dossier,
            action=action,
            at=received_at + timedelta(hours=n),
            actor=district["clerk"],
            actor_unit=district["counter"],
            to_state=dossier.state,
            note=note,
        )
    return dossier


CASES = [
    (key, kind)
    for key, basis in sorted(legal.forms_bases().items())
    for kind in legal.FORM_KINDS
    if kind in basis.forms
]


@pytest.mark.parametrize(("key", "kind"), CASES)
def test_each_kind_renders_under_each_text_that_has_it(district, key, kind, artifacts_dir):
    moment = BEFORE if key == "tt-01-2018" else AFTER
    form = legal.forms_bases()[key].forms[kind]
    dossier = dossier_with_events(district, moment)
    if kind == "register":
        day = moment.date()
        pdf = render_register(district["counter"], day, day, printed_on=day)
    else:
        pdf = render_form(dossier, kind, printed_on=moment.date())
    (artifacts_dir / "forms").mkdir(exist_ok=True)
    (artifacts_dir / "forms" / f"{key}-{form.number}-{kind}.pdf").write_bytes(pdf)  # to look at
    text = pdf_text(pdf)
    assert f"Mẫu số {form.number}" in text
    assert upper(form.title) in text
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "Độc lập - Tự do - Hạnh phúc" in text
    assert f"Bắc Yên, ngày {moment.day:02d} tháng {moment.month} năm {moment.year}" in text
    if kind in EVENTS:
        assert EVENTS[kind][1] in text  # the event's note is the form's reason
    assert dossier.code in text
    if kind == "control":
        assert "Dừng giải" in text  # the stop step's label (its column wraps the rest)


def test_the_stop_notice_prints_the_applicants_reason_and_the_stop_moment(district):
    dossier = dossier_with_events(district, AFTER)
    form = issue_form(dossier, "stop", actor=district["clerk"])
    assert (form.kind, form.basis, form.code) == ("stop", "tt-03-2025", "05")
    assert form.event.action == "stop"
    with form.pdf.open("rb") as stored:
        text = pdf_text(stored.read())
    assert "THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ" in text
    assert STOP_REASON in text
    assert "dừng giải quyết hồ sơ mã số " + dossier.code in text
    assert "13:00, ngày 20/09/2025" in text  # the stop event, 4 hours after reception


def test_a_stop_before_tt_03_2025_has_no_form(district):
    dossier = dossier_with_events(district, BEFORE)
    with pytest.raises(FormError, match="TT 01/2018 .* không có mẫu phiếu loại 'stop'"):
        render_form(dossier, "stop")


# --- Which text: the day the form belongs to -----------------------------------------------


@pytest.mark.parametrize(
    ("received_at", "basis", "receipt_title"),
    [
        (BEFORE, "tt-01-2018", "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ"),
        (AFTER, "tt-03-2025", "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ"),
        # 23:30 on 14/9 in Bắc Yên is still TT 01/2018; 00:30 on 15/9 (17:30 UTC) is not.
        (datetime(2025, 9, 14, 23, 30, tzinfo=VN), "tt-01-2018", None),
        (datetime(2025, 9, 14, 17, 30, tzinfo=ZoneInfo("UTC")), "tt-03-2025", None),
    ],
)
def test_the_receipt_follows_the_local_day_of_reception(
    district, received_at, basis, receipt_title
):
    dossier = receive(district, at=received_at)
    receipt = PrintedForm.objects.get(dossier=dossier, kind="receipt")  # issued at reception
    assert (receipt.basis, receipt.code) == (basis, "01")
    with receipt.pdf.open("rb") as stored:
        text = pdf_text(stored.read())
    assert "Mẫu số 01" in text and dossier.code in text
    if receipt_title:
        assert receipt_title in text
    # TT 03/2025's receipt speaks of the applicant's personal identification number.
    assert ("Số định danh cá nhân" in text) == (basis == "tt-03-2025")


def test_an_event_after_the_change_issues_under_the_new_text(district):
    # Received under TT 01/2018, extended under TT 03/2025: the apology is the new Mẫu 04,
    # the control slip today's (TT 03/2025 Mẫu 06), the receipt stays the old one.
    dossier = receive(district, at=datetime(2025, 9, 12, 9, 0, tzinfo=VN))
    extend = DossierEvent.objects.create(
        dossier=dossier,
        action="extend",
        at=datetime(2025, 9, 16, 8, 0, tzinfo=VN),
        to_state=dossier.state,
        note="Chờ xác minh",
    )
    apology = issue_form(dossier, "apology", event=extend)
    assert (apology.basis, apology.code) == ("tt-03-2025", "04")
    assert apology.label == (
        "Mẫu 04 · Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết (TT 03/2025)"
    )
    assert available_forms(dossier) == [
        ("receipt", "Mẫu 01 · Giấy tiếp nhận hồ sơ và hẹn trả kết quả (TT 01/2018)"),
        ("apology", apology.label),
        ("control", "Mẫu 06 · Phiếu kiểm soát quá trình giải quyết hồ sơ (TT 03/2025)"),
    ]
    old_slip = pdf_text(render_form(dossier, "control", printed_on=date(2025, 9, 13)))
    assert "Mẫu số 05" in old_slip and "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ" in old_slip


def test_a_reprint_is_the_stored_file_whatever_text_is_in_force_now(district):
    dossier = receive(district, at=BEFORE)
    stored = PrintedForm.objects.get(dossier=dossier, kind="receipt")
    with stored.pdf.open("rb") as f:
        first = f.read()
    assert hashlib.sha256(first).hexdigest() == stored.sha256
    again = issue_form(dossier, "receipt", event=stored.event)
    assert again.pk == stored.pk
    # Opened today (TT 03/2025 in force) by kind or by its old number: the same bytes.
    for code in ("receipt", "01"):
        pdf, name = open_form(dossier, code, actor=district["clerk"])
        assert hashlib.sha256(pdf.read()).hexdigest() == stored.sha256
        assert name == f"{dossier.code}-mau01.pdf"
    assert "Số định danh cá nhân" not in pdf_text(first)  # still the TT 01/2018 layout
    assert PrintedForm.objects.filter(dossier=dossier).count() == 1


# --- Form codes in URLs --------------------------------------------------------------------


def test_numbers_are_read_under_the_text_of_the_dossiers_reception(district, client):
    old, new = receive(district, at=BEFORE), receive(district, at=AFTER)
    client.force_login(district["clerk"])

    def get(dossier, code):
        return client.get(reverse("dossier-form", args=[dossier.code, code]))

    # TT 01/2018: Mẫu 05 is the control slip; TT 03/2025: the stop notice, Mẫu 06 the slip.
    assert "PHIẾU KIỂM SOÁT" in pdf_text(b"".join(get(old, "05").streaming_content))
    response = get(new, "05")
    assert response.status_code == 404
    assert "Hồ sơ chưa có Mẫu 05." in response.content.decode()
    assert "PHIẾU KIỂM SOÁT" in pdf_text(b"".join(get(new, "06").streaming_content))
    assert "PHIẾU KIỂM SOÁT" in pdf_text(b"".join(get(new, "control").streaming_content))
    for dossier, code, says in [
        (old, "06", "TT 01/2018 không có Mẫu 06 cho hồ sơ."),  # the register is not a dossier's
        (new, "07", "TT 03/2025 không có Mẫu 07 cho hồ sơ."),
        (new, "99", "TT 03/2025 không có Mẫu 99 cho hồ sơ."),
        (new, "register", "Không có mẫu phiếu 'register' cho hồ sơ."),
        (new, "khong-co", "Không có mẫu phiếu 'khong-co' cho hồ sơ."),
    ]:
        response = get(dossier, code)
        assert response.status_code == 404, code
        assert says in html.unescape(response.content.decode()), code


def test_the_api_lists_forms_as_issued_and_answers_404_for_unknown_codes(district):
    dossier = dossier_with_events(district, AFTER)
    issue_form(dossier, "stop")
    api = APIClient()
    api.force_authenticate(district["clerk"])
    forms = api.get(f"/api/v1/dossiers/{dossier.code}/").json()["forms"]
    assert [(f["kind"], f["code"], f["basis"], f["title"]) for f in forms] == [
        (
            "receipt",
            "01",
            "tt-03-2025",
            "Mẫu 01 · Giấy tiếp nhận hồ sơ và hẹn trả kết quả (TT 03/2025)",
        ),
        ("stop", "05", "tt-03-2025", "Mẫu 05 · Thông báo dừng giải quyết hồ sơ (TT 03/2025)"),
    ]
    stop = api.get(f"/api/v1/dossiers/{dossier.code}/forms/stop/")
    assert stop.status_code == 200
    assert STOP_REASON in pdf_text(b"".join(stop.streaming_content))
    same = api.get(f"/api/v1/dossiers/{dossier.code}/forms/05/")
    assert b"".join(same.streaming_content) == b"".join(
        api.get(f"/api/v1/dossiers/{dossier.code}/forms/stop/").streaming_content
    )
    for code in ("08", "abc", "register"):
        response = api.get(f"/api/v1/dossiers/{dossier.code}/forms/{code}/")
        assert response.status_code == 404, code
        assert "mẫu" in response.json()["detail"].lower()


def test_the_dossier_page_lists_each_form_as_issued(district, client):
    dossier = dossier_with_events(district, AFTER)
    issue_form(dossier, "stop")
    client.force_login(district["clerk"])
    page = client.get(reverse("dossier-detail", args=[dossier.code])).content.decode()
    assert "Mẫu 05 · Thông báo dừng giải quyết hồ sơ (TT 03/2025)" in page
    assert "Mẫu 06 · Phiếu kiểm soát quá trình giải quyết hồ sơ (TT 03/2025)" in page
    assert reverse("dossier-form", args=[dossier.code, "stop"]) in page
    assert set(DOSSIER_KINDS) >= {kind for kind, _ in available_forms(dossier)}
