"""A citizen signs in with VNeID in Chromium at phone width (360×740): the counterpart's login
page, "Hồ sơ của tôi" with their dossiers (two pages), one opened without the second factor,
someone else's code met by the factor form, the online form filled from the identity, signing
out. Screenshots of each step; then the identity number is looked for in every log line of the
journey (the portal's, at DEBUG for every logger, and the counterpart's log file) and in every
address the browser asked for or showed: it must be in none."""

import logging
from datetime import timedelta

import pytest

from .factories import RECEIVED_AT, ApplicantFactory, DossierFactory, ProcedureFactory, UnitFactory
from .test_online_browser import PHONE, no_sideways_scroll
from .test_vneid_login import PASSWORD, SUNG

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PROCEDURES = [
    "Đăng ký khai sinh",
    "Chứng thực bản sao từ bản chính giấy tờ",
    "Cấp bản sao trích lục hộ tịch",
    "Đăng ký kết hôn",
]
STATES = ["returned", "archived", "in_progress", "received", "supplement_requested"]


def citizens_dossiers():
    """Twelve dossiers of the demo citizen, at the counter of thị trấn Bắc Yên over a year
    (newest last), and one of another applicant."""
    unit = UnitFactory(code="H50.22.01", name="UBND thị trấn Bắc Yên", address="Tiểu khu 2")
    procedures = [ProcedureFactory(name=name) for name in PROCEDURES]
    mine = ApplicantFactory(**SUNG)
    made = []
    for i in range(12):
        made.append(
            DossierFactory(
                applicant=mine,
                receiving_unit=unit,
                procedure=procedures[i % len(procedures)],
                received_at=RECEIVED_AT - timedelta(days=30 * (11 - i)),
                **{STATES[i % len(STATES)]: True},
            )
        )
    other = DossierFactory(
        receiving_unit=unit, applicant=ApplicantFactory(id_number="014090007777")
    )
    return made, other


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport=PHONE, locale="vi-VN", has_touch=True)
    page = context.new_page()
    page.addresses = []  # every request the page made and every address it showed
    page.on("request", lambda r: page.addresses.append(r.url))
    page.on("framenavigated", lambda f: page.addresses.append(f.url))
    yield page
    context.close()


def test_a_citizen_signs_in_with_vneid_and_follows_their_dossiers(
    live_server, counterpart, phone, district, artifacts_dir, caplog
):
    caplog.set_level(logging.DEBUG)  # the root logger: every logger of the portal
    log_start = counterpart.log_path.stat().st_size if counterpart.log_path.exists() else 0
    made, other = citizens_dossiers()
    district["procedure"].online_level = "full"
    district["procedure"].save()
    newest = made[-1]

    phone.goto(f"{live_server.url}/nop-truc-tuyen/")
    phone.screenshot(path=artifacts_dir / "vneid-header-signed-out-360.png")
    with phone.expect_navigation():
        phone.get_by_role("link", name="Đăng nhập bằng VNeID").click()
    phone.wait_for_url(f"{counterpart.url}/vneid/dang-nhap/**")
    assert "Định danh điện tử VNeID" in phone.locator("header").inner_text()
    phone.get_by_label("Số định danh cá nhân").fill(SUNG["id_number"])
    phone.get_by_label("Mật khẩu").fill(PASSWORD)
    assert no_sideways_scroll(phone)
    phone.screenshot(path=artifacts_dir / "vneid-login-360.png", full_page=True)
    with phone.expect_navigation(url=f"{live_server.url}/ho-so-cua-toi/"):
        phone.get_by_role("button", name="Đăng nhập").click()

    assert phone.locator("h1").inner_text() == "Hồ sơ của Tòng Đức Sùng"
    assert "Tòng Đức Sùng" in phone.locator(".who").inner_text()
    rows = phone.locator(".mine .procs li")
    assert rows.count() == 10 and newest.code in rows.first.inner_text()
    assert other.code not in phone.content()
    assert "Trang 1/2" in phone.locator(".pager").inner_text()
    assert no_sideways_scroll(phone)
    phone.screenshot(path=artifacts_dir / "vneid-my-dossiers-360.png", full_page=True)
    with phone.expect_navigation():
        phone.get_by_role("link", name="Trang sau ›").click()
    assert phone.locator(".mine .procs li").count() == 2
    with phone.expect_navigation():
        phone.get_by_role("link", name=made[0].code).click()
    assert phone.locator("h1").inner_text() == made[0].code
    assert phone.locator("#kt").count() == 0  # no second factor asked
    assert "Đã trả kết quả" in phone.locator(".state").inner_text()
    assert no_sideways_scroll(phone)
    phone.screenshot(path=artifacts_dir / "vneid-dossier-status-360.png", full_page=True)

    # Someone else's code through the same path: the factor form, nothing of the dossier.
    phone.goto(f"{live_server.url}/ho-so-cua-toi/xem/?ma={other.code}")
    assert phone.locator("#kt").count() == 1 and phone.locator(".steps").count() == 0

    phone.goto(f"{live_server.url}/nop-truc-tuyen/{district['procedure'].national_code}/")
    assert phone.get_by_label("Họ tên / Tên tổ chức").input_value() == SUNG["name"]
    assert phone.get_by_label("Số CCCD / Mã số thuế").input_value() == SUNG["id_number"]
    assert phone.get_by_label("Điện thoại").input_value() == SUNG["phone"]
    assert phone.get_by_label("Thư điện tử").input_value() == "tongducsung@example.vn"
    assert no_sideways_scroll(phone)
    phone.screenshot(path=artifacts_dir / "vneid-online-form-prefilled-360.png", full_page=True)

    # A callback the session never asked for: a Vietnamese page, and no identity number on it.
    phone.goto(f"{live_server.url}/vneid/callback/?code=cu&state=la")
    assert "Phiên đăng nhập không hợp lệ" in phone.locator(".err").inner_text()
    assert SUNG["id_number"] not in phone.content()
    phone.screenshot(path=artifacts_dir / "vneid-bad-state-360.png", full_page=True)

    phone.goto(f"{live_server.url}/ho-so-cua-toi/")
    with phone.expect_navigation():
        phone.get_by_role("button", name="Đăng xuất").click()
    phone.goto(f"{live_server.url}/ho-so-cua-toi/")
    assert phone.get_by_role("link", name="Đăng nhập bằng VNeID").count() >= 1

    lines = [caplog.text] + [r.getMessage() for r in caplog.records]
    with open(counterpart.log_path, encoding="utf-8", errors="replace") as log:
        log.seek(log_start)
        lines.append(log.read())
    assert len(caplog.records) > 0  # the capture did hear the journey
    assert not [line for line in lines if SUNG["id_number"] in line]
    assert len(phone.addresses) > 20
    assert not [a for a in phone.addresses if SUNG["id_number"] in a]
    assert any(a.startswith(f"{counterpart.url}/vneid/o/authorize/") for a in phone.addresses)
