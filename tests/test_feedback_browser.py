"""The PAKN journey in Chromium at phone width (360×740): a citizen files a complaint about a
late dossier by its code and check code; the justice office's leader finds it in the queue and
answers; the citizen reads the answer on the PAKN's status page and rates it — screenshots of
each step in test-artifacts/."""

import pytest

from dossiers.models import AuditEvent, Rating
from feedback.models import Feedback

from .factories import PASSWORD, DossierFactory
from .feedback_fixtures import late_dossier

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 360, "height": 740}


def no_sideways_scroll(page):
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0


def test_a_citizen_complains_about_a_late_dossier_and_rates_the_answer(
    browser, live_server, district, artifacts_dir
):
    dossier = late_dossier(district)
    citizen = browser.new_context(viewport=PHONE, locale="vi-VN", has_touch=True).new_page()
    citizen.goto(f"{live_server.url}/pakn/gui/?ma={dossier.code}")
    assert no_sideways_scroll(citizen)
    citizen.get_by_label("Mã tra cứu của hồ sơ hoặc 4 số cuối điện thoại").fill(dossier.check_code)
    citizen.get_by_label("Tôi đồng ý công khai nội dung và câu trả lời").check()
    citizen.get_by_label("Nội dung phản ánh, kiến nghị").fill(
        "Hồ sơ đã quá hẹn trả kết quả hai ngày mà chưa có thông báo. Đề nghị cho biết lý do."
    )
    citizen.get_by_label("Họ và tên người gửi").fill("Lò Văn Sinh")
    citizen.get_by_label("Số điện thoại", exact=True).fill("0912345678")
    citizen.screenshot(path=artifacts_dir / "pakn-send-360.png", full_page=True)
    with citizen.expect_navigation():
        citizen.get_by_role("button", name="Gửi phản ánh, kiến nghị").click()
    code = citizen.locator("#pakn-code").inner_text()
    check = citizen.locator("#pakn-check").inner_text()
    assert district["justice"].name in citizen.content()
    citizen.screenshot(path=artifacts_dir / "pakn-sent-360.png", full_page=True)

    leader = browser.new_context(viewport=PHONE, locale="vi-VN").new_page()
    leader.goto(f"{live_server.url}/dang-nhap/")
    leader.get_by_label("Tên đăng nhập").fill("ld.tuphap")
    leader.get_by_label("Mật khẩu").fill(PASSWORD)
    with leader.expect_navigation():
        leader.get_by_role("button", name="Đăng nhập").click()
    leader.goto(f"{live_server.url}/pakn/lanh-dao/")
    assert leader.get_by_role("link", name=code).is_visible()
    leader.screenshot(path=artifacts_dir / "pakn-queue-360.png", full_page=True)
    with leader.expect_navigation():
        leader.get_by_role("link", name=code).click()
    leader.get_by_label("Công khai câu trả lời").check()
    leader.get_by_label("Nội dung trả lời").fill(
        "Hồ sơ đã có kết quả, mời ông nhận tại Trung tâm từ ngày mai. Xin lỗi vì sự chậm trễ."
    )
    with leader.expect_navigation():
        leader.get_by_role("button", name="Gửi trả lời").click()
    assert "Đã gửi trả lời" in leader.content()
    assert no_sideways_scroll(leader)
    leader.screenshot(path=artifacts_dir / "pakn-answered-360.png", full_page=True)

    citizen.goto(f"{live_server.url}/pakn/tra-cuu/?ma={code}&kt={check}")
    assert "mời ông nhận tại Trung tâm" in citizen.locator("#pakn-answer").inner_text()
    citizen.get_by_label("Hài lòng", exact=True).check()
    citizen.get_by_label("Góp ý (không bắt buộc)").fill("Cảm ơn, trả lời nhanh.")
    with citizen.expect_navigation():
        citizen.get_by_role("button", name="Gửi đánh giá").click()
    assert citizen.locator("#pakn-thanks").is_visible()
    assert no_sideways_scroll(citizen)
    citizen.screenshot(path=artifacts_dir / "pakn-rated-360.png", full_page=True)

    citizen.goto(f"{live_server.url}/pakn/cong-khai/")
    listed = citizen.locator(".pakn-public").inner_text()
    assert "quá hẹn trả kết quả" in listed and "Lò Văn Sinh" not in citizen.content()
    assert "0912345678" not in citizen.content()
    citizen.screenshot(path=artifacts_dir / "pakn-public-360.png", full_page=True)
    # A very satisfied rating whose comment reads negative reaches the leader's quality page.
    Rating.objects.create(
        dossier=DossierFactory(receiving_unit=district["justice"], state="returned"),
        score=Rating.Score.VERY_SATISFIED,
        comment="Chờ cả buổi sáng, cán bộ cáu gắt",
        channel="web",
    )
    leader.goto(f"{live_server.url}/pakn/lanh-dao/chat-luong/")
    assert "cán bộ cáu gắt" in leader.locator("#mismatches").inner_text()
    assert "100,0% (1/1 góp ý)" in leader.locator("#unit-satisfaction").inner_text()
    assert no_sideways_scroll(leader)
    leader.screenshot(path=artifacts_dir / "pakn-quality-360.png", full_page=True)

    feedback = Feedback.objects.get(code=code)
    assert feedback.dossier_id == dossier.pk and feedback.answer_score == 3
    assert feedback.answered_on_time and feedback.state == "closed"
    assert AuditEvent.objects.filter(action="feedback.rated", object_id=str(feedback.pk))
