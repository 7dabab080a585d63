"""The citizen's journeys in Chromium at phone width (360×740): look a dossier up by code and
factor, submit online with two uploads and receive the code, the clerk accepts it, answer a
request for supplements online, rate after the return — and the screenshots of the status
page, the submission form and the counter's display."""

import pytest
from playwright.sync_api import expect

from counter import services as queue
from counter.models import ServiceArea
from dossiers import services
from dossiers.models import Dossier, Rating

from .factories import PASSWORD, staff
from .scan_files import PAGE_ONE, PAGE_TWO, image_bytes, pdf_bytes
from .test_browser_journey import act
from .workflow_fixtures import CITIZEN, receive

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 360, "height": 740}


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport=PHONE, locale="vi-VN", has_touch=True)
    yield context.new_page()
    context.close()


@pytest.fixture
def clerk_phone(browser, live_server, district):
    context = browser.new_context(viewport=PHONE, locale="vi-VN")
    page = context.new_page()
    page.goto(f"{live_server.url}/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill("motcua")
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(f"{live_server.url}/")
    yield page
    context.close()


def no_sideways_scroll(page):
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0


def test_look_up_by_code_and_factor(live_server, phone, district, artifacts_dir):
    dossier = receive(district, applicant={**CITIZEN, "address": "Bản Phiêng Ban"})
    services.assign(dossier.pk, actor=district["clerk"], to_unit=district["justice"])
    phone.goto(f"{live_server.url}/tra-cuu/")
    phone.get_by_label("Mã hồ sơ").fill(dossier.code.lower())
    phone.get_by_label("Mã tra cứu (in trên giấy hẹn) hoặc 4 số cuối điện thoại").fill("5678")
    phone.get_by_role("button", name="Tra cứu").click()
    assert phone.locator("h1").inner_text() == dossier.code
    steps = phone.locator(".steps").inner_text()
    assert "Tiếp nhận hồ sơ" in steps and "Chuyển đến cơ quan giải quyết: Phòng Tư pháp" in steps
    assert "Bản Phiêng Ban" not in phone.content()
    assert no_sideways_scroll(phone)
    phone.screenshot(path=artifacts_dir / "online-status-360.png", full_page=True)
    phone.get_by_label("Mã tra cứu (in trên giấy hẹn) hoặc 4 số cuối điện thoại").fill("0000")
    phone.get_by_role("button", name="Tra cứu").click()
    assert "Không tìm thấy hồ sơ" in phone.locator(".err").inner_text()


def test_submit_online_with_two_uploads_and_the_clerk_accepts(
    live_server, phone, clerk_phone, district, artifacts_dir, tmp_path
):
    district["procedure"].online_level = "partial"
    district["procedure"].save()
    (tmp_path / "phieu-yeu-cau.pdf").write_bytes(pdf_bytes(PAGE_ONE))
    (tmp_path / "du-thao-hop-dong.jpg").write_bytes(image_bytes(PAGE_TWO, "JPEG"))
    phone.goto(f"{live_server.url}/nop-truc-tuyen/")
    phone.get_by_label("Tìm thủ tục").fill("chung thuc")
    phone.get_by_role("button", name="Tìm").click()
    phone.get_by_role("link", name="Chứng thực hợp đồng").click()
    assert phone.locator("h1").inner_text() == "Chứng thực hợp đồng"
    phone.get_by_label("Số CCCD / Mã số thuế").fill("014090009876")
    phone.get_by_label("Họ tên / Tên tổ chức").fill("Hà Thị Mai")
    phone.get_by_label("Điện thoại").fill("0987654321")
    phone.get_by_label("Thư điện tử").fill("mai@example.vn")
    phone.get_by_label("Phiếu yêu cầu").set_input_files(tmp_path / "phieu-yeu-cau.pdf")
    phone.get_by_label("Dự thảo hợp đồng").set_input_files(tmp_path / "du-thao-hop-dong.jpg")
    # The pledge forgotten: the form comes back with its files kept on the server.
    with phone.expect_navigation():
        phone.get_by_role("button", name="Nộp hồ sơ").click()
    assert "Xin đánh dấu lời cam đoan" in phone.content()
    kept = phone.locator(".kept").all_inner_texts()
    assert any("phieu-yeu-cau.pdf" in t for t in kept), kept
    assert any("du-thao-hop-dong.jpg" in t for t in kept), kept
    assert phone.locator("#draft-code").is_visible() and no_sideways_scroll(phone)
    phone.screenshot(path=artifacts_dir / "online-draft-kept-360.png", full_page=True)
    phone.get_by_label("Tôi cam đoan").check()
    assert no_sideways_scroll(phone)
    phone.screenshot(path=artifacts_dir / "online-submit-form-360.png", full_page=True)
    phone.get_by_role("button", name="Nộp hồ sơ").click()
    phone.wait_for_url("**/nop-truc-tuyen/da-nop/")
    code = phone.locator("#ma-ho-so").inner_text()
    check = phone.locator("#ma-tra-cuu").inner_text()
    dossier = Dossier.objects.get(code=code)
    assert dossier.check_code == check and dossier.state == "submitted"
    assert dossier.scanned_files.count() == 2
    phone.screenshot(path=artifacts_dir / "online-submitted-360.png", full_page=True)

    clerk_phone.goto(f"{live_server.url}/ho-so/?state=submitted")
    clerk_phone.get_by_role("link", name=code).click()
    clerk_phone.wait_for_url(f"**/ho-so/{code}/")
    # The dossier page's one action form: the actions are its choices (issue 21). expect()
    # waits for the page: count() alone read the list page still loading on a slow machine.
    expect(clerk_phone.get_by_role("radio", name="Từ chối tiếp nhận (Mẫu 03)")).to_have_count(1)
    act(clerk_phone, "Tiếp nhận (Mẫu 01)")  # asserts the one success message
    clerk_phone.screenshot(path=artifacts_dir / "online-clerk-accepted-360.png", full_page=True)
    dossier.refresh_from_db()
    assert dossier.state == "received" and dossier.due_at is not None

    phone.get_by_role("link", name="Xem tình trạng hồ sơ").click()
    assert "Đã tiếp nhận" in phone.locator(".state").inner_text()


def test_answer_a_supplement_request_online(live_server, phone, district, artifacts_dir, tmp_path):
    dossier = receive(district)
    reason = "Bổ sung bản sao giấy chứng nhận quyền sử dụng đất"
    services.request_supplement(dossier.pk, actor=district["clerk"], reason=reason)
    (tmp_path / "so-do.png").write_bytes(image_bytes(PAGE_TWO))
    phone.goto(f"{live_server.url}/bo-sung/")
    phone.get_by_label("Mã hồ sơ").fill(dossier.code)
    phone.get_by_label("Mã tra cứu hoặc 4 số cuối điện thoại").fill(dossier.check_code)
    phone.get_by_role("button", name="Tiếp tục").click()
    assert "giấy chứng nhận quyền sử dụng đất" in phone.locator(".late").inner_text()
    phone.get_by_label("Dự thảo hợp đồng").set_input_files(tmp_path / "so-do.png")
    phone.get_by_label("Ghi chú cho cán bộ").fill("Gửi bản chụp sổ đỏ")
    assert no_sideways_scroll(phone)
    phone.screenshot(path=artifacts_dir / "online-supplement-360.png", full_page=True)
    phone.get_by_role("button", name="Gửi bổ sung").click()
    assert phone.locator("h1").inner_text() == "Đã gửi giấy tờ bổ sung"
    assert "so-do.png" in phone.locator("main").inner_text()
    assert dossier.events.filter(action="supplement_online").exists()


def test_rate_after_return(live_server, phone, district):
    dossier = receive(district)
    for step in ("assign", "propose_result", "approve", "return_result"):
        actor = {
            "assign": "clerk",
            "propose_result": "specialist",
            "approve": "leader",
            "return_result": "clerk",
        }[step]
        extra = {"to_unit": district["justice"]} if step == "assign" else {}
        getattr(services, step)(dossier.pk, actor=district[actor], **extra)
    phone.goto(f"{live_server.url}/danh-gia/")
    phone.get_by_label("Mã hồ sơ").fill(dossier.code)
    phone.get_by_label("Mã tra cứu hoặc 4 số cuối điện thoại").fill(dossier.check_code)
    phone.get_by_label("Rất hài lòng").check()
    phone.get_by_label("Góp ý (không bắt buộc)").fill("Cán bộ hướng dẫn tận tình")
    phone.get_by_role("button", name="Gửi đánh giá").click()
    assert "Cảm ơn ông/bà đã đánh giá" in phone.locator("h1").inner_text()
    assert Rating.objects.get(dossier=dossier).score == Rating.Score.VERY_SATISFIED
    assert no_sideways_scroll(phone)


def test_the_counter_display_shows_the_numbers_being_served(
    live_server, browser, district, artifacts_dir
):
    area = ServiceArea.objects.create(unit=district["counter"], letter="A", name="Hộ tịch")
    other = ServiceArea.objects.create(unit=district["counter"], letter="B", name="Đất đai")
    for _ in range(3):
        queue.issue_ticket(area.pk)
    queue.issue_ticket(other.pk)
    queue.call_next(area.pk, actor=district["clerk"], desk=1)
    second_clerk = staff(district["counter"], "clerk", username="motcua2")
    queue.call_next(other.pk, actor=second_clerk, desk=2)
    for size, name in (({"width": 1366, "height": 768}, "1366"), (PHONE, "360")):
        context = browser.new_context(viewport=size, locale="vi-VN")
        tv = context.new_page()
        tv.goto(f"{live_server.url}/xep-hang/{district['counter'].code}/man-hinh/")
        assert "A001" in tv.content() and "B001" in tv.content()
        tv.screenshot(path=artifacts_dir / f"online-display-{name}.png", full_page=True)
        context.close()
