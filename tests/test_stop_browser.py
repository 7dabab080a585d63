"""Done-when of issue 17's stop at the applicant's request, in Chromium: the citizen asks
online (phone width) to stop a dossier being handled; the clerk sees the request on the home
page and the dossier page and stops it, which issues the stop notice; the status page says
so; the office's monthly report counts it in its own column."""

import pytest
from django.utils import timezone

from dossiers import services
from dossiers.models import Dossier, PrintedForm

from .factories import staff
from .test_browser_journey import act, login
from .workflow_fixtures import receive

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 360, "height": 740}


def test_a_citizen_asks_online_and_the_counter_stops_the_dossier(
    live_server, browser, contexts, district, artifacts_dir
):
    staff(district["counter"].parent, "district_office", username="vanphong")
    dossier = receive(district)
    services.assign(dossier.pk, actor=district["clerk"], to_unit=district["justice"])
    base = live_server.url

    citizen = browser.new_context(viewport=PHONE, locale="vi-VN", has_touch=True)
    contexts.append(citizen)
    phone = citizen.new_page()
    phone.goto(f"{base}/tra-cuu/?ma={dossier.code}&kt={dossier.check_code}")
    phone.get_by_role("link", name="Đề nghị dừng giải quyết hồ sơ").click()
    phone.get_by_label("Mã tra cứu hoặc 4 số cuối điện thoại").fill("5678")
    phone.get_by_role("button", name="Tiếp tục").click()
    phone.get_by_label("Lý do đề nghị dừng giải quyết").fill("Gia đình không làm thủ tục nữa.")
    phone.screenshot(path=str(artifacts_dir / "stop-request-360.png"), full_page=True)
    phone.get_by_role("button", name="Gửi đề nghị dừng giải quyết").click()
    assert "Đã gửi đề nghị dừng giải quyết" in phone.locator("#stop-sent").inner_text()

    clerk = login(contexts, browser, base, "motcua")
    assert dossier.code in clerk.locator("#stop-requests").inner_text()
    clerk.locator("#stop-requests").get_by_role("link", name=dossier.code).click()
    clerk.wait_for_url(f"**/ho-so/{dossier.code}/")
    assert "Gia đình không làm thủ tục nữa." in clerk.locator("#stop-request").inner_text()
    clerk.screenshot(path=str(artifacts_dir / "stop-request-clerk.png"), full_page=True)
    act(clerk, "Dừng giải quyết", reason="Công dân đề nghị dừng trực tuyến: không làm thủ tục nữa.")
    clerk.wait_for_url(f"**/ho-so/{dossier.code}/")
    assert "Đã dừng giải quyết theo đề nghị" in clerk.locator(".state-box").inner_text()
    dossier.refresh_from_db()
    assert dossier.state == "stopped"
    assert PrintedForm.objects.filter(dossier=dossier, kind="stop").exists()

    phone.goto(f"{base}/tra-cuu/?ma={dossier.code}&kt={dossier.check_code}")
    assert "Đã dừng giải quyết hồ sơ theo đề nghị" in phone.locator(".state").inner_text()
    phone.screenshot(path=str(artifacts_dir / "stop-status-360.png"), full_page=True)

    office = login(contexts, browser, base, "vanphong")
    month = timezone.localdate().strftime("%Y-%m")
    office.goto(f"{base}/bao-cao/bang/?unit={district['counter'].code}&month={month}")
    total = office.locator("tfoot [data-total=stopped]")
    assert total.inner_text() == "1"
    assert Dossier.objects.filter(state="stopped").count() == 1
