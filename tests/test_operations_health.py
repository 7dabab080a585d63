"""What the operators' monitor reads (issue #22, item 2): /healthz, /readyz and /metrics, the
JSON log lines with their request id, and error reports to a Sentry-compatible receiver —
against the real PostgreSQL, Redis, a real worker's heartbeat and a real HTTP receiver."""

import gzip
import io
import json
import logging
import re
import subprocess
import sys
import threading
import time
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.conf import settings
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from archive.models import ArchiveRecord
from bacyen_portal.request_log import MASK, MaskedJsonFormatter, mask_numbers
from dossiers.models import Notification
from reporting import cache as report_cache

from .factories import DossierFactory, UnitFactory, staff
from .workers import DedicatedWorker, free_port, purge_queue

ID_NUMBER = "001204012345"
PHONE = "0912345678"
MONITOR = {"REMOTE_ADDR": "127.0.0.1"}


def test_healthz_answers_without_the_database(client):
    # No django_db mark: a query would raise here.
    response = client.get("/healthz")
    assert response.status_code == 200 and response.content == b"ok"
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_readyz_and_metrics_are_for_the_monitor_only(client, settings):
    settings.OPS_TOKEN = "ops-secret-token"
    for path in ("/readyz", "/metrics"):
        refused = client.get(path, REMOTE_ADDR="203.0.113.9")
        assert refused.status_code == 403
        assert "máy giám sát" in refused.content.decode()
        wrong = client.get(path, REMOTE_ADDR="203.0.113.9", HTTP_AUTHORIZATION="Bearer nope")
        assert wrong.status_code == 403
        allowed = client.get(
            path, REMOTE_ADDR="203.0.113.9", HTTP_AUTHORIZATION="Bearer ops-secret-token"
        )
        assert allowed.status_code in (200, 503)


def _ready(client):
    response = client.get("/readyz", HTTP_ACCEPT="application/json", **MONITOR)
    return response.status_code, response.json()


@pytest.fixture
def heartbeat_settings(settings):
    settings.READY_QUEUES = ["ocr"]
    settings.WORKER_HEARTBEAT_MAX_AGE_SECONDS = 3
    return settings


@pytest.mark.django_db(transaction=True)
def test_readyz_follows_the_worker_heartbeat(client, heartbeat_settings):
    """No worker on the queue: 503 naming it; a worker starts and beats: 200 with every check
    OK; the worker is killed: 503 again once its heartbeat is older than the limit."""
    status, checks = _ready(client)
    assert status == 503
    assert any("hàng đợi ocr" in value for value in checks.values())

    purge_queue("ocr")
    worker = DedicatedWorker(
        "ocr", WORKER_HEARTBEAT_SECONDS="1", WORKER_HEARTBEAT_MAX_AGE_SECONDS="3"
    ).start()
    try:
        deadline = time.monotonic() + 20
        while (status := _ready(client)[0]) != 200 and time.monotonic() < deadline:
            time.sleep(0.3)
        status, checks = _ready(client)
        assert status == 200, checks
        names = " ".join(checks)
        for part in ("Database", "Migrations", "Storage", "FreeDisk", "Cache", "Redis"):
            assert part in names
        assert set(checks.values()) == {"OK"}
    finally:
        worker.kill()
    deadline = time.monotonic() + 20
    while (status := _ready(client)[0]) != 503 and time.monotonic() < deadline:
        time.sleep(0.5)
    status, checks = _ready(client)
    assert status == 503
    failing = [value for value in checks.values() if value != "OK"]
    assert len(failing) == 1 and "ocr" in failing[0]


