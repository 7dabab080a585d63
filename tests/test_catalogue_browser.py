"""Issue 17 in Chromium: the province office, on a phone, lists the procedures still «chưa
xác minh» in today's catalogue and reads, in each, what is not checked against a source."""

import pytest

from dossiers.services.catalogue import import_catalogue

from .factories import staff
from .test_browser_journey import login
from .test_catalogue_rules import ITEM, data, units  # noqa: F401 - the fixture is used

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 360, "height": 740}
DOUBT = "Lệ phí theo nghị quyết HĐND tỉnh Sơn La: mức chưa xác minh."


def test_the_office_lists_what_is_unverified_and_reads_why(
    live_server,
    browser,
    contexts,
    units,  # noqa: F811 - the fixture imported above
    artifacts_dir,
):
    unverified = {**ITEM, "national_code": "2.000884", "verified": False, "uncertain": DOUBT}
    import_catalogue(data(ITEM, unverified))
    staff(units["commune"], "district_office", username="vanphong.tinh")
    page = login(contexts, browser, live_server.url, "vanphong.tinh", viewport=PHONE)
    page.goto(f"{live_server.url}/thu-tuc/")
    page.get_by_label("Đối chiếu nguồn").select_option("no")
    with page.expect_navigation():
        page.get_by_role("button", name="Lọc").click()
    rows = page.locator("table.grid tbody tr")
    assert rows.count() == 1
    assert "2.000884" in rows.first.inner_text()
    rows.first.locator("summary").click()
    note = rows.first.locator(".unverified-note")
    assert note.is_visible() and DOUBT in note.inner_text()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], width  # nothing scrolls sideways at phone width
    page.screenshot(path=str(artifacts_dir / "catalogue-unverified-360.png"), full_page=True)
