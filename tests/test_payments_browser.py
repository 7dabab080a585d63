"""A citizen pays a submitted dossier's fee at phone width (360×740): from the public status
page to the portal's payment step, the counterpart platform's payment page («Thanh toán»),
and back to the portal, which shows «Đã thanh toán» and the electronic receipt number (the
platform's callback came first). Screenshots of each step in test-artifacts/."""

import pytest

from integrations.models import Payment

from .payment_fixtures import submit
from .test_online_browser import PHONE, no_sideways_scroll

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport=PHONE, locale="vi-VN", has_touch=True)
    yield context.new_page()
    context.close()


def test_a_citizen_pays_the_fee_from_the_status_page(
    live_server, counterpart, fee_district, phone, artifacts_dir
):
    dossier = submit(fee_district)
    phone.goto(f"{live_server.url}/tra-cuu/")
    phone.get_by_label("Mã hồ sơ").fill(dossier.code)
    phone.get_by_label("Mã tra cứu (in trên giấy hẹn) hoặc 4 số cuối điện thoại").fill(
        dossier.check_code
    )
    with phone.expect_navigation():
        phone.get_by_role("button", name="Tra cứu").click()
    assert "Lệ phí 15.000 đồng: chưa thanh toán." in phone.locator(".extra").inner_text()
    assert no_sideways_scroll(phone)
    phone.screenshot(path=artifacts_dir / "payment-1-status-360.png", full_page=True)

    with phone.expect_navigation():
        phone.get_by_role("link", name="Thanh toán lệ phí").click()
    phone.get_by_label("Mã tra cứu (in trên giấy hẹn) hoặc 4 số cuối điện thoại").fill(
        dossier.check_code
    )
    with phone.expect_navigation():
        phone.get_by_role("button", name="Tiếp tục").click()
    assert phone.locator("#fee").inner_text() == "15.000 đồng"
    assert no_sideways_scroll(phone)
    phone.screenshot(path=artifacts_dir / "payment-2-portal-360.png", full_page=True)

    with phone.expect_navigation():
        phone.get_by_role("button", name="Thanh toán lệ phí").click()
    assert phone.url.startswith(f"{counterpart.url}/payment/trang/")
    assert phone.locator("#amount").inner_text() == "15000 VND"
    assert dossier.code in phone.content()
    phone.screenshot(path=artifacts_dir / "payment-3-platform-360.png", full_page=True)

    with phone.expect_navigation():
        phone.get_by_role("button", name="Thanh toán", exact=True).click()
    assert phone.url.startswith(f"{live_server.url}/thanh-toan/ket-qua/")
    payment = Payment.objects.get(dossier=dossier)
    assert payment.state == "paid" and payment.receipt_number
    assert phone.locator("#payment-state").inner_text() == "Đã thanh toán"
    assert phone.locator("#receipt-number").inner_text() == payment.receipt_number
    assert no_sideways_scroll(phone)
    phone.screenshot(path=artifacts_dir / "payment-4-paid-360.png", full_page=True)

    with phone.expect_navigation():
        phone.get_by_role("link", name="Xem biên lai").click()
    assert phone.locator("#receipt-number").inner_text() == payment.receipt_number
    phone.screenshot(path=artifacts_dir / "payment-5-receipt-360.png", full_page=True)

    phone.goto(f"{live_server.url}/tra-cuu/?ma={dossier.code}&kt={dossier.check_code}")
    line = phone.locator(".extra").inner_text()
    assert line == f"Lệ phí 15.000 đồng: Đã thanh toán, biên lai số {payment.receipt_number}."
    phone.screenshot(path=artifacts_dir / "payment-6-status-paid-360.png", full_page=True)
