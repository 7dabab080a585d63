"""The production shape (issue #22, item 1), brought up from deploy/ on loopback: nginx with
TLS in front of gunicorn, a worker, beat and the counterpart from their systemd units — and the
main browser journey through it over HTTPS; then what nginx itself must do: protected files
only through the view (X-Accel-Redirect), static files from disk, the upload limit, the public
look-ups' rate limit, the client address it passes on, HTTP sent to HTTPS, the monitor's pages."""

import json
import os
import signal
import time
from pathlib import Path

import httpx
import psutil
import pytest
from django.conf import settings

from dossiers.models import AuditEvent

from . import production_stack
from .test_browser_journey import walk_one_dossier
from .workers import purge_queue, worker_env

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SCAN_LIMIT = 1024 * 1024  # small, so that the upload limit is cheap to cross


@pytest.fixture
def stack(tmp_path, transactional_db):
    running = production_stack.start(
        tmp_path,
        worker_env(),
        portal={
            "SCAN_MAX_BYTES": str(SCAN_LIMIT),
            "MEDIA_ROOT": str(settings.MEDIA_ROOT),
            "STATIC_ROOT": str(settings.STATIC_ROOT),
        },
        site={"NGINX_LOOKUP_RATE": "60r/m", "NGINX_LOOKUP_BURST": "5"},
    )
    try:
        yield running
    finally:
        running.stop()
        for queue in ("default", "ocr", "national", "reports"):
            purge_queue(queue)  # what beat's sweepers left for workers that are gone


def warmed_web_processes(stack, wait=30) -> int:
    """How many of gunicorn's worker processes have Pango loaded, once all of them have or
    ``wait`` seconds have passed (a worker answers only after its start-up hook)."""
    deadline = time.monotonic() + wait
    while True:
        workers = psutil.Process(stack.web[0].pid).children()
        warmed = sum("libpango" in Path(f"/proc/{w.pid}/maps").read_text() for w in workers)
        if (workers and warmed == len(workers)) or time.monotonic() > deadline:
            return warmed
        time.sleep(0.5)


