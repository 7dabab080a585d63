"""The counter's screens (issue 21): the calling screen's «Gọi lại» and «Bỏ qua», audited and
kept to the clerk's own turn; the TV with the latest call on top, who waits in each line and
the clock."""

import pytest

from counter import services
from counter.models import ServiceArea, Ticket
from dossiers.models import AuditEvent
from dossiers.services import WorkflowError

from .factories import staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def lines(district):
    return (
        ServiceArea.objects.create(
            unit=district["counter"], letter="A", name="Hộ tịch, chứng thực"
        ),
        ServiceArea.objects.create(unit=district["counter"], letter="B", name="Đất đai"),
    )


def test_recall_keeps_the_first_call_and_skip_ends_the_turn(lines, district):
    a, _ = lines
    for _ in range(3):
        services.issue_ticket(a.pk)
    clerk = district["clerk"]
    first = services.call_next(a.pk, actor=clerk, desk=2)
    called = first.called_at
    again = services.recall(first.pk, actor=clerk)
    assert (again.called_at, again.recalls) == (called, 1) and again.announced_at > called
    skipped = services.skip(first.pk, actor=clerk)
    assert skipped.skipped_at is not None and skipped.served_to == skipped.skipped_at
    actions = list(
        AuditEvent.objects.filter(action__startswith="ticket.").values_list("action", flat=True)
    )
    assert sorted(actions) == ["ticket.called", "ticket.recalled", "ticket.skipped"]
    with pytest.raises(WorkflowError, match="đã kết thúc"):
        services.recall(first.pk, actor=clerk)
    second = services.call_next(a.pk, actor=clerk, desk=2)
    other = staff(district["counter"], "clerk", username="motcua2")
    with pytest.raises(WorkflowError, match="không phải lượt bạn"):
        services.skip(second.pk, actor=other)
    assert Ticket.objects.get(pk=second.pk).skipped_at is None


def test_the_desk_offers_recall_and_skip_and_refuses_others(client, lines, district):
    a, _ = lines
    services.issue_ticket(a.pk)
    ticket = services.call_next(a.pk, actor=district["clerk"], desk=4)
    client.force_login(district["clerk"])
    desk = client.get("/xep-hang/goi-so/").content.decode()
    assert "Gọi lại số A001" in desk and "Bỏ qua số A001 (không có mặt)" in desk
    done = client.post(f"/xep-hang/so/{ticket.pk}/goi-lai/", follow=True).content.decode()
    assert "Đã gọi lại số A001 đến quầy 4." in done
    client.force_login(staff(district["counter"], "clerk", username="motcua3"))
    refused = client.post(f"/xep-hang/so/{ticket.pk}/bo-qua/", follow=True)
    assert refused.status_code == 200 and "không phải lượt bạn" in refused.content.decode()
    assert client.post("/xep-hang/so/999999/bo-qua/", follow=True).status_code == 200


def test_the_tv_shows_the_latest_call_the_waiting_lines_and_the_clock(
    client, lines, district, django_assert_max_num_queries
):
    a, b = lines
    for _ in range(4):
        services.issue_ticket(a.pk)
    services.issue_ticket(b.pk)
    clerk, other = district["clerk"], staff(district["counter"], "clerk", username="motcua4")
    one = services.call_next(a.pk, actor=clerk, desk=1)
    services.call_next(a.pk, actor=other, desk=2)
    services.recall(one.pk, actor=clerk)  # A001 called again: on top
    with django_assert_max_num_queries(6):
        tv = client.get(f"/xep-hang/{district['counter'].code}/man-hinh/?partial=1")
    html = tv.content.decode()
    assert html.index("A001") < html.index("A002")
    assert 'class="latest"><td class="num">A001' in html
    assert "2 người chờ" in html and "Tiếp theo: A003, A004" in html
    assert "1 người chờ" in html and "Tiếp theo: B001" in html
    assert 'class="clock"' in html and "<time datetime=" in html
    assert any(
        day in html
        for day in ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ Nhật")
    )


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_tv_and_a_kiosk_device_at_both_sizes(live_server, browser, district, artifacts_dir):
    from counter import kiosk
    from counter.models import KioskDevice

    a = ServiceArea.objects.create(unit=district["counter"], letter="A", name="Hộ tịch")
    for _ in range(3):
        services.issue_ticket(a.pk)
    services.call_next(a.pk, actor=district["clerk"], desk=3)
    device = KioskDevice(unit=district["counter"], name="Máy đánh giá quầy 3")
    token = kiosk.new_token(device)
    device.save()
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="vi-VN")
    try:
        page = context.new_page()
        page.goto(f"{live_server.url}/xep-hang/{district['counter'].code}/man-hinh/")
        assert "Tiếp theo: A002, A003" in page.locator(".waiting").inner_text()
        page.screenshot(path=str(artifacts_dir / "tv-1366.png"))
        page.set_viewport_size({"width": 360, "height": 740})
        page.screenshot(path=str(artifacts_dir / "tv-360.png"), full_page=True)
        page.goto(f"{live_server.url}/xep-hang/thiet-bi/")
        page.get_by_label("Mã thiết bị").fill(token)
        with page.expect_navigation():
            page.get_by_role("button", name="Kích hoạt").click()
        page.get_by_role("button", name="A Hộ tịch").wait_for()
        page.screenshot(path=str(artifacts_dir / "kiosk-device-360.png"), full_page=True)
        assert page.evaluate("document.documentElement.scrollWidth") <= 362
        page.set_viewport_size({"width": 1366, "height": 768})
        page.screenshot(path=str(artifacts_dir / "kiosk-device-1366.png"), full_page=True)
    finally:
        context.close()
