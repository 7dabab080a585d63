"""Shared fixtures: the real PostgreSQL (checked), a real Celery worker, Debian's Chromium."""

import os
import subprocess
import time
from pathlib import Path

import pytest
from django.conf import settings

from .workers import worker_command, worker_env

ROOT = Path(__file__).resolve().parent.parent
pytest_plugins = [
    "tests.workflow_fixtures",
    "tests.reporting_fixtures",
    "tests.ocr_worker",
    "tests.archive_fixtures",
    "tests.province_fixtures",
    "tests.counterpart_fixtures",
    "tests.population_fixtures",
    "tests.national_fixtures",
    "tests.payment_fixtures",
    "tests.score766_fixtures",
]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


# Playwright's sync API runs an event loop in the test thread; Django's ORM calls made by the
# test itself (creating rows) are still synchronous and safe there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_configure(config):
    engine = settings.DATABASES["default"]["ENGINE"]
    if "postgresql" not in engine:
        raise pytest.UsageError(
            "Bộ kiểm thử chạy trên PostgreSQL: hãy dùng `make test` (nó tự khởi động PostgreSQL, "
            f"Redis). The suite needs DATABASE_URL to point at PostgreSQL, not {engine}."
        )


def _flush_retrying_a_deadlock():
    """A transactional test ends with a TRUNCATE of every table; a real worker still finishing
    a task of that test (a notification, an outbox row) may hold a row lock the TRUNCATE waits
    behind while it waits for the TRUNCATE's table: PostgreSQL breaks the deadlock by failing
    the TRUNCATE. The flush is then simply run again, as the worker's transaction is over."""
    from django.core.management.base import CommandError
    from django.test import TransactionTestCase

    original = TransactionTestCase._fixture_teardown

    def teardown(self):
        for attempt in range(5):
            try:
                return original(self)
            except CommandError as exc:
                if attempt == 4 or "deadlock detected" not in str(exc.__cause__):
                    raise
                time.sleep(0.5)

    TransactionTestCase._fixture_teardown = teardown


_flush_retrying_a_deadlock()


@pytest.fixture(scope="session", autouse=True)
def collected_static():
    """Pages render {% static %} through the manifest storage, as in production.

    `make test` collects once per change of the static sources (scripts/collect-static.sh);
    a bare `pytest` collects here when no manifest exists yet."""
    from django.core.management import call_command

    if not (Path(settings.STATIC_ROOT) / "staticfiles.json").exists():
        call_command("collectstatic", "--noinput", verbosity=0)


@pytest.fixture(autouse=True)
def fresh_cache():
    """Rate-limit counters live in the shared cache (Redis in tests): start each test clean."""
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture(scope="session")
def celery_worker_process(django_db_setup, django_db_blocker):
    """A real `celery worker` process on the test broker, reading the test database."""
    env = worker_env()
    settings.VAR_DIR.mkdir(parents=True, exist_ok=True)
    log = open(settings.VAR_DIR / "celery-worker.log", "w")  # noqa: SIM115
    proc = subprocess.Popen(
        worker_command("default,reports", "tests@%h"),
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    from bacyen_portal.celery import app

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"Celery worker exited with {proc.returncode}; see {log.name}")
        if app.control.ping(timeout=0.5):
            break
    else:
        proc.kill()
        raise RuntimeError("Celery worker did not answer a ping within 60 s")
    yield proc
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
    log.close()


@pytest.fixture(scope="session")
def live_server(request):
    """pytest-django's live server, with static files served by WhiteNoise from the collected
    manifest (as in production) rather than by Django's finder-based test handler."""
    from pytest_django.live_server_helper import LiveServer

    server = LiveServer("localhost", start=False)
    server.thread.static_handler = lambda app: app
    server.start()
    request.addfinalizer(server.stop)
    return server


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def contexts():
    """Browser contexts opened by the test (one per signed-in person), closed at its end with
    their connections."""
    opened = []
    yield opened
    for context in opened:
        context.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="vi-VN")
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def artifacts_dir():
    path = ROOT / "test-artifacts"
    path.mkdir(exist_ok=True)
    return path


@pytest.fixture(scope="session")
def signing_pki(tmp_path_factory):
    """The demo CA and the default certificate in a temporary directory, which becomes
    SIGNING_CERT_P12's for the whole session. Certificates for units are added with
    ``ensure_demo_pki(units)`` or ``make_signing_certs`` (both idempotent)."""
    from django.test import override_settings

    from digitization.signing import ensure_demo_pki

    directory = tmp_path_factory.mktemp("certs")
    with override_settings(SIGNING_CERT_P12=str(directory / "unit.p12")):
        yield ensure_demo_pki([])