def test_the_main_journey_through_nginx_over_https(
    stack, browser, contexts, district, artifacts_dir
):
    # Every web process lays out a first page as it starts, before any form is printed (the
    # unit's --config python:bacyen_portal.gunicorn_hooks): Pango is in each one's memory.
    assert warmed_web_processes(stack) == 2
    # The workers run below the web's priority (the units' Nice=10), the web at the default.
    assert {psutil.Process(proc.pid).nice() for proc, _ in stack.workers.values()} == {10}
    assert psutil.Process(stack.web[0].pid).nice() == 0

    shots = artifacts_dir / "production"
    shots.mkdir(exist_ok=True)
    code, clerk = walk_one_dossier(
        stack.base, browser, contexts, district, shots, ignore_https_errors=True
    )

    # The dossier page's panels (htmx, each from its app's URL) load through nginx too.
    clerk.goto(f"{stack.base}/ho-so/{code}/")
    try:
        clerk.get_by_role("heading", name="Bản số hóa").wait_for(timeout=15000)
    except Exception:
        access = (stack.folder / "nginx-access.log").read_text()
        raise AssertionError(access[-4000:]) from None

    # A printed form is sent by nginx from its internal location, after the view's check
    # and access log; the client address in that log is the one nginx saw, not the header.
    receipt = clerk.request.get(
        f"{stack.base}/ho-so/{code}/mau-receipt.pdf",
        headers={"X-Forwarded-For": "203.0.113.66"},
    )
    assert receipt.status == 200 and receipt.body().startswith(b"%PDF")
    assert receipt.headers.get("x-protected-file") == "nginx"
    assert "x-accel-redirect" not in receipt.headers
    logged = AuditEvent.objects.filter(action="dossier.form_download").latest("at")
    assert logged.ip_address == "127.0.0.1"

    with httpx.Client(verify=False, timeout=20) as http:  # noqa: S501 - our self-signed cert
        stored = settings.MEDIA_ROOT
        some_file = next(p for p in stored.rglob("*.pdf"))
        name = some_file.relative_to(stored).as_posix()
        # Straight to the internal location: nothing.
        assert http.get(f"{stack.base}/_protected/{name}").status_code == 404
        # Nor to the view without a session: the login page.
        anonymous = http.get(f"{stack.base}/ho-so/{code}/mau-receipt.pdf")
        assert anonymous.status_code == 302 and "/dang-nhap/" in anonymous.headers["location"]

        # Static files come from disk, never from gunicorn.
        manifest = json.loads((settings.STATIC_ROOT / "staticfiles.json").read_text())
        hashed = next(iter(manifest["paths"].values()))
        static = http.get(f"{stack.base}/static/{hashed}")
        assert static.status_code == 200 and "immutable" in static.headers["cache-control"]
        web_log = stack.web[1].read_text()
        assert f"/static/{hashed}" not in web_log and "/ho-so/" in web_log

        # HTTP goes to HTTPS.
        plain = http.get(f"http://127.0.0.1:{stack.http_port}/tra-cuu/")
        assert plain.status_code == 301
        assert plain.headers["location"] == f"{stack.base}/tra-cuu/"

        # An upload over the limit is refused by nginx, in Vietnamese, before gunicorn.
        too_big = http.post(
            f"{stack.base}/tiep-nhan/",
            content=b"x" * (SCAN_LIMIT + 2 * 1024 * 1024),
            headers={"Content-Type": "application/octet-stream"},
        )
        assert too_big.status_code == 413 and "Tệp quá lớn" in too_big.text

        # The public look-up: a burst beyond the limit is answered 429 by nginx.
        answers = [http.get(f"{stack.base}/tra-cuu/").status_code for _ in range(12)]
        assert answers[0] == 200 and 429 in answers, answers
        limited = http.get(f"{stack.base}/tra-cuu/")
        assert limited.status_code == 429 and "Quá nhiều yêu cầu" in limited.text

        # The monitor's pages: from this host through nginx; the worker of the unit beats.
        ready = http.get(f"{stack.base}/readyz", headers={"Accept": "application/json"})
        assert ready.status_code == 200, ready.text
        assert "Heartbeat" in ready.text
        assert http.get(f"{stack.base}/metrics").status_code == 200
        assert http.get(f"{stack.base}/healthz").text == "ok"

        # Faults, as the monitor and a citizen see them through nginx: the worker killed —
        # /readyz names its queue; gunicorn gone — a Vietnamese page, not a stack trace.
        os.killpg(stack.worker[0].pid, signal.SIGKILL)
        deadline = time.monotonic() + 30
        while (ready := http.get(f"{stack.base}/readyz")).status_code != 503:
            assert time.monotonic() < deadline, ready.text
            time.sleep(0.5)
        assert "hàng đợi default" in ready.text
        stack.web[0].terminate()
        stack.web[0].wait(timeout=30)
        down = http.get(f"{stack.base}/tra-cuu/")
        assert down.status_code == 502 and "Hệ thống đang khởi động lại" in down.text

    # The logs of the whole run (gunicorn's JSON lines, the worker, beat, the counterpart,
    # nginx): each portal line names its request, user and unit; none holds the applicant's
    # identity number or phone typed in the journey.
    logs = {p.name: p.read_text(errors="replace") for p in stack.folder.glob("*.log")}
    assert "cong-mot-cua-web.service.log" in logs and "nginx-access.log" in logs
    for name, text in logs.items():
        for secret in ("014090001234", "0912345678", "0912 345 678"):
            assert secret not in text, f"{secret} in {name}"
    lines = [
        json.loads(line)
        for line in logs["cong-mot-cua-web.service.log"].splitlines()
        if line.startswith("{")
    ]
    assert any(
        line.get("request_id") and line.get("user") == "motcua" and line.get("unit")
        for line in lines
    ), lines[-5:]


def test_the_live_dashboards_stream_goes_through_nginx_to_the_gevent_unit(stack, district):
    from django.test import Client  # a signed-in session in the database the stack reads

    from .factories import staff

    office = staff(district["counter"].parent, "district_office", username="vanphong")
    session = Client()
    session.force_login(office)
    cookie = session.cookies[settings.SESSION_COOKIE_NAME].value
    url = f"{stack.base}/bao-cao/truc-tiep/luong/"
    with httpx.Client(verify=False, timeout=20, cookies={"sessionid": cookie}) as http:  # noqa: S501
        with http.stream("GET", url) as answer:
            assert answer.status_code == 200
            assert answer.headers["content-type"].startswith("text/event-stream")
            first = next(line for line in answer.iter_lines() if line.startswith("event:"))
    assert first == "event: live"
    logs = {p.name: p.read_text(errors="replace") for p in stack.folder.glob("*.log")}
    # Served by the gevent unit: the sync web unit never saw it (a request is logged when
    # it ends: the stream's own line comes when the dashboard closes).
    assert "Using worker: gevent" in logs["cong-mot-cua-live.service.log"]
    assert "/bao-cao/truc-tiep/luong/" not in logs["cong-mot-cua-web.service.log"]
