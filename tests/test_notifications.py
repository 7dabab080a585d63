"""Notifications to applicants: outbox rows written with the action, sent by the real Celery
worker after commit, retried after a failure, nothing sent for a rolled-back action."""

import email
import email.policy
import socket
import time
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from celery.signals import before_task_publish
from django.conf import settings
from django.core import mail
from django.db import transaction
from django.db.models import F
from django.test import override_settings

from dossiers import notifications, services
from dossiers.models import Notification
from dossiers.notifications.delivery import MAX_ATTEMPTS, deliver, due_for_sweep
from dossiers.tasks import send_notification, sweep_notifications

from .factories import staff
from .workflow_fixtures import CITIZEN, receive

VN = ZoneInfo("Asia/Ho_Chi_Minh")
WITH_EMAIL = {**CITIZEN, "email": "lo.van.sinh@example.vn"}
AT = datetime(2026, 3, 2, 9, 0, tzinfo=VN)


class Published:
    """Task messages this process hands to the broker (Celery's own signal)."""

    def __init__(self):
        self.names = []

    def __call__(self, sender=None, **kwargs):
        self.names.append(sender)

    def __enter__(self):
        before_task_publish.connect(self, weak=False)
        return self

    def __exit__(self, *exc):
        before_task_publish.disconnect(self)


def closed_port():
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    return port


def done_state(row):
    """Where a row ends: sent for e-mail; queued for SMS and Zalo, which have no gateway yet
    and are written down for an operator, not sent (issue 21)."""
    return "sent" if row.channel == "email" else "queued"


def all_delivered(dossier):
    rows = list(Notification.objects.filter(dossier=dossier))
    return all(row.state == done_state(row) for row in rows)


def wait_for(predicate, timeout=40.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.25)
    raise AssertionError(f"not within {timeout} s")


@pytest.fixture
def mail_dir():
    """The worker's file mail backend's directory, emptied (codes repeat between test runs)."""
    path = Path(settings.EMAIL_FILE_PATH)
    if path.is_dir():
        for old in path.iterdir():
            old.unlink()
    return path


def mails_about(code):
    """Messages the worker's file mail backend wrote that mention ``code``."""
    found = []
    for path in sorted(Path(settings.EMAIL_FILE_PATH).glob("*.log")):
        for raw in path.read_text(encoding="utf-8").split("-" * 79):
            if code in raw:
                found.append(email.message_from_string(raw.strip(), policy=email.policy.default))
    return found


# --- Rows written with the action ------------------------------------------------------------


def test_reception_writes_one_row_per_channel_the_applicant_gave(district):
    dossier = receive(district, at=AT, applicant=WITH_EMAIL)
    rows = {n.channel: n for n in Notification.objects.filter(dossier=dossier)}
    assert set(rows) == {"email", "sms"}
    assert all(n.state == "pending" and n.event == "received" for n in rows.values())
    assert rows["email"].recipient == WITH_EMAIL["email"]
    assert rows["sms"].recipient == "0912345678"
    mail_row, sms = rows["email"], rows["sms"]
    assert dossier.code in mail_row.subject and "hẹn trả" in mail_row.subject
    for text in (mail_row.body, sms.body):
        assert dossier.code in text and dossier.check_code in text
        assert CITIZEN["id_number"] not in text  # never the ID number
    assert "Kính gửi ông/bà Lò Văn Sinh" in mail_row.body
    assert f"/tra-cuu/?ma={dossier.code}&kt={dossier.check_code}" in mail_row.body
    assert "Hẹn trả kết quả: " in mail_row.body and "đã tiếp nhận hồ sơ" in sms.body
    assert len(sms.body) < 300 and "\n" not in sms.body


def test_only_the_channels_given_are_used(district):
    no_phone = {**WITH_EMAIL, "phone": "", "id_number": "014090009999"}
    dossier = receive(district, at=AT, applicant=no_phone)
    assert list(dossier.notifications.values_list("channel", flat=True)) == ["email"]
    nothing = {**CITIZEN, "phone": "", "id_number": "014090008888"}
    assert not receive(district, at=AT, applicant=nothing).notifications.exists()


