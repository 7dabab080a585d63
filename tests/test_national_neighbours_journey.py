"""Issue #19's journey in one go, at phone width (360×740), against the real counterpart
process: a citizen submits online choosing to receive the result by post, pays the fee through
the local payment page, the dossier is handled and the clerk sends the result by post, the
postal counterpart's delivery update closes it — and the day's payment reconciliation is clean,
then shows exactly one difference once a second payment's callback is dropped on purpose."""

import pytest
from django.utils import timezone

from dossiers import services
from dossiers.models import Dossier
from integrations import postal
from integrations.models import Payment, Shipment
from integrations.payment_reconciliation import reconcile

from .factories import PASSWORD
from .payment_fixtures import start
from .test_browser_journey import act
from .test_online_browser import PHONE, no_sideways_scroll

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_submit_pay_return_by_post_and_reconcile(
    live_server, browser, province, counterpart, artifacts_dir, settings
):
    settings.PAYMENT_REQUIRED_FROM = timezone.localdate().isoformat()  # no return unpaid
    counterpart.post_control("POST", "reset")
    counterpart.payment_control("POST", "reset")
    procedure = province["commune_procedure"]
    procedure.online_level = "partial"
    procedure.name = "Đăng ký khai sinh"
    procedure.fee_vnd = 15000
    procedure.save()

    citizen = browser.new_context(viewport=PHONE, locale="vi-VN", has_touch=True).new_page()
    citizen.goto(f"{live_server.url}/nop-truc-tuyen/")
    citizen.get_by_label("Tìm thủ tục").fill("khai sinh")
    citizen.get_by_role("button", name="Tìm").click()
    citizen.get_by_role("link", name="Đăng ký khai sinh").click()
    citizen.get_by_label("Nộp hồ sơ đến").select_option(value=province["bac_yen"].code)
    citizen.get_by_label("Số CCCD / Mã số thuế").fill("014090009876")
    citizen.get_by_label("Họ tên / Tên tổ chức").fill("Hà Thị Mai")
    citizen.get_by_label("Điện thoại", exact=True).fill("0987654321")
    citizen.get_by_label("Qua bưu chính công ích").check()
    citizen.get_by_label("Địa chỉ nhận: số nhà, thôn, bản, đường").fill("Bản Hua Cà, nhà số 7")
    citizen.get_by_label("Xã, phường (địa giới từ 1/7/2025)").select_option(label="UBND xã Tà Xùa")
    citizen.get_by_label("Tôi cam đoan").check()
    with citizen.expect_navigation():
        citizen.get_by_role("button", name="Nộp hồ sơ").click()
    code = citizen.locator("#ma-ho-so").inner_text()
    check = citizen.locator("#ma-tra-cuu").inner_text()
    dossier = Dossier.objects.get(code=code)

    # The fee, from the page that confirms the submission, through the platform's page.
    with citizen.expect_navigation():
        citizen.get_by_role("link", name="Thanh toán lệ phí").click()
    factor = citizen.get_by_label("Mã tra cứu (in trên giấy hẹn) hoặc 4 số cuối điện thoại")
    if factor.count():
        factor.fill(check)
        with citizen.expect_navigation():
            citizen.get_by_role("button", name="Tiếp tục").click()
    with citizen.expect_navigation():
        citizen.get_by_role("button", name="Thanh toán lệ phí").click()
    assert citizen.url.startswith(f"{counterpart.url}/payment/")
    citizen.screenshot(path=artifacts_dir / "neighbours-1-platform-360.png", full_page=True)
    with citizen.expect_navigation():
        citizen.get_by_role("button", name="Thanh toán", exact=True).click()
    assert citizen.locator("#payment-state").inner_text() == "Đã thanh toán"
    paid = Payment.objects.get(dossier=dossier)
    assert paid.state == "paid" and paid.amount == 15000 and paid.receipt_number
    assert no_sideways_scroll(citizen)
    citizen.screenshot(path=artifacts_dir / "neighbours-2-paid-360.png", full_page=True)

    # Handled at the commune; the clerk sends the result by post from the dossier page.
    clerk = province["clerk_bac_yen"]
    services.accept(dossier.pk, actor=clerk)
    services.assign(dossier.pk, actor=clerk)
    services.propose_result(dossier.pk, actor=province["specialist_bac_yen"])
    services.approve(dossier.pk, actor=province["leader_bac_yen"])
    staff = browser.new_context(viewport=PHONE, locale="vi-VN").new_page()
    staff.goto(f"{live_server.url}/dang-nhap/")
    staff.get_by_label("Tên đăng nhập").fill(clerk.username)
    staff.get_by_label("Mật khẩu").fill(PASSWORD)
    with staff.expect_navigation():
        staff.get_by_role("button", name="Đăng nhập").click()
    staff.goto(f"{live_server.url}/ho-so/{code}/")
    staff.locator("#postal-panel").wait_for()
    act(staff, "Gửi kết quả qua bưu chính")  # the dossier page's one action form
    shipment = Shipment.objects.get(dossier=dossier)
    assert postal.send_shipment(shipment.pk) == Shipment.State.SENT  # the worker's part
    shipment.refresh_from_db()
    callback = f"{live_server.url}/api/v1/integrations/buu-chinh/hanh-trinh/"
    delivered = counterpart.post_control(
        "POST", "deliver", json={"itemCode": shipment.tracking_code, "url": callback}
    )
    assert delivered["push"]["status"] == 200, delivered
    dossier.refresh_from_db()
    assert dossier.state == "returned" and dossier.returned_at is not None
    citizen.goto(f"{live_server.url}/tra-cuu/?ma={code}&kt={check}")
    assert "Đã trả kết quả" in citizen.locator(".state").inner_text()
    citizen.screenshot(path=artifacts_dir / "neighbours-3-returned-360.png", full_page=True)

    # The day's reconciliation: clean; then a payment whose callback never came.
    today = timezone.localdate()
    clean = reconcile(today)
    assert clean.error == "" and clean.differences == [], clean.differences
    second = services.submit_online(
        procedure=procedure,
        unit=province["bac_yen"],
        applicant={"id_number": "014090005555", "name": "Quàng Văn Tư", "phone": "0912000111"},
        components=[],
    )
    start(live_server, second)
    counterpart.payment_control("POST", "faults", json={"mode": "drop_callback", "count": 1})
    counterpart.payment_control(
        "POST", "pay", json={"MaThamChieu": Payment.objects.get(dossier=second).reference}
    )
    one = reconcile(today)
    assert len(one.differences) == 1, one.differences
    assert second.code in str(one.differences[0]) or Payment.objects.get(
        dossier=second
    ).reference in str(one.differences[0])
