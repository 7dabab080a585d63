"""The counter queue: numbered tickets per line and day, called in order, shown on the TV
within two seconds; issue, call and serve times kept for the waiting-time indicator."""

import threading

import pytest
from django.db import connection

from counter import services
from counter.models import ServiceArea, Ticket
from dossiers.services import WorkflowError

from .factories import PASSWORD, staff


@pytest.fixture
def line(district):
    return ServiceArea.objects.create(
        unit=district["counter"], letter="A", name="Hộ tịch, chứng thực"
    )


def test_tickets_are_called_in_order_and_times_are_kept(line, district):
    first, second = services.issue_ticket(line.pk), services.issue_ticket(line.pk)
    assert (first.label, second.label) == ("A001", "A002")
    called = services.call_next(line.pk, actor=district["clerk"], desk=2)
    assert called == first and called.desk == 2 and called.wait_minutes is not None
    again = services.call_next(line.pk, actor=district["clerk"], desk=2)
    assert again == second
    first.refresh_from_db()
    assert first.served_to is not None  # calling the next one closed the previous turn
    assert services.call_next(line.pk, actor=district["clerk"], desk=2) is None


def test_only_the_units_clerks_call(line, district):
    services.issue_ticket(line.pk)
    with pytest.raises(WorkflowError):
        services.call_next(line.pk, actor=district["specialist"], desk=1)
    other = staff(district["justice"], "clerk", username="motcua.khac")
    with pytest.raises(WorkflowError):
        services.call_next(line.pk, actor=other, desk=1)
    with pytest.raises(WorkflowError):
        services.call_next(line.pk, actor=district["clerk"], desk=0)


@pytest.mark.django_db(transaction=True)
def test_two_kiosks_never_hand_out_the_same_number(line):
    numbers, barrier = [], threading.Barrier(20)

    def take():
        barrier.wait()
        numbers.append(services.issue_ticket(line.pk).number)
        connection.close()

    threads = [threading.Thread(target=take) for _ in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(numbers) == list(range(1, 21))


def test_kiosk_and_display_pages(client, line, district):
    page = client.post(f"/xep-hang/{district['counter'].code}/", {"area": line.pk}).content.decode()
    assert "A001" in page
    assert client.get("/xep-hang/KHONG-CO/").status_code == 404
    assert client.post(f"/xep-hang/{district['counter'].code}/", {"area": "x"}).status_code == 404
    display = client.get(f"/xep-hang/{district['counter'].code}/man-hinh/").content.decode()
    assert "Chưa có số nào đang được phục vụ." in display


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_kiosk_clerk_and_display_in_three_pages(live_server, browser, district, artifacts_dir):
    line = ServiceArea.objects.create(
        unit=district["counter"], letter="A", name="Hộ tịch, chứng thực"
    )
    code, base = district["counter"].code, live_server.url
    kiosk_ctx, tv_ctx, clerk_ctx = (
        browser.new_context(viewport={"width": 1366, "height": 768}) for _ in range(3)
    )
    try:
        tv = tv_ctx.new_page()
        tv.goto(f"{base}/xep-hang/{code}/man-hinh/")
        kiosk = kiosk_ctx.new_page()
        kiosk.goto(f"{base}/xep-hang/{code}/")
        kiosk.get_by_role("button", name="A Hộ tịch, chứng thực").click()
        assert kiosk.locator("#ticket-number").inner_text() == "A001"
        clerk = clerk_ctx.new_page()
        clerk.goto(f"{base}/dang-nhap/")
        clerk.get_by_label("Tên đăng nhập").fill("motcua")
        clerk.get_by_label("Mật khẩu").fill(PASSWORD)
        clerk.get_by_role("button", name="Đăng nhập").click()
        clerk.goto(f"{base}/xep-hang/goi-so/")
        clerk.get_by_label("Quầy số").fill("3")
        clerk.get_by_role("button", name="Gọi số tiếp theo").click()
        # The TV page updates itself, without a reload, within two seconds.
        tv.locator("td.num", has_text="A001").wait_for(timeout=2000)
        assert "Quầy 3" in tv.locator("#serving").inner_text()
        tv.screenshot(path=artifacts_dir / "display-1366.png")
        kiosk.screenshot(path=artifacts_dir / "kiosk-1366.png")
    finally:
        for context in (kiosk_ctx, tv_ctx, clerk_ctx):
            context.close()
    assert Ticket.objects.get().called_at is not None and line.tickets.count() == 1


def test_the_ticket_being_served_is_linked_to_the_dossier_received(
    line, district, django_capture_on_commit_callbacks
):
    from .workflow_fixtures import receive

    services.issue_ticket(line.pk)
    ticket = services.call_next(line.pk, actor=district["clerk"], desk=1)
    with django_capture_on_commit_callbacks(execute=True):
        dossier = receive(district)
    ticket.refresh_from_db()
    assert ticket.dossier == dossier
