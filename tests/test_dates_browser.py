"""In an English Chromium (whose native date input reads mm/dd/yyyy), the leader types the new
appointment of the apology letter as eight digits: the mask writes 01/11/2026 and the dossier's
appointment is 1 November 2026. The report picker shows only the chosen kind's selects."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from dossiers import services
from dossiers.models import Dossier

from .factories import staff
from .test_browser_journey import login
from .workflow_fixtures import receive

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
VN = ZoneInfo("Asia/Ho_Chi_Minh")


def test_new_appointment_typed_day_first_in_an_english_browser(
    live_server, browser, contexts, district, artifacts_dir
):
    dossier = receive(district, at=datetime(2026, 10, 26, 9, 0, tzinfo=VN))
    services.assign(dossier.pk, actor=district["clerk"], at=datetime(2026, 10, 26, 9, 5, tzinfo=VN))
    base = live_server.url
    page = login(contexts, browser, base, "ld.tuphap", locale="en-US")
    page.goto(f"{base}/ho-so/{dossier.code}/")
    form = page.locator("form.action")
    form.locator("#pick-extend").check()  # the one action form: the action first
    appointment = page.locator("#extend-new_appointment")
    assert appointment.get_attribute("type") == "text"
    appointment.press_sequentially("01112026")
    assert appointment.input_value().strip() == "01/11/2026"
    form.locator("textarea[name=extend-reason]").fill("Chờ kết quả xác minh của xã")
    page.screenshot(path=str(artifacts_dir / "dates-appointment-1366.png"), full_page=True)
    with page.expect_navigation(wait_until="domcontentloaded"):
        form.get_by_role("button", name="Thực hiện thao tác đã chọn").click()
    dossier = Dossier.objects.get(pk=dossier.pk)
    assert dossier.was_extended
    assert dossier.appointment_at.astimezone(VN).date() == date(2026, 11, 1)
    assert "01/11/2026" in page.locator("body").inner_text()


def test_report_picker_shows_the_kinds_own_selects(
    live_server, browser, contexts, district, artifacts_dir
):
    staff(district["counter"], "district_office", username="vp.dates")
    base = live_server.url
    page = login(contexts, browser, base, "vp.dates", locale="en-US")
    page.goto(f"{base}/bao-cao/bang/?unit=H50.22.02&month=2026-03")
    assert page.locator("#rp-month").is_visible() and not page.locator("#rp-quarter").is_visible()
    page.select_option("#rp-kind", "quarter")
    page.select_option("#rp-year", "2026")
    page.select_option("#rp-quarter", "1")
    assert not page.locator("#rp-month").is_visible()
    with page.expect_navigation():
        page.get_by_role("button", name="Xem").click()
    assert page.url.endswith("?unit=H50.22.02&ky=quarter&nam=2026&quy=1")
    assert "Quý 1/2026" in page.locator("body").inner_text()
    for width, height in ((1366, 768), (360, 740)):
        page.set_viewport_size({"width": width, "height": height})
        page.screenshot(path=str(artifacts_dir / f"dates-picker-{width}.png"), full_page=True)
