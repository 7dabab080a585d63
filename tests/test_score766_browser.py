"""The QĐ 766 score page in Chromium: the district office opens a commune's October 2026, sees
the groups and the items the portal cannot measure, follows a lost point to the dossier behind
it, and the page reads at phone width without scrolling sideways."""

import pytest

from .score766_fixtures import PERIOD
from .test_browser_journey import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_office_reads_the_score_and_follows_a_lost_point(
    live_server, browser, contexts, score_province, artifacts_dir
):
    base = live_server.url
    page = login(contexts, browser, base, "vanphong-tinh")
    page.goto(f"{base}/bao-cao/766/?unit=H50.30&{PERIOD}")
    assert page.get_by_role("heading", name="UBND xã Tà Xùa · Tháng 10/2026").is_visible()
    total = page.locator("[data-score-total]")
    assert "Tổng điểm" in total.inner_text()
    assert page.locator("[data-status=unmeasurable]").count() == 1  # certified copies, commune
    assert page.locator("tr[data-trend]").count() == 12
    page.screenshot(path=str(artifacts_dir / "score766.png"), full_page=True)

    page.locator("tr[data-item=on_time]").get_by_role("link").click()
    page.wait_for_url("**/bao-cao/766/mat-diem/**")
    rows = page.locator("table.dossiers tbody tr")
    assert rows.count() == 1 and score_province["d2"].code in rows.inner_text()
    page.screenshot(path=str(artifacts_dir / "score766-lost.png"))

    phone = login(contexts, browser, base, "vanphong-tinh", viewport={"width": 360, "height": 740})
    phone.goto(f"{base}/bao-cao/766/?unit=H50.30&{PERIOD}")
    width = phone.evaluate("document.documentElement.scrollWidth")
    phone.screenshot(path=str(artifacts_dir / "score766-phone.png"), full_page=True)
    assert width <= 360, width