@pytest.mark.django_db(transaction=True)
def test_readyz_names_an_unapplied_migration_and_a_full_disk(client, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True  # this test is about the database and the disk
    assert _ready(client)[0] == 200
    last = MigrationRecorder.Migration.objects.filter(app="integrations").order_by("-id").first()
    last.delete()
    try:
        status, checks = _ready(client)
        assert status == 503
        assert any(f"integrations.{last.name}" in value for value in checks.values())
    finally:
        MigrationRecorder.Migration.objects.create(app=last.app, name=last.name)
    settings.READY_MIN_FREE_DISK_MB = 10**9
    status, checks = _ready(client)
    assert status == 503
    assert any("tối thiểu" in value for value in checks.values())


@pytest.mark.django_db
def test_metrics_count_backlog_failures_fixity_and_report_cache(client):
    dossier = DossierFactory()
    hour_ago = timezone.now() - timedelta(hours=1)
    common = {"dossier": dossier, "event": "received", "channel": "email", "body": "x"}
    Notification.objects.bulk_create(
        [
            Notification(**common, recipient="a@example.vn", queued_at=hour_ago),
            Notification(**common, recipient="b@example.vn"),
            Notification(**common, recipient="c@example.vn", state="failed", attempts=1),
            Notification(**common, recipient="d@example.vn", state="failed", attempts=5),
            Notification(**common, recipient="e@example.vn", state="sent"),
        ]
    )
    ArchiveRecord.objects.create(
        dossier=dossier,
        code=dossier.code,
        unit=dossier.receiving_unit,
        procedure=dossier.procedure,
        state="sealed",
        fixity_ok=False,
    )
    key = "reporting:test-metrics"
    assert report_cache.get(key) is None  # a miss
    report_cache.put(key, {"rows": 1})
    assert report_cache.get(key) == {"rows": 1}  # a hit

    text = client.get("/metrics", **MONITOR).content.decode()

    def value(name, kind=None):
        label = f'{{kind="{kind}"}}' if kind else ""
        match = re.search(rf"^{re.escape(name + label)} (\S+)$", text, re.M)
        assert match, f"{name}{label} not in /metrics"
        return float(match.group(1))

    assert value("portal_work_backlog", "dossiers.notification") == 3
    assert value("portal_work_failed", "dossiers.notification") == 1
    assert 3500 < value("portal_work_oldest_seconds", "dossiers.notification") < 3700
    assert value("portal_work_backlog", "digitization.scannedfile") == 0
    assert value("portal_archive_fixity_problems") == 1
    assert value("portal_report_cache_hits_total") == 1
    assert value("portal_report_cache_misses_total") == 1
    assert "portal_national_sync_unsynced" in text
    assert "django_http_requests_total_by_method_total" in text


def test_masking_leaves_codes_and_dates_alone():
    text = (
        f"CCCD {ID_NUMBER}, ĐT {PHONE}, 0912 345 678, +84912345678; hồ sơ "
        "000.00.22.H52-261203-0001 lúc 20261203101500, 12/03/2026, 3 trang"
    )
    masked = mask_numbers(text)
    assert ID_NUMBER not in masked and PHONE not in masked and "0912 345 678" not in masked
    assert "+84912345678" not in masked and masked.count(MASK) == 4
    for kept in ("000.00.22.H52-261203-0001", "20261203101500", "12/03/2026", "3 trang"):
        assert kept in masked


@pytest.fixture
def console_log():
    """The configured console handler (JSON in full mode), written to a buffer for the test."""
    handler = next(
        h for h in logging.getLogger().handlers if isinstance(h.formatter, MaskedJsonFormatter)
    )
    buffer = io.StringIO()
    previous = handler.setStream(buffer)
    yield buffer
    handler.setStream(previous)


@pytest.mark.django_db
def test_log_lines_are_json_with_request_id_user_and_unit_and_no_numbers(client, console_log):
    assert settings.LOG_FORMAT == "json"
    assert isinstance(logging.getLogger().handlers[0].formatter, MaskedJsonFormatter)
    unit = UnitFactory()
    clerk = staff(unit, username="canbo.tiepnhan")
    client.force_login(clerk)
    response = client.get(f"/ho-so/{ID_NUMBER}-{PHONE}/")
    assert response.status_code == 404
    lines = [json.loads(line) for line in console_log.getvalue().splitlines() if line.strip()]
    not_found = [line for line in lines if line.get("logger") == "django.request"]
    assert not_found, lines
    line = not_found[0]
    assert line["level"] == "WARNING"
    assert line["request_id"] == response["X-Request-ID"] and len(line["request_id"]) == 32
    assert line["user"] == "canbo.tiepnhan" and line["unit"] == unit.pk
    assert ID_NUMBER not in console_log.getvalue() and PHONE not in console_log.getvalue()
    assert MASK in line["message"]

    logging.getLogger("bacyen.test").error("Lỗi với %s", ID_NUMBER, exc_info=ValueError(PHONE))
    last = json.loads(console_log.getvalue().splitlines()[-1])
    assert last["request_id"] == "" and MASK in last["message"]
    assert "ValueError" in last["exc_info"] and PHONE not in last["exc_info"]


def test_a_request_id_is_taken_from_the_trusted_proxy_only(client, settings):
    settings.BEHIND_PROXY = True
    sent = "abcdef12-3456-7890"
    assert client.get("/healthz", HTTP_X_REQUEST_ID=sent)["X-Request-ID"] == sent
    stranger = client.get("/healthz", HTTP_X_REQUEST_ID=sent, REMOTE_ADDR="203.0.113.9")
    assert stranger["X-Request-ID"] != sent
    odd = client.get("/healthz", HTTP_X_REQUEST_ID="<script>")
    assert odd["X-Request-ID"] != "<script>"


class _Receiver(BaseHTTPRequestHandler):
    received: list = []

    def do_POST(self):  # noqa: N802 - http.server's name
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        encoding = self.headers.get("Content-Encoding")
        if encoding == "gzip":
            body = gzip.decompress(body)
        elif encoding == "br":
            import brotli  # sentry-sdk compresses with it when it is installed

            body = brotli.decompress(body)
        _Receiver.received.append(body.decode("utf-8", errors="replace"))
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *args):
        pass


