"""Province-wide reception in Chromium (issue #16): a clerk of xã Tà Xùa receives a dossier for
an applicant registered in another commune and one of a provincial procedure; both are routed,
handled by the competent unit and returned at the counter the applicant chose; the province's
office sees them."""

import time

import pytest

from dossiers.models import Dossier
from dossiers.workflow import State

from .factories import staff
from .test_browser_journey import act, login, tick_required_papers

pytestmark = [pytest.mark.browser, pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def receive(page, base, procedure, *, address, collect=None):
    page.goto(f"{base}/tiep-nhan/?thu_tuc={procedure.national_code}")
    page.wait_for_load_state("networkidle")  # the panels the page loads after itself
    number = page.get_by_label("Số CCCD / Mã số thuế")
    number.fill("014090001234")
    number.dispatch_event("change")
    # The look-ups of the number answer before the details are typed, as at a real counter
    # (the CI's loaded run once saw the phone refused when they crossed): then the phone
    # must be what was typed.
    page.wait_for_load_state("networkidle")
    page.get_by_label("Họ tên / Tên tổ chức").fill("Lò Văn Sinh")
    page.get_by_label("Điện thoại").fill("0912345678")
    page.locator("#id_address").fill(address)  # "Địa chỉ nhận" of the postal panel too
    tick_required_papers(page)
    if collect is not None:
        page.get_by_label("Người nộp nhận kết quả tại").select_option(label=collect)
    page.wait_for_load_state("networkidle")
    assert page.get_by_label("Điện thoại").input_value() == "0912345678"
    with page.expect_navigation():
        page.get_by_role("button", name="Tiếp nhận và in giấy hẹn").click()
    assert "/ho-so/" in page.url, page.locator("main").inner_text()
    code = page.locator("h1").inner_text().split()[-1]
    dossier = Dossier.objects.get(code=code)
    act(page, "Chuyển xử lý")
    return dossier


def open_dossier(page, base, dossier):
    page.goto(f"{base}/ho-so/{dossier.code}/")


def test_a_tà_xùa_clerk_receives_for_another_commune_and_the_province(
    live_server, browser, contexts, province, celery_worker_process
):
    p, base = province, live_server.url
    clerk = login(contexts, browser, base, p["clerk_ta_xua"].username)
    assert "Trung tâm Phục vụ hành chính công xã Tà Xùa" in clerk.content()
    neighbour = receive(
        clerk, base, p["commune_procedure"], address="Bản Pá Chạn, xã Hồng Ngài, huyện Bắc Yên"
    )
    provincial = receive(
        clerk,
        base,
        p["province_procedure"],
        address="Bản Hua Cà, xã Tà Xùa",
        collect="Trung tâm Phục vụ hành chính công xã Bắc Yên",
    )
    neighbour.refresh_from_db()
    provincial.refresh_from_db()
    assert (neighbour.current_unit, provincial.current_unit) == (p["bac_yen"], p["so"])

    for where, dossier in (("bac_yen", neighbour), ("so", provincial)):
        specialist = login(contexts, browser, base, p[f"specialist_{where}"].username)
        open_dossier(specialist, base, dossier)
        act(specialist, "Trình kết quả")
        leader = login(contexts, browser, base, p[f"leader_{where}"].username)
        open_dossier(leader, base, dossier)
        act(leader, "Phê duyệt kết quả")

    open_dossier(clerk, base, neighbour)
    act(clerk, "Trả kết quả")  # collected where it was received
    open_dossier(clerk, base, provincial)
    assert clerk.get_by_role("radio", name="Trả kết quả").count() == 0  # not here (no choice)
    other = login(contexts, browser, base, p["clerk_bac_yen"].username)
    open_dossier(other, base, provincial)
    act(other, "Trả kết quả")
    # Returned; the archive's worker seals them: wait, so nothing runs during teardown.
    deadline = time.monotonic() + 90
    while {d.state for d in Dossier.objects.all()} != {State.ARCHIVED}:
        assert time.monotonic() < deadline, {d.state for d in Dossier.objects.all()}
        time.sleep(0.5)

    office = staff(p["province"], "district_office")
    watcher = login(contexts, browser, base, office.username)
    watcher.goto(f"{base}/ho-so/")
    listed = watcher.locator("main").inner_text()
    assert neighbour.code in listed and provincial.code in listed
