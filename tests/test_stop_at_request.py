"""Stopping a dossier's handling at the applicant's request (Nghị định 118/2025/NĐ-CP):
the request online, through the API or at the counter, the counter's stop, the refusal after
a decision, the status page, the report's own column."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from dossiers import services
from dossiers.models import AuditEvent, Dossier, DossierEvent, Notification
from dossiers.services import WorkflowError
from dossiers.services.stopping import AFTER_DECISION, NOT_RECEIVED
from dossiers.workflow import ACTIONS, DROPPED_STATES, State
from reporting import periods
from reporting.tables import monthly_table

from .workflow_fixtures import receive

VN = ZoneInfo("Asia/Ho_Chi_Minh")


def to_result_ready(d, dossier):
    services.assign(dossier.pk, actor=d["clerk"], to_unit=d["justice"])
    services.propose_result(dossier.pk, actor=d["specialist"])
    services.approve(dossier.pk, actor=d["leader"])
    return Dossier.objects.get(pk=dossier.pk)


def test_the_counter_stops_a_dossier_being_handled_on_a_written_request(district):
    dossier = receive(district)
    services.assign(dossier.pk, actor=district["clerk"], to_unit=district["justice"])
    stopped, event = services.take_action(
        "stop", dossier.pk, actor=district["clerk"], reason="Đơn đề nghị dừng ngày 01/12/2026."
    )
    assert stopped.state == State.STOPPED in DROPPED_STATES
    assert stopped.current_unit == district["counter"]  # the papers go back to the counter
    assert (event.from_state, event.to_state, event.note) == (
        State.IN_PROGRESS,
        State.STOPPED,
        "Đơn đề nghị dừng ngày 01/12/2026.",
    )
    audit = AuditEvent.objects.get(action="dossier.stop")
    assert audit.data["state"] == {"old": State.IN_PROGRESS, "new": State.STOPPED}
    assert audit.data["current_unit"]["new"] == district["counter"].pk
    assert Notification.objects.filter(dossier=dossier, event="stopped").exists()


def test_only_the_counter_stops_and_it_needs_the_request_as_reason(district):
    dossier = receive(district)
    services.assign(dossier.pk, actor=district["clerk"], to_unit=district["justice"])
    with pytest.raises(WorkflowError) as refused:
        services.take_action("stop", dossier.pk, actor=district["specialist"], reason="x")
    assert refused.value.status == 403
    with pytest.raises(WorkflowError, match="Cần ghi rõ lý do"):
        services.take_action("stop", dossier.pk, actor=district["clerk"], reason="  ")
    assert Dossier.objects.get(pk=dossier.pk).state == State.IN_PROGRESS


def test_after_a_decision_the_stop_is_refused_clearly(district):
    dossier = to_result_ready(district, receive(district))
    assert "stop" not in {a.code for a in ACTIONS.values() if dossier.state in a.sources}
    with pytest.raises(WorkflowError) as refused:
        services.request_stop(dossier.pk, reason="Không cần nữa", channel="online")
    assert refused.value.message == AFTER_DECISION and refused.value.status == 409
    assert not DossierEvent.objects.filter(dossier=dossier, action="stop_request").exists()


def test_before_nd_118_took_effect_there_was_no_stop(district):
    at = datetime(2025, 6, 20, 9, 0, tzinfo=VN)
    dossier = receive(district, at=at)
    with pytest.raises(WorkflowError, match="01/7/2025"):
        services.take_action(
            "stop", dossier.pk, actor=district["clerk"], reason="Đơn", at=at + timedelta(hours=1)
        )
    assert Dossier.objects.get(pk=dossier.pk).state == State.RECEIVED


def test_an_online_request_reaches_the_counter_and_the_status_page(district, client):
    dossier = receive(district)
    services.assign(dossier.pk, actor=district["clerk"], to_unit=district["justice"])
    page = reverse("public-stop")
    shown = client.get(page, {"ma": dossier.code, "kt": dossier.check_code})
    assert shown.status_code == 200 and "Lý do đề nghị dừng giải quyết" in shown.text

    blank = client.post(page, {"ma": dossier.code, "kt": dossier.check_code, "reason": " "})
    assert blank.status_code == 400 and "Xin ghi lý do" in blank.text

    sent = client.post(
        page, {"ma": dossier.code, "kt": dossier.check_code, "reason": "Gia đình đổi ý <b>"}
    )
    assert sent.status_code == 200 and "Đã gửi đề nghị dừng giải quyết" in sent.text
    dossier.refresh_from_db()
    assert dossier.stop_requested_at is not None and dossier.state == State.IN_PROGRESS
    request_row = DossierEvent.objects.get(dossier=dossier, action="stop_request")
    assert request_row.note == "Đề nghị trực tuyến: Gia đình đổi ý <b>"

    status = client.get(reverse("public-status"), {"ma": dossier.code, "kt": dossier.check_code})
    assert 'id="stop-pending"' in status.text and 'id="stop-link"' not in status.text

    again = client.post(page, {"ma": dossier.code, "kt": dossier.check_code, "reason": "Lần 2"})
    assert 'id="stop-pending"' in again.text
    assert DossierEvent.objects.filter(dossier=dossier, action="stop_request").count() == 1

    client.force_login(district["clerk"])
    home = client.get(reverse("home"))
    assert 'id="stop-requests"' in home.text and dossier.code in home.text
    detail = client.get(reverse("dossier-detail", args=[dossier.code]))
    assert 'id="stop-request"' in detail.text
    assert "Gia đình đổi ý &lt;b&gt;" in detail.text  # escaped
    services.take_action(
        "stop", dossier.pk, actor=district["clerk"], reason=request_row.note, request=None
    )
    dossier.refresh_from_db()
    assert dossier.state == State.STOPPED and dossier.stop_requested_at is None
    assert 'id="stop-requests"' not in client.get(reverse("home")).text
    client.logout()
    status = client.get(reverse("public-status"), {"ma": dossier.code, "kt": dossier.check_code})
    assert "Đã dừng giải quyết hồ sơ theo đề nghị của ông/bà" in status.text
    assert "Hẹn trả kết quả" not in status.text  # nothing left to collect


def test_the_public_api_takes_a_request_once_and_refuses_in_vietnamese(district, client):
    dossier = receive(district)
    url = reverse("api-public-stop-request")
    body = {"code": dossier.code, "factor": dossier.check_code, "reason": "Không cần nữa"}
    created = client.post(url, body, content_type="application/json")
    assert created.status_code == 201, created.content
    assert created.json()["code"] == dossier.code
    twice = client.post(url, body, content_type="application/json")
    assert twice.status_code == 409 and "đang chờ" in twice.json()["detail"]

    wrong = client.post(url, {**body, "factor": "ZZZZZZ"}, content_type="application/json")
    assert wrong.status_code == 404
    blank = client.post(url, {**body, "reason": ""}, content_type="application/json")
    assert blank.status_code == 400 and blank.json()["field"] == "reason"
    assert "Xin ghi lý do" in blank.json()["detail"]
    not_json = client.post(url, "[1,", content_type="application/json")
    assert not_json.status_code == 400 and "JSON" in not_json.json()["detail"]
    audit = AuditEvent.objects.get(action="dossier.stop_request")
    assert audit.data["channel"] == "api"


def test_a_submitted_dossier_is_withdrawn_not_stopped(district, client):
    dossier = receive(district)
    Dossier.objects.filter(pk=dossier.pk).update(state=State.SUBMITTED)
    with pytest.raises(WorkflowError) as refused:
        services.request_stop(dossier.pk, reason="x", channel="online")
    assert refused.value.message == NOT_RECEIVED


def test_the_report_counts_stopped_dossiers_in_their_own_column(district):
    now = timezone.localtime()
    stopped = receive(district)
    withdrawn = receive(district, applicant={**_other_citizen(), "id_number": "014090004321"})
    services.take_action("stop", stopped.pk, actor=district["clerk"], reason="Đơn")
    services.take_action("withdraw", withdrawn.pk, actor=district["clerk"], reason="Đơn")
    table = monthly_table(district["counter"], periods.month(now.year, now.month))
    total = table.total
    assert (total["received"], total["stopped"], total["withdrawn"]) == (2, 1, 1)
    assert table.unbalanced() == []


def _other_citizen():
    return {"kind": "person", "name": "Quàng Thị Hoa", "phone": "0987 000 111"}