def test_errors_reach_a_sentry_compatible_receiver_without_the_citizens_numbers(tmp_path):
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Receiver)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    _Receiver.received.clear()
    script = (
        "import django, sentry_sdk; django.setup()\n"
        "try:\n"
        f"    raise ValueError('Không tìm thấy công dân {ID_NUMBER}, ĐT {PHONE}')\n"
        "except ValueError as error:\n"
        "    sentry_sdk.capture_exception(error)\n"
        "sentry_sdk.flush(timeout=10)\n"
    )
    env = {
        **_env(),
        "SENTRY_DSN": f"http://publickey@127.0.0.1:{server.server_port}/7",
        "SENTRY_ENVIRONMENT": "kiem-thu",
    }
    done = subprocess.run(
        [sys.executable, "-c", script],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    server.shutdown()
    assert done.returncode == 0, done.stderr
    assert _Receiver.received, "no error report reached the receiver"
    # The envelope: JSON lines (header, item header, event), escaped as JSON escapes them.
    lines = [line for body in _Receiver.received for line in body.splitlines() if line.strip()]
    report = "\n".join(json.dumps(json.loads(line), ensure_ascii=False) for line in lines)
    assert "ValueError" in report and "kiem-thu" in report
    assert ID_NUMBER not in report and PHONE not in report
    assert MASK in report


def _env():
    import os

    return dict(os.environ, DJANGO_SETTINGS_MODULE="bacyen_portal.settings")


@pytest.mark.django_db(transaction=True)
def test_readyz_names_the_broker_when_redis_is_gone(client, settings):
    port = free_port()
    settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{port}/0"
    settings.READY_QUEUES = []
    status, checks = _ready(client)
    assert status == 503
    failing = {name: value for name, value in checks.items() if value != "OK"}
    assert list(failing) == [f"Redis(db=0, host='127.0.0.1', port={port})"], checks


@pytest.mark.django_db(transaction=True)
def test_readyz_answers_beside_a_running_event_loop(client, settings):
    """A caller whose thread runs an event loop already (the browser tests' Playwright does)
    once got a 500: Django cannot start the async view's loop there."""
    import asyncio

    settings.CELERY_TASK_ALWAYS_EAGER = True

    async def inside_a_loop():
        return client.get("/readyz", HTTP_ACCEPT="application/json", **MONITOR)

    answers = []  # in a thread of its own: this one may run Playwright's loop already
    caller = threading.Thread(target=lambda: answers.append(asyncio.run(inside_a_loop())))
    caller.start()
    caller.join(timeout=60)
    (response,) = answers
    assert response.status_code == 200, response.content
    assert set(response.json().values()) == {"OK"}
