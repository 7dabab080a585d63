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
    assert (
        "Lệ phí 15.000 đồng: chưa thanh toán."
        in phone.locator(".extra", has_text="Lệ phí").inner_text()
    )
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
    line = phone.locator(".extra", has_text="Lệ phí").inner_text()
    assert line == f"Lệ phí 15.000 đồng: Đã thanh toán, biên lai số {payment.receipt_number}."
    phone.screenshot(path=artifacts_dir / "payment-6-status-paid-360.png", full_page=True)


def sign_in(page, live_server, username):
    from .factories import PASSWORD

    page.goto(f"{live_server.url}/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Đăng nhập").click()


def test_the_clerk_records_a_cash_payment_and_the_leader_reconciles(
    live_server, counterpart, fee_district, page, artifacts_dir
):
    from .workflow_fixtures import receive

    dossier = receive(fee_district)
    sign_in(page, live_server, "motcua")
    page.goto(f"{live_server.url}/ho-so/{dossier.code}/")
    panel = page.locator("#dossier-fee")
    panel.wait_for()
    assert "Chưa thanh toán" in panel.inner_text()
    page.get_by_label("Số biên lai (tiền mặt, POS)").fill("BL-2026-0042")
    with page.expect_navigation():
        page.get_by_role("button", name="Ghi thu lệ phí").click()
    page.locator("#dossier-fee").wait_for()
    assert "biên lai số BL-2026-0042" in page.locator("#dossier-fee").inner_text()
    page.locator("#dossier-fee").screenshot(path=artifacts_dir / "payment-counter-panel.png")
    page.screenshot(path=artifacts_dir / "payment-counter-1366.png", full_page=True)
    assert Payment.objects.get(dossier=dossier).receipt_number == "BL-2026-0042"

    online = submit(fee_district, id_number="014090005555", name="Quàng Văn Tư")
    from .payment_fixtures import start

    start(live_server, online)
    counterpart.payment_control("POST", "faults", json={"mode": "drop_callback", "count": 1})
    counterpart.payment_control(
        "POST", "pay", json={"MaThamChieu": Payment.objects.get(dossier=online).reference}
    )
    page.context.clear_cookies()
    sign_in(page, live_server, "ld.tuphap")
    page.goto(f"{live_server.url}/dong-bo/doi-soat-thanh-toan/")
    from django.utils import timezone

    page.get_by_label("Ngày").fill(timezone.localdate().strftime("%d/%m/%Y"))  # as typed
    with page.expect_navigation():
        page.get_by_role("button", name="Đối soát").click()
    day = page.locator(".reconciliation-day").first
    assert "1 chênh lệch" in day.inner_text() and "Trạng thái khác nhau" in day.inner_text()
    text = day.inner_text()
    assert "15000 đ · Chờ thanh toán" in text and "15000 đ · Thành công" in text
    page.screenshot(path=artifacts_dir / "payment-reconciliation-1366.png", full_page=True)
