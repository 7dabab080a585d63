"""The fee pages: the dossier page's panel where the clerk records a cash/POS payment, the
receipt (scoped, audited, as a PDF too), the citizen's payment step (second factor, CSP), the
next step after an online submission, and the leaders' reconciliation page."""

import pytest

from dossiers.models import AuditEvent
from integrations import payments
from integrations.models import PaymentReconciliation

from .factories import UnitFactory, staff
from .payment_fixtures import submit
from .workflow_fixtures import receive

pytestmark = pytest.mark.django_db


@pytest.fixture
def fees(district):
    procedure = district["procedure"]
    procedure.fee_vnd, procedure.online_level = 15000, "full"
    procedure.save()
    return district


def panel(code):
    return f"/dong-bo/ho-so/{code}/le-phi/"


def test_the_clerk_records_a_counter_payment_on_the_dossier_panel(client, fees):
    dossier = receive(fees)
    client.force_login(fees["clerk"])
    page = client.get(panel(dossier.code)).content.decode()
    assert "15.000 đồng" in page and "Chưa thanh toán" in page and "Ghi thu lệ phí" in page
    answer = client.post(panel(dossier.code), {"receipt_number": "BL-0007"})
    assert answer.status_code == 302
    page = client.get(panel(dossier.code)).content.decode()
    assert "Đã thanh toán" in page and "BL-0007" in page and "Ghi thu lệ phí" not in page
    # A specialist sees the panel but has no form; another district's clerk does not see it.
    client.force_login(fees["specialist"])
    assert "Ghi thu lệ phí" not in client.get(panel(dossier.code)).content.decode()
    elsewhere = staff(UnitFactory(code="H50.99.02"), "clerk", username="motcua.noikhac")
    client.force_login(elsewhere)
    assert client.get(panel(dossier.code)).status_code == 404
    assert client.post(panel(dossier.code), {"receipt_number": "BL-9"}).status_code == 404


def test_a_bad_receipt_number_is_refused_with_a_message(client, fees):
    dossier = receive(fees)
    client.force_login(fees["clerk"])
    answer = client.post(panel(dossier.code), {"receipt_number": "<script>"}, follow=True)
    assert "Số biên lai gồm chữ, số" in answer.content.decode()
    assert not dossier.payments.exists()


def test_the_receipt_is_shown_to_the_dossier_scope_and_printed_as_a_pdf(client, fees):
    dossier = receive(fees)
    paid = payments.record_counter_payment(dossier.pk, receipt_number="BL-1", actor=fees["clerk"])
    url = f"/thanh-toan/bien-lai/{paid.reference}/"
    assert client.get(url).status_code == 404  # nobody proved anything
    client.force_login(fees["clerk"])
    page = client.get(url).content.decode()
    assert "BL-1" in page and "15.000 đồng" in page and "Lò Văn Sinh" in page
    assert AuditEvent.objects.filter(action="payment.receipt", actor=fees["clerk"]).count() == 1
    pdf = client.get(url, {"pdf": 1})
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    elsewhere = staff(UnitFactory(code="H50.98.02"), "clerk", username="motcua.xa")
    client.force_login(elsewhere)
    assert client.get(url).status_code == 404


def test_the_payment_step_asks_the_second_factor_and_lets_the_platform_answer(
    client, fees, settings
):
    settings.PAYMENT_BASE_URL = "http://127.0.0.1:8199/payment/api"
    dossier = submit(fees)
    wrong = client.post("/thanh-toan/", {"ma": dossier.code, "kt": "ZZZZZZ"}).content.decode()
    assert "15.000 đồng" not in wrong and 'role="alert"' in wrong
    right = client.get("/thanh-toan/", {"ma": dossier.code, "kt": dossier.check_code})
    assert "Lệ phí phải nộp" in right.content.decode()
    assert "form-action 'self' http://127.0.0.1:8199" in right["Content-Security-Policy"]
    assert not dossier.payments.exists()  # nothing is started before the button
    assert client.get("/thanh-toan/api/ket-qua/").status_code == 405
    assert client.post("/thanh-toan/api/ket-qua/", "x", "text/plain").status_code == 400


def test_the_page_after_an_online_submission_offers_the_payment(client, fees):
    dossier = submit(fees)
    session = client.session
    session["online_receipt"] = {
        "code": dossier.code,
        "check": dossier.check_code,
        "email": False,
        "procedure": fees["procedure"].name,
        "unit": fees["counter"].name,
    }
    session.save()
    page = client.get("/nop-truc-tuyen/da-nop/").content.decode()
    assert "Lệ phí 15.000 đồng: chưa thanh toán." in page
    assert f"/thanh-toan/?ma={dossier.code}&amp;kt={dossier.check_code}" in page


def test_the_reconciliation_page_is_for_leaders_and_lists_differences_in_fixed_queries(
    client, fees, django_assert_max_num_queries
):
    for day in range(1, 16):
        PaymentReconciliation.objects.create(
            day=f"2026-11-{day:02d}",
            differences=[{"reference": f"REF{day}", "kind": "state", "text": "Trạng thái khác"}],
        )
    client.force_login(fees["clerk"])
    assert client.get("/dong-bo/doi-soat-thanh-toan/").status_code == 403
    client.force_login(fees["leader"])
    # session, user, groups (role check), the rows, plus the layout's own reads.
    with django_assert_max_num_queries(8):
        page = client.get("/dong-bo/doi-soat-thanh-toan/").content.decode()
    assert page.count("1 chênh lệch") == 15 and "REF15" in page
    bad = client.post("/dong-bo/doi-soat-thanh-toan/", {"day": "hôm qua"}, follow=True)
    assert "Ngày đối soát không hợp lệ" in bad.content.decode()
