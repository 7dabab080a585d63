"""The postal journey in Chromium at phone width (360×740): a citizen submits online choosing
to receive the result by post; the dossier is handled; the clerk presses «Gửi kết quả qua bưu
chính»; the postal counterpart (a real process) takes the order and pushes the delivery to
the portal's callback; the citizen's status page says «Đã trả kết quả». Screenshots of each
step go to test-artifacts/."""

import pytest

from dossiers import services
from dossiers.models import Dossier
from integrations import postal
from integrations.models import PostalChoice, Shipment

from .factories import PASSWORD
from .test_browser_journey import act, tick_required_papers

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 360, "height": 740}


def no_sideways_scroll(page):
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0


def test_submit_online_with_return_by_post_until_the_delivery_closes_it(
    live_server, browser, province, counterpart, artifacts_dir
):
    counterpart.post_control("POST", "reset")
    procedure = province["commune_procedure"]
    procedure.online_level = "partial"
    procedure.name = "Đăng ký khai sinh"
    procedure.save()
    citizen = browser.new_context(viewport=PHONE, locale="vi-VN", has_touch=True).new_page()
    citizen.goto(f"{live_server.url}/nop-truc-tuyen/")
    citizen.get_by_label("Tìm thủ tục").fill("khai sinh")
    citizen.get_by_role("button", name="Tìm").click()
    citizen.get_by_role("link", name="Đăng ký khai sinh").click()
    unit = citizen.get_by_label("Nộp hồ sơ đến")
    unit.select_option(value=province["bac_yen"].code)
    citizen.get_by_label("Số CCCD / Mã số thuế").fill("014090009876")
    citizen.get_by_label("Họ tên / Tên tổ chức").fill("Hà Thị Mai")
    citizen.get_by_label("Điện thoại", exact=True).fill("0987654321")
    citizen.get_by_label("Qua bưu chính công ích").check()
    citizen.get_by_label("Địa chỉ nhận: số nhà, thôn, bản, đường").fill("Bản Hua Cà, nhà số 7")
    citizen.get_by_label("Xã, phường (địa giới từ 1/7/2025)").select_option(label="UBND xã Tà Xùa")
    citizen.get_by_label("Tôi cam đoan").check()
    assert no_sideways_scroll(citizen)
    citizen.screenshot(path=artifacts_dir / "post-1-online-form-360.png", full_page=True)
    with citizen.expect_navigation():
        citizen.get_by_role("button", name="Nộp hồ sơ").click()
    code = citizen.locator("#ma-ho-so").inner_text()
    check = citizen.locator("#ma-tra-cuu").inner_text()
    citizen.screenshot(path=artifacts_dir / "post-2-submitted-360.png", full_page=True)
    dossier = Dossier.objects.get(code=code)
    choice = PostalChoice.objects.get(dossier=dossier)
    assert choice.return_by_post and choice.commune == province["ta_xua"]
    assert (choice.street, choice.phone) == ("Bản Hua Cà, nhà số 7", "0987654321")

    # Handled at the commune (service calls: the staff pages of these steps are tested
    # elsewhere).
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
    assert "Chưa có đơn gửi" in staff.locator("#postal-panel").inner_text()
    act(staff, "Gửi kết quả qua bưu chính")  # the dossier page's one action form
    shipment = Shipment.objects.get(dossier=dossier)
    # The worker's part (its queue is not served in this test): place the order.
    assert postal.send_shipment(shipment.pk) == Shipment.State.SENT
    shipment.refresh_from_db()
    staff.reload()
    staff.locator("#tracking-code").wait_for()
    assert staff.locator("#tracking-code").inner_text() == shipment.tracking_code
    assert no_sideways_scroll(staff)
    staff.screenshot(path=artifacts_dir / "post-3-clerk-sent-360.png", full_page=True)

    callback = f"{live_server.url}/api/v1/integrations/buu-chinh/hanh-trinh/"
    delivered = counterpart.post_control(
        "POST", "deliver", json={"itemCode": shipment.tracking_code, "url": callback}
    )
    assert delivered["push"]["status"] == 200, delivered
    dossier.refresh_from_db()
    # Returned by the delivery; the archive worker may already have filed it (a returned
    # dossier is archived moments later: the same "Đã trả kết quả" to the citizen).
    assert dossier.state in ("returned", "archived"), dossier.state

    staff.reload()
    staff.locator("#postal-panel table").wait_for()
    assert "Đã phát thành công" in staff.locator("#postal-panel").inner_text()
    staff.screenshot(path=artifacts_dir / "post-4-clerk-delivered-360.png", full_page=True)
    citizen.goto(f"{live_server.url}/tra-cuu/?ma={code}&kt={check}")
    assert "Đã trả kết quả" in citizen.locator(".state").inner_text()
    assert "Bản Hua Cà" not in citizen.content()  # the address is never on the public page
    assert no_sideways_scroll(citizen)
    citizen.screenshot(path=artifacts_dir / "post-5-status-returned-360.png", full_page=True)


def test_the_counter_screen_takes_the_choice_of_return_by_post(
    live_server, page, province, artifacts_dir
):
    clerk = province["clerk_bac_yen"]
    page.goto(f"{live_server.url}/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(clerk.username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Đăng nhập").click()
    code = province["commune_procedure"].national_code
    page.goto(f"{live_server.url}/tiep-nhan/?thu_tuc={code}")
    page.locator("#postal-choice").wait_for()  # the panel, loaded by htmx inside the form
    page.get_by_label("Số CCCD / Mã số thuế").fill("014090009877")
    page.get_by_label("Họ tên / Tên tổ chức").fill("Lường Văn Pọm")
    page.locator("#id_phone").fill("0912345679")
    tick_required_papers(page)
    # The panels reload (by GET) 400 ms after the ID number is typed, redrawn empty: choose
    # once they have.
    page.wait_for_load_state("networkidle")
    page.locator("input[name=channel][value=post]").check()  # the papers came by post
    page.locator("#postal_return_post").check()
    page.get_by_label("Địa chỉ nhận: số nhà, thôn, bản, đường").fill("Bản Mường Chiên")
    page.get_by_label("Xã, phường (địa giới từ 1/7/2025)").select_option(label="UBND xã Tà Xùa")
    page.screenshot(path=artifacts_dir / "post-0-reception-1366.png", full_page=True)
    with page.expect_navigation():
        page.get_by_role("button", name="Tiếp nhận và in giấy hẹn").click()
    dossier = Dossier.objects.get()
    assert dossier.channel == "post"
    choice = PostalChoice.objects.get(dossier=dossier)
    assert choice.return_by_post and choice.street == "Bản Mường Chiên"
    assert choice.phone == "0912345679"
    page.locator("#postal-panel").wait_for()
    assert "qua bưu chính" in page.locator("#postal-panel").inner_text()