@override_settings(NOTIFY_CHANNELS=["email", "sms", "zalo"])
def test_zalo_when_enabled_goes_to_the_phone(district):
    dossier = receive(district, at=AT)
    assert sorted(dossier.notifications.values_list("channel", "recipient")) == [
        ("sms", "0912345678"),
        ("zalo", "0912345678"),
    ]


def test_supplement_result_and_late_appointment_tell_the_applicant(district):
    d = district
    dossier = receive(d, at=AT, applicant=WITH_EMAIL)
    services.assign(dossier.pk, actor=d["clerk"], at=AT + timedelta(hours=1))
    assert dossier.notifications.count() == 2  # handing over is internal: no message
    services.request_supplement(
        dossier.pk,
        actor=d["specialist"],
        reason="Thiếu bản sao <b>sổ hộ khẩu</b>",
        at=AT + timedelta(hours=2),
    )
    supplement = dossier.notifications.get(event="supplement_requested", channel="email")
    assert "Thiếu bản sao <b>sổ hộ khẩu</b>" in supplement.body  # plain text, as written
    assert "cần bổ sung" in supplement.subject
    services.supplied(dossier.pk, actor=d["clerk"], at=AT + timedelta(hours=3))
    new_date = AT + timedelta(days=10)
    services.extend(
        dossier.pk,
        actor=d["specialist"],
        reason="Chờ xác minh thực địa",
        new_appointment=new_date,
        at=AT + timedelta(hours=4),
    )
    late = dossier.notifications.get(event="late_new_appointment", channel="sms")
    assert "xin lỗi" in late.body and "Chờ xác minh thực địa" in late.body
    assert new_date.strftime("%d/%m/%Y") in late.body
    services.propose_result(dossier.pk, actor=d["specialist"], at=AT + timedelta(hours=5))
    services.approve(dossier.pk, actor=d["leader"], at=AT + timedelta(hours=6))
    ready = dossier.notifications.get(event="result_ready", channel="email")
    assert "đã có kết quả" in ready.subject and d["counter"].name in ready.body
    events = list(dossier.notifications.order_by("id").values_list("event", flat=True))
    assert (
        events
        == ["received"] * 2
        + ["supplement_requested"] * 2
        + ["late_new_appointment"] * 2
        + ["result_ready"] * 2
    )


def test_online_submission_and_acceptance_each_tell_the_applicant(district):
    procedure = district["procedure"]
    procedure.online_level = "full"
    procedure.save()
    dossier = services.submit_online(
        procedure=procedure,
        unit=district["counter"],
        applicant=WITH_EMAIL,
        components=[services.ReceivedComponent(c.pk) for c in procedure.components.all()],
    )
    submitted = dossier.notifications.get(channel="email")
    assert submitted.event == "submitted" and dossier.check_code in submitted.body
    services.accept(dossier.pk, actor=district["clerk"])
    assert dossier.notifications.filter(event="received").count() == 2


def test_replays_write_no_notification(district):
    with notifications.suppressed():
        dossier = receive(district, at=AT, applicant=WITH_EMAIL)
    assert not dossier.notifications.exists()


# --- Commit, rollback, broker ------------------------------------------------------------------


