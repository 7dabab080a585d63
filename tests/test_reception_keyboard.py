"""The reception form's server side of keyboard-first reception (issue 21): every error in one
round with a summary linking to the fields, nothing pre-ticked, a look-up that works without
JavaScript (Enter in the ID field), and the print shortcut on the dossier page."""

import re

import pytest

from dossiers.models import AuditEvent, Dossier

from .factories import ApplicantFactory

pytestmark = pytest.mark.django_db


def _form(district, **fields):
    return {
        "procedure": district["procedure"].national_code,
        "idempotency_key": "kbd-1",
        "kind": "person",
        **fields,
    }


def test_the_reception_form_ticks_nothing_and_focuses_the_id_field(client, district):
    client.force_login(district["clerk"])
    page = client.get("/tiep-nhan/", {"thu_tuc": district["procedure"].national_code})
    html = page.content.decode()
    assert district["procedure"].components.filter(required=True).count() == 2
    assert re.search(r'type="checkbox"[^>]*checked', html) is None
    assert re.search(r'id="id_id_number"[^>]*autofocus', html, re.S)
    search = client.get("/tiep-nhan/").content.decode()
    assert re.search(r'id="q"[^>]*autofocus', search, re.S)


def test_every_error_is_shown_in_one_round_with_a_summary(client, district):
    client.force_login(district["clerk"])
    posted = _form(district, id_number="12345", name="", phone="12", email="khong-phai-thu")
    response = client.post("/tiep-nhan/", posted)
    html = response.content.decode()
    assert response.status_code == 200 and Dossier.objects.count() == 0
    start = html.index('id="error-summary"')
    summary = html[start : html.index("</ul>", start)]
    for anchor in ("id_id_number", "id_name", "id_phone", "id_email"):
        assert f'href="#{anchor}"' in summary, anchor
    assert "Số CCCD phải gồm đúng 12 chữ số." in summary
    assert "Số điện thoại không hợp lệ" in summary
    first = district["procedure"].components.order_by("order").first()
    assert f'href="#c{first.pk}"' in summary and "Thiếu thành phần bắt buộc" in summary
    assert "cần sửa 5 chỗ" in summary
    # Each message stands next to its field too.
    assert html.count('class="field-error"') == 5


def test_a_single_problem_left_is_the_only_one_named(client, district):
    client.force_login(district["clerk"])
    ticks = {f"c{c.pk}": "1" for c in district["procedure"].components.filter(required=True)}
    posted = _form(district, id_number="014090001234", name="Lò Văn Sinh", phone="12", **ticks)
    html = client.post("/tiep-nhan/", posted).content.decode()
    assert "cần sửa 1 chỗ" in html and 'href="#id_phone"' in html
    fixed = {**posted, "phone": "0912345678"}
    assert client.post("/tiep-nhan/", fixed).status_code == 302
    assert Dossier.objects.count() == 1


def test_looking_up_without_javascript_fills_the_known_details(client, district):
    known = ApplicantFactory(id_number="014090009999", name="Lường Thị Quen", phone="0987654321")
    client.force_login(district["clerk"])
    posted = _form(district, id_number=known.id_number, name="", lookup="1")
    response = client.post("/tiep-nhan/", posted)
    html = response.content.decode()
    assert response.status_code == 200 and Dossier.objects.count() == 0
    assert 'value="Lường Thị Quen"' in html and 'value="0987654321"' in html
    assert "error-summary" not in html and "Đã có trong hệ thống" in html
    assert AuditEvent.objects.filter(action="applicant.lookup").count() == 1
    unknown = client.post("/tiep-nhan/", {**posted, "id_number": "014090000000"})
    assert "Chưa có người nộp với số 014090000000" in unknown.content.decode()
    # The look-up button is the form's first: a browser's Enter in a field presses it.
    form = html[html.index('class="reception"') :]
    assert form.index('name="lookup"') < form.index('id="receive-button"')


def test_the_dossier_page_offers_alt_p_for_the_receipt(client, district):
    client.force_login(district["clerk"])
    ticks = {f"c{c.pk}": "1" for c in district["procedure"].components.filter(required=True)}
    posted = _form(district, id_number="014090001234", name="Lò Văn Sinh", **ticks)
    where = client.post("/tiep-nhan/", posted)["Location"]
    html = client.get(where).content.decode()
    assert re.search(r'id="open-receipt"[^>]*data-shortcut="p"[^>]*autofocus', html)
    assert "Alt</kbd>+<kbd>P" in html
