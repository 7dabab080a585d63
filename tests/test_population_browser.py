"""In Chromium at the counter (1366×768): the clerk types the identity number, the full name
and the birth date, presses "Tra cứu CSDLQG về dân cư", sees the person's record and
confirms; the dossier received says "Đã xác thực với CSDLQG về dân cư"."""

import contextlib
import io

import pytest
from playwright.sync_api import Error as PlaywrightError
from pypdf import PdfReader

from dossiers.models import ProcedureComponent
from integrations.models import PopulationCheck

from .factories import PASSWORD
from .population_fixtures import HOA
from .test_browser_journey import tick_required_papers

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
RESIDENCE = "Giấy xác nhận thông tin về cư trú"


def test_the_clerk_confirms_the_applicant_with_the_population_database(
    live_server, page, district, population_db, artifacts_dir
):
    procedure = district["procedure"]
    ProcedureComponent.objects.create(procedure=procedure, order=4, name=RESIDENCE, required=False)
    base = live_server.url
    page.set_viewport_size({"width": 1366, "height": 768})
    page.goto(f"{base}/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill("motcua")
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Đăng nhập").click()
    asked = []  # (method, address) of every request to the population pages
    page.on("request", lambda r: asked.append((r.method, r.url)) if "/dan-cu/" in r.url else None)
    # Each keystroke clears the last result; hold those clearings until the look-up has
    # answered, as a slow network would, and release them after: the match must stay.
    held = []
    page.route("**/dong-bo/dan-cu/tiep-nhan/?xoa=1*", lambda route: held.append(route))
    page.goto(f"{base}/tiep-nhan/?thu_tuc={procedure.national_code}")
    page.get_by_label("Số CCCD / Mã số thuế").fill(HOA["id_number"])
    page.get_by_label("Họ tên / Tên tổ chức").fill(HOA["name"])
    birth = page.get_by_label("Ngày sinh (ngày/tháng/năm)")
    birth.wait_for()
    birth.fill(HOA["birth"])
    page.get_by_role("button", name="Tra cứu CSDLQG về dân cư").click()
    found = page.locator(".population-match")
    found.wait_for()
    assert held, "typing sent no clearing"
    for route in held:
        with contextlib.suppress(PlaywrightError):  # the browser already dropped it (aborted)
            route.continue_()
    page.unroute("**/dong-bo/dan-cu/tiep-nhan/?xoa=1*")
    page.wait_for_timeout(300)  # time for a late clearing to land, if one still could
    assert found.is_visible(), "a clearing sent before the look-up wiped its answer"
    assert "Thông tin người nộp khớp với CSDLQG về dân cư" in found.inner_text()
    assert "Mông" in found.inner_text() and "Nữ" in found.inner_text()
    assert "15/06/2001" in found.inner_text()
    assert RESIDENCE in found.inner_text()
    page.get_by_label("Xác nhận đúng người nộp hồ sơ").check()
    tick_required_papers(page)
    assert ("POST", f"{base}/dong-bo/dan-cu/tra-cuu/") in asked
    assert not [url for _, url in asked if HOA["id_number"] in url or "2001" in url]
    page.locator("#population-panel").scroll_into_view_if_needed()
    page.screenshot(path=artifacts_dir / "population-reception-1366.png", full_page=True)
    with page.expect_navigation():
        page.get_by_role("button", name="Tiếp nhận và in giấy hẹn").click()
    panel = page.locator("#population-check")
    panel.wait_for()
    assert "Đã xác thực với CSDLQG về dân cư" in panel.inner_text()
    panel.scroll_into_view_if_needed()
    page.screenshot(path=artifacts_dir / "population-dossier-1366.png", full_page=True)
    code = page.locator("h1.mono").inner_text()
    check = PopulationCheck.objects.get(dossier__code=code)
    assert check.verified and check.waived == [RESIDENCE]
    # Mẫu 01 as printed says so too.
    receipt = page.request.get(
        base + page.get_by_role("link", name="Mẫu 01").first.get_attribute("href")
    )
    assert receipt.ok and receipt.body().startswith(b"%PDF")
    (artifacts_dir / "population-receipt.pdf").write_bytes(receipt.body())
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(receipt.body())).pages)
    assert "đã xác thực với CSDLQG về dân cư" in " ".join(text.split())
