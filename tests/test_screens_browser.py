"""Issue 21's screens in Chromium at 1366×768 and 360×740: home tiles that open the filtered
list, the days-left column, the dossier page with its one action form and the confirmation of
an irreversible action, the leader's dashboard scoped to their unit, and the access log in
words and codes with one entry per read. Screenshots go to test-artifacts/."""

from datetime import timedelta

import pytest
from django.utils import timezone

from dossiers import services
from dossiers.models import AuditEvent, Dossier

from .test_browser_journey import login
from .workflow_fixtures import CITIZEN, receive

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SIZES = {"1366": (1366, 768), "360": (360, 740)}


def both_sizes(page, artifacts_dir, name, fits_phone=True):
    """Screenshots at the counter's and the phone's size; the phone's page never scrolls
    sideways (``fits_phone``: the report pages' wide tables scroll, issue 21's other half)."""
    for label, (width, height) in SIZES.items():
        page.set_viewport_size({"width": width, "height": height})
        page.screenshot(path=str(artifacts_dir / f"{name}-{label}.png"), full_page=True)
        if label == "360" and fits_phone:
            assert page.evaluate("document.documentElement.scrollWidth") <= 362, name
    page.set_viewport_size({"width": 1366, "height": 768})


def views_of(dossier):
    return AuditEvent.objects.filter(
        action="dossier.view", object_type="dossiers.dossier", object_id=str(dossier.pk)
    ).count()


def test_the_screens_of_issue_21(
    live_server, browser, contexts, district, archive_staff, artifacts_dir
):
    base, d = live_server.url, district
    late = receive(d, applicant={**CITIZEN, "id_number": "014090000401"})
    services.assign(late.pk, actor=d["clerk"])
    Dossier.objects.filter(pk=late.pk).update(due_at=timezone.now() - timedelta(days=9))
    ready = receive(d, applicant={**CITIZEN, "id_number": "014090000402"})
    services.assign(ready.pk, actor=d["clerk"])
    services.propose_result(ready.pk, actor=d["specialist"])
    services.approve(ready.pk, actor=d["leader"])
    receive(d, applicant={**CITIZEN, "id_number": "014090000403"})

    clerk = login(contexts, browser, base, "motcua")
    tile = clerk.get_by_role("link", name="1 Đang quá hạn", exact=True)
    both_sizes(clerk, artifacts_dir, "home-tiles")
    with clerk.expect_navigation():
        tile.click()
    rows = clerk.locator("table.dossiers tbody tr")
    assert rows.count() == 1 and late.code in rows.first.inner_text()
    assert "Quá hạn" in rows.first.locator("[data-label='Còn lại']").inner_text()
    clerk.goto(f"{base}/ho-so/?sort=due")
    both_sizes(clerk, artifacts_dir, "list-deadlines")

    # One read of the dossier page, panels and all, is one entry in the access log.
    before = views_of(ready)
    clerk.goto(f"{base}/ho-so/{ready.code}/")
    clerk.wait_for_load_state("networkidle")
    assert views_of(ready) == before + 1
    form = clerk.locator("form.action")
    assert form.count() == 1
    choice = form.get_by_role("radio", name="Trả kết quả")
    choice.check()
    option = form.locator(".action-option").filter(
        has=clerk.get_by_role("radio", name="Trả kết quả")
    )
    note = option.get_by_label("Ghi chú khi trả kết quả (không bắt buộc)")
    assert note.is_visible()
    note.fill("Ông Sinh nhận trực tiếp")
    both_sizes(clerk, artifacts_dir, "dossier-action-form")
    with clerk.expect_navigation():
        form.get_by_role("button", name="Thực hiện thao tác đã chọn").click()
    assert "Xác nhận: Trả kết quả" in clerk.locator("h1").inner_text()
    assert Dossier.objects.get(pk=ready.pk).state == "result_ready"
    both_sizes(clerk, artifacts_dir, "confirm-return")
    with clerk.expect_navigation():
        clerk.get_by_role("button", name="Xác nhận trả kết quả").click()
    assert Dossier.objects.get(pk=ready.pk).state in {"returned", "archived"}

    specialist = login(contexts, browser, base, "cv.tuphap")
    specialist.goto(f"{base}/ho-so/{late.code}/")
    assert "Quá hạn" in specialist.locator("#deadline").inner_text()
    transfer = specialist.locator("form.action").get_by_role("radio", name="Chuyển liên thông")
    transfer.check()
    select = specialist.locator("#transfer-to_unit")
    assert select.input_value() == ""  # none chosen
    assert select.locator("optgroup").count() >= 1
    both_sizes(specialist, artifacts_dir, "dossier-transfer")

    leader = login(contexts, browser, base, "ld.tuphap")
    leader.goto(f"{base}/bao-cao/")
    beside = leader.locator("[data-overdue-beside]")
    assert beside.get_attribute("data-overdue-beside") == "1"
    both_sizes(leader, artifacts_dir, "dashboard-leader")

    archivist = login(contexts, browser, base, "luutru")
    archivist.goto(f"{base}/luu-tru/nhat-ky/?code={ready.code}")
    table = archivist.locator("table.access")
    assert "Xem hồ sơ" in table.inner_text() and ready.code in table.inner_text()
    assert table.locator("td[data-action='dossier.view']").count() == views_of(ready)
    both_sizes(archivist, artifacts_dir, "access-log")