def test_the_task_is_enqueued_only_when_the_action_commits(
    district, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks, pytest.raises(RuntimeError):
        with transaction.atomic():
            receive(district, at=AT, applicant=WITH_EMAIL)
            raise RuntimeError("the clerk's request fails after the reception")
    assert callbacks == [] and not Notification.objects.exists()
    with django_capture_on_commit_callbacks() as callbacks:
        receive(district, at=AT, applicant=WITH_EMAIL)
    assert Notification.objects.count() == 2
    # The notifications' enqueue, the DVCQG sync's hand-over, and the queue's ticket link —
    # besides the reports' cache version, moved again on commit (reporting/receivers.py).
    work = [c for c in callbacks if "bump_version" not in repr(c)]
    assert len(work) == 3, work
    assert len(work) < len(callbacks)


# --- Sending -------------------------------------------------------------------------------


def test_the_task_sends_an_email_through_the_mail_backend(district):
    dossier = receive(district, at=AT, applicant=WITH_EMAIL)
    row = dossier.notifications.get(channel="email")
    assert send_notification.apply(args=[row.pk]).get() == "sent"
    row.refresh_from_db()
    assert (row.state, row.attempts, row.delivered_by) == ("sent", 1, "locmem")
    assert row.sent_at is not None and row.last_error == ""
    (message,) = mail.outbox
    assert message.to == [WITH_EMAIL["email"]] and dossier.code in message.subject
    assert dossier.check_code in message.body
    # Idempotent: a second task for the same row sends nothing.
    assert send_notification.apply(args=[row.pk]).get() == "skipped"
    assert len(mail.outbox) == 1
    sms = dossier.notifications.get(channel="sms")
    assert deliver(sms.pk) == "queued"  # no SMS gateway: written down, not sent (issue 21)
    sms.refresh_from_db()
    assert sms.delivered_by == "outbox"  # the local SMS channel: the outbox is the delivery


def test_a_failing_mail_server_leaves_the_row_failed_and_it_is_retried(district):
    dossier = receive(district, at=AT, applicant=WITH_EMAIL)
    row = dossier.notifications.get(channel="email")
    smtp = "django.core.mail.backends.smtp.EmailBackend"
    with override_settings(EMAIL_BACKEND=smtp, EMAIL_HOST="127.0.0.1", EMAIL_PORT=closed_port()):
        assert deliver(row.pk) == "failed"
    row.refresh_from_db()
    assert (row.state, row.attempts, row.sent_at) == ("failed", 1, None)
    assert "ConnectionRefusedError" in row.last_error
    # The mail server is back: the next attempt (the task's retry, or the sweeper) sends it.
    assert send_notification.apply(args=[row.pk]).get() == "sent"
    row.refresh_from_db()
    assert (row.state, row.attempts, row.last_error) == ("sent", 2, "")
    assert len(mail.outbox) == 1


def test_attempts_are_bounded(district):
    dossier = receive(district, at=AT, applicant=WITH_EMAIL)
    row = dossier.notifications.get(channel="email")
    Notification.objects.filter(pk=row.pk).update(state="failed", attempts=MAX_ATTEMPTS)
    assert deliver(row.pk) == "skipped"
    assert mail.outbox == []


def test_the_sweeper_takes_up_what_was_left(district):
    dossier = receive(district, at=AT, applicant=WITH_EMAIL)
    mail_row, sms = dossier.notifications.order_by("channel")
    assert due_for_sweep() == []  # fresh rows belong to their own task
    now = mail_row.queued_at
    Notification.objects.filter(pk=mail_row.pk).update(queued_at=now - timedelta(minutes=2))
    Notification.objects.filter(pk=sms.pk).update(
        state="failed", attempts=2, next_attempt_at=now - timedelta(minutes=20)
    )
    assert due_for_sweep(now=now) == [mail_row.pk, sms.pk]
    Notification.objects.filter(pk=sms.pk).update(attempts=MAX_ATTEMPTS)
    Notification.objects.filter(pk=mail_row.pk).update(state="sent")
    assert due_for_sweep(now=now) == []
    Notification.objects.filter(pk=mail_row.pk).update(state="pending")
    with Published() as published:
        assert sweep_notifications.apply().get() == 1
    assert published.names == ["dossiers.send_notification"]


def test_the_beat_schedule_runs_the_sweeper_every_minute():
    from bacyen_portal.celery import app

    entry = app.conf.beat_schedule["sweep-notifications"]
    assert entry["task"] == "dossiers.sweep_notifications" and entry["schedule"] == 60.0
    assert app.amqp.router.route({}, "dossiers.send_notification")["queue"].name == "default"
    assert send_notification.acks_late and send_notification.time_limit


# --- With the real worker ------------------------------------------------------------------


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_reception_reaches_the_applicant_by_email_through_the_worker(
    celery_worker_process, district, mail_dir
):
    dossier = receive(district, applicant=WITH_EMAIL)
    for row in dossier.notifications.all():
        wait_for(lambda row=row: Notification.objects.get(pk=row.pk).state == done_state(row))
    (message,) = wait_for(lambda: mails_about(dossier.code))
    assert message["To"] == WITH_EMAIL["email"]
    assert str(message["Subject"]).strip().startswith(f"Hồ sơ {dossier.code} đã được tiếp nhận")
    body = message.get_content()
    assert dossier.check_code in body and CITIZEN["id_number"] not in body
    assert dossier.notifications.get(channel="sms").delivered_by == "outbox"


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_the_worker_retries_after_a_failure(celery_worker_process, district, mail_dir):
    # The worker's file mail backend cannot write while a plain file stands where its
    # directory should be; once the file is gone, the task's retry delivers the message.
    if mail_dir.is_dir():
        mail_dir.rmdir()
    mail_dir.parent.mkdir(parents=True, exist_ok=True)
    mail_dir.write_text("not a directory")
    try:
        dossier = receive(district, applicant={**WITH_EMAIL, "phone": ""})
        row = dossier.notifications.get()
        failed = wait_for(lambda: Notification.objects.filter(pk=row.pk, state="failed").first())
        assert failed.attempts == 1 and "ImproperlyConfigured" in failed.last_error
    finally:
        mail_dir.unlink()
    sent = wait_for(lambda: Notification.objects.filter(pk=row.pk, state="sent").first(), 60)
    assert sent.attempts == 2 and sent.last_error == ""
    assert len(mails_about(dossier.code)) == 1


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_action_enqueues_nothing(celery_worker_process, district):
    with Published() as published, pytest.raises(RuntimeError):
        with transaction.atomic():
            receive(district, applicant=WITH_EMAIL)
            raise RuntimeError("rolled back")
    assert published.names == [] and not Notification.objects.exists()
    with Published() as published:
        dossier = receive(district, applicant=WITH_EMAIL)
    # The two notifications, and the dossier's messages to DVCQG (integrations).
    assert sorted(published.names) == ["dossiers.send_notification"] * 2 + [
        "integrations.send_national"
    ]
    wait_for(lambda: all_delivered(dossier))


# --- Admin ---------------------------------------------------------------------------------


def test_the_outbox_is_listed_read_only_in_the_admin(client, district):
    from dossiers.roles import ensure_roles

    ensure_roles()
    dossier = receive(district, at=AT, applicant=WITH_EMAIL)
    office = staff(district["counter"], "district_office", username="vanphong")
    office.is_staff = True
    office.save()
    client.force_login(office)
    url = "/quan-tri/dossiers/notification/"
    page = client.get(url, {"state__exact": "pending", "channel__exact": "sms"})
    assert page.status_code == 200
    body = page.content.decode()
    assert dossier.code in body and "0912345678" in body and "lo.van.sinh@" not in body
    row = dossier.notifications.get(channel="email")
    detail = client.get(f"{url}{row.pk}/change/").content.decode()
    assert dossier.check_code in detail and "<textarea" not in detail
    assert client.get(f"{url}add/").status_code == 403
    assert client.post(f"{url}{row.pk}/delete/").status_code == 403


@pytest.fixture
def broker_url(monkeypatch):
    """Point this process's Celery app at another broker address (restored afterwards)."""
    from bacyen_portal.celery import app

    def point_at(url):
        # Celery reads CELERY_BROKER_URL from the environment before its configuration.
        monkeypatch.setenv("CELERY_BROKER_URL", url)
        app._pool = None  # kombu keeps one pool per address: the working one stays open
        app.amqp._producer_pool = None

    yield point_at
    point_at(settings.CELERY_BROKER_URL)


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_broker_outage_loses_nothing_and_does_not_stop_the_clerk(
    celery_worker_process, district, broker_url, mail_dir, caplog
):
    broker_url(f"redis://127.0.0.1:{closed_port()}/0")
    started = time.monotonic()
    dossier = receive(district, applicant=WITH_EMAIL)  # commits, then fails to enqueue
    assert time.monotonic() - started < 3
    assert "not enqueued now; the sweeper will pick them up" in caplog.text
    assert set(dossier.notifications.values_list("state", flat=True)) == {"pending"}
    broker_url(settings.CELERY_BROKER_URL)  # the broker is back; a minute later the sweeper:
    later = dossier.notifications.first().queued_at + timedelta(minutes=1, seconds=1)
    ids = sorted(dossier.notifications.values_list("pk", flat=True))
    assert sorted(due_for_sweep(now=later)) == ids
    Notification.objects.update(queued_at=F("queued_at") - timedelta(minutes=2))
    assert sweep_notifications.apply().get() == 2
    wait_for(lambda: all_delivered(dossier))
    assert len(mails_about(dossier.code)) == 1
