"""PAKN services: received and assigned to the competent unit, due after the data file's
working days, answered once by the unit's leader, rated once by the citizen, escalated once
when late — and the bad input of issue #23 refused in Vietnamese."""

import json
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from dossiers.calendar import WorkingCalendar
from dossiers.models import AuditEvent
from feedback import rules
from feedback.errors import FeedbackError
from feedback.models import AnswerNotice, Feedback, LeaderAlert
from feedback.services import (
    answer_feedback,
    close_feedback,
    deliver_alert,
    escalate_overdue,
    rate_answer,
)
from feedback.services.notices import deliver_notice

from .factories import staff
from .feedback_fixtures import late_dossier, pakn

pytestmark = pytest.mark.django_db


def test_a_pakn_about_a_dossier_goes_to_the_unit_holding_it_due_in_ten_working_days(district):
    dossier = late_dossier(district)
    feedback = pakn(dossier)
    assert feedback.unit == district["justice"]
    assert feedback.code.startswith(f"PAKN-{timezone.localdate():%y%m%d}-")
    days = json.loads(rules.DATA.read_text())["answer_deadline"]["working_days"]
    assert days == rules.answer_working_days() == 10
    calendar = WorkingCalendar.load()
    expected = calendar.add_working_time(feedback.received_at, days)
    assert feedback.due_at == expected
    # Counted from the first working moment after receipt (after closing: the next opening).
    start = calendar.start_of_work(feedback.received_at).date()
    assert calendar.working_days_between(start + timedelta(days=1), feedback.due_at.date()) == days
    assert AuditEvent.objects.filter(action="feedback.received", object_id=str(feedback.pk))
    second = pakn(unit=district["counter"])
    assert second.unit == district["counter"] and second.code != feedback.code


@pytest.mark.parametrize(
    "content, message",
    [
        ("", "Vui lòng nhập nội dung"),
        ("   \n\t ", "Vui lòng nhập nội dung"),
        ("x" * 10_000, "vượt quá 5.000 ký tự"),
    ],
)
def test_content_missing_or_too_long_is_refused_in_vietnamese(district, content, message):
    with pytest.raises(FeedbackError) as refused:
        pakn(unit=district["counter"], content=content)
    assert message in refused.value.message and refused.value.status == 400
    assert not Feedback.objects.exists()


def test_html_and_script_are_kept_as_text(district):
    text = '<script>alert("x")</script><b>Chờ quá lâu</b> tại quầy số 2'
    feedback = pakn(unit=district["counter"], content=text)
    assert Feedback.objects.get(pk=feedback.pk).content == text


def test_a_pakn_needs_a_unit_or_a_dossier_and_a_way_to_reach_the_sender(district):
    with pytest.raises(FeedbackError, match="chọn đơn vị"):
        pakn(content="Thái độ phục vụ chưa tốt, đề nghị chấn chỉnh.")
    with pytest.raises(FeedbackError, match="số điện thoại hoặc thư điện tử"):
        pakn(unit=district["counter"], sender_phone="")


def test_the_leader_answers_once_and_not_after_the_case_is_closed(district):
    feedback = pakn(late_dossier(district))
    leader = district["leader"]
    with pytest.raises(FeedbackError) as not_leader:
        answer_feedback(feedback.pk, actor=district["specialist"], answer="Đã xử lý.")
    assert not_leader.value.status == 403
    other_leader = staff(district["land"], "leader", username="ld.tnmt")
    with pytest.raises(FeedbackError) as out_of_scope:
        answer_feedback(feedback.pk, actor=other_leader, answer="Đã xử lý.")
    assert out_of_scope.value.status == 404
    with pytest.raises(FeedbackError, match="nhập nội dung trả lời"):
        answer_feedback(feedback.pk, actor=leader, answer="  ")
    answered = answer_feedback(feedback.pk, actor=leader, answer="Hồ sơ đã có kết quả.")
    assert answered.state == "answered" and answered.answered_on_time
    with pytest.raises(FeedbackError, match="đã được trả lời"):
        answer_feedback(feedback.pk, actor=leader, answer="Lần hai.")
    close_feedback(feedback.pk, actor=leader, reason="Công dân đã nhận kết quả.")
    with pytest.raises(FeedbackError) as closed:
        answer_feedback(feedback.pk, actor=leader, answer="Sau khi đóng.")
    assert closed.value.status == 409 and "đã kết thúc" in closed.value.message
    actions = set(
        AuditEvent.objects.filter(object_id=str(feedback.pk)).values_list("action", flat=True)
    )
    assert {"feedback.received", "feedback.answered", "feedback.closed"} <= actions


def test_the_citizen_rates_the_answer_once(district):
    feedback = pakn(late_dossier(district))
    with pytest.raises(FeedbackError, match="chưa được trả lời"):
        rate_answer(feedback.pk, score=4)
    answer_feedback(feedback.pk, actor=district["leader"], answer="Đã trả kết quả.")
    with pytest.raises(FeedbackError, match="Chọn một mức độ"):
        rate_answer(feedback.pk, score=9)
    rated = rate_answer(feedback.pk, score=3, comment="Cảm ơn")
    assert rated.state == "closed" and rated.answer_score == 3 and rated.closed_at
    with pytest.raises(FeedbackError) as twice:
        rate_answer(feedback.pk, score=1)
    assert twice.value.status == 409 and "chỉ được đánh giá một lần" in twice.value.message
    assert Feedback.objects.get(pk=feedback.pk).answer_score == 3


def test_a_late_pakn_is_escalated_once_and_its_leader_told(district, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    district["leader"].email = "ld.tuphap@example.vn"
    district["leader"].save()
    late = pakn(late_dossier(district))
    on_time = pakn(unit=district["counter"])
    Feedback.objects.filter(pk=late.pk).update(due_at=timezone.now() - timedelta(hours=1))
    assert escalate_overdue() == 1
    assert escalate_overdue() == 0  # once
    alert = LeaderAlert.objects.get()
    assert alert.feedback_id == late.pk and alert.leader == district["leader"]
    assert Feedback.objects.get(pk=on_time.pk).escalated_at is None
    assert deliver_alert(alert.pk) == "sent"
    assert deliver_alert(alert.pk) == "skipped"  # never twice
    assert len(mail.outbox) == 1 and late.code in mail.outbox[0].subject
    assert "0912" not in mail.outbox[0].body  # no sender's phone in the alert
    assert AuditEvent.objects.filter(action="feedback.escalated", object_id=str(late.pk))


def test_the_sender_is_told_of_the_answer_by_email_and_sms_once(district, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    feedback = pakn(late_dossier(district), sender_email="sinh@example.vn")
    answer_feedback(feedback.pk, actor=district["leader"], answer="Đã có kết quả.")
    notices = {n.channel: n for n in AnswerNotice.objects.filter(feedback=feedback)}
    assert set(notices) == {"email", "sms"}
    assert notices["sms"].recipient == "0912345678"
    for notice in notices.values():
        assert feedback.code in notice.body and feedback.check_code not in notice.body
        assert deliver_notice(notice.pk) == "sent"
        assert deliver_notice(notice.pk) == "skipped"
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["sinh@example.vn"]
    assert "đã được trả lời" in mail.outbox[0].subject
    assert AnswerNotice.objects.get(channel="sms").delivered_by == "outbox"
