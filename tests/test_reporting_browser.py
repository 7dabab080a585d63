"""Done-when of issue #8 in Chromium: the district office opens the dashboard, sees the
on-time card of the district counter, clicks through to the overdue dossiers behind it, and
exports the month as XLSX (same numbers as the page) and PDF."""

import io

import pytest
from openpyxl import load_workbook

from reporting.models import Target
from reporting.plan141 import load as load_targets

from .test_browser_journey import login, pdf_text

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_office_dashboard_drilldown_and_exports(
    live_server, browser, contexts, march, artifacts_dir
):
    load_targets(Target)
    base = live_server.url
    page = login(contexts, browser, base, "vanphong")
    page.goto(f"{base}/bao-cao/?unit=H50.22.02&month=2025-03")
    card = page.locator("[data-indicator=on_time]")
    assert "66,7%" in card.inner_text()
    page.wait_for_function("document.querySelectorAll('canvas[data-sparkline]')[0].width > 0")
    page.screenshot(path=str(artifacts_dir / "reporting-dashboard.png"), full_page=True)
    assert page.locator("canvas[data-chart=ranking]").is_visible()

    card.get_by_role("link", name="Hồ sơ đang quá hạn (1)").click()
    page.wait_for_url("**/bao-cao/ho-so/**")
    assert march["d"].code in page.locator("table.dossiers").inner_text()
    assert page.locator("table.dossiers tbody tr").count() == 1
    page.screenshot(path=str(artifacts_dir / "reporting-drilldown.png"))
    page.get_by_role("link", name=march["d"].code).click()
    page.wait_for_url(f"**/ho-so/{march['d'].code}/")
    page.go_back()
    page.go_back()

    on_page = {
        code: int(page.locator(f"tfoot td[data-total={code}]").inner_text())
        for code in ("carried", "new_online", "new_direct", "early", "on_time", "late", "overdue")
    }
    with page.expect_download() as download:
        page.get_by_role("link", name="Tải XLSX").click()
    ws = load_workbook(io.BytesIO(open(download.value.path(), "rb").read())).active
    assert ws["B5"].value == "Hộ tịch"
    in_file = {
        "carried": ws["D5"].value,
        "new_online": ws["E5"].value,
        "new_direct": ws["F5"].value,
        "early": ws["H5"].value,
        "on_time": ws["I5"].value,
        "late": ws["J5"].value,
        "overdue": ws["M5"].value,
    }
    assert in_file == on_page

    href = page.get_by_role("link", name="Tải PDF").get_attribute("href")
    pdf = page.request.get(f"{base}{href}")
    assert pdf.headers["content-type"] == "application/pdf"
    (artifacts_dir / "reporting-month.pdf").write_bytes(pdf.body())
    text = pdf_text(pdf.body())
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text and "Tháng 03/2025" in text
