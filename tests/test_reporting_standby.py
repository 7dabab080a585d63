"""A real streaming standby for the reports (issue #22, item 4): pg_basebackup of the test
cluster, started as a hot standby that logs every statement; the portal with
REPORTING_DATABASE_URL pointing at it runs the monthly report there (its log has the report's
SQL, the primary's alias runs none), the dashboard says how old the standby's data is, and
/readyz names the standby when it is gone."""

import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from .fresh_python import run_json
from .production_stack import PG_BIN, as_postgres
from .test_reporting_replica import SNIPPET
from .workers import free_port

pytestmark = pytest.mark.django_db(transaction=True)


class Standby:
    def __init__(self, folder: Path):
        self.folder = folder
        self.data = folder / "data"
        self.log = folder / "standby.log"
        self.port = free_port()
        primary = settings.DATABASES["default"]
        self.primary = (primary["HOST"], str(primary["PORT"]), primary["USER"])

    def start(self):
        """A base backup of the primary, made a standby (-R), then started."""
        self.folder.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            shutil.chown(self.folder, "postgres", "postgres")
        host, port, user = self.primary
        as_postgres(
            str(PG_BIN / "pg_basebackup"),
            "-h",
            host,
            "-p",
            port,
            "-U",
            user,
            "-D",
            str(self.data),
            "-R",
            "-X",
            "stream",
            "--checkpoint=fast",
            timeout=300,
        )
        return self.start_again()

    def start_again(self):
        with connection.cursor() as cursor:  # a standby needs at least the primary's
            cursor.execute("SHOW max_connections")
            connections = cursor.fetchone()[0]
        options = (
            f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c hot_standby=on "
            f"-c max_connections={connections} -c log_statement=all -c fsync=off"
        )
        as_postgres(
            str(PG_BIN / "pg_ctl"),
            "-D",
            str(self.data),
            "-l",
            str(self.log),
            "-w",
            "-o",
            options,
            "start",
            timeout=120,
        )
        return self

    def stop(self):
        subprocess.run(
            (["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else [])
            + [str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "stop"],
            capture_output=True,
            timeout=60,
        )

    def url(self, name):
        return f"postgres://{self.primary[2]}@127.0.0.1:{self.port}/{name}"

    def caught_up(self, timeout=60):
        """Wait until the standby has replayed everything the primary has written so far."""
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_current_wal_lsn()::text")
            target = cursor.fetchone()[0]
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            done = as_postgres(
                str(PG_BIN / "psql"),
                "-h",
                "127.0.0.1",
                "-p",
                str(self.port),
                "-U",
                self.primary[2],
                "-d",
                "postgres",
                "-Atc",
                f"SELECT pg_last_wal_replay_lsn() >= '{target}'::pg_lsn",
            )
            if done.strip() == "t":
                return
            time.sleep(0.2)
        raise AssertionError("the standby did not catch up")


@pytest.fixture(scope="module")
def standby(django_db_setup, django_db_blocker):
    # Not under pytest's tmp_path: its parents are closed to the postgres account.
    folder = Path(tempfile.mkdtemp(prefix="bacyen-standby-"))
    with django_db_blocker.unblock():
        running = Standby(folder).start()
    yield running
    running.stop()
    shutil.rmtree(folder, ignore_errors=True)


def _portal(standby, snippet):
    db = settings.DATABASES["default"]
    name = connection.settings_dict["NAME"]
    env = {
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{name}",
        "REPORTING_DATABASE_URL": standby.url(name),
    }
    return run_json(snippet, timeout=180, env=env)


def test_the_monthly_report_runs_on_the_standby(standby, march):
    standby.caught_up()
    before = standby.log.stat().st_size
    result = _portal(standby, SNIPPET)
    assert result["alias"] == "reporting"
    assert result["counts"]["default"] == 0 and result["counts"]["reporting"] >= 1
    assert result["received"] == 6  # the standby holds what the primary wrote
    with open(standby.log, errors="replace") as log:
        log.seek(before)
        statements = log.read()
    assert "dossiers_dossier" in statements and "SELECT" in statements


DASHBOARD = """
import json, django
django.setup()
from django.test import Client
from django.contrib.auth import get_user_model
client = Client()
client.force_login(get_user_model().objects.get(username="vanphong"))
answer = client.get("/bao-cao/?unit=H50.22&month=2025-03")
page = answer.content.decode()
ready = client.get("/readyz", HTTP_ACCEPT="application/json", REMOTE_ADDR="127.0.0.1")
line = next((l for l in page.splitlines() if "data-replica" in l), "")
# The live strip's event stream computes after its view returned (reporting/live_stream.py):
# with nothing cached, it reads the figures itself.
from django.core.cache import cache
cache.clear()
from dossiers.models import Unit
from reporting import access
from reporting.live_stream import events
reader = get_user_model().objects.get(username="vanphong")
stream = events(Unit.objects.get(code="H50.22"), access.scope(reader),
                template="reporting/_live.html", lifetime=5)
next(stream)  # the retry line
print(json.dumps({"line": line, "ready": ready.json(), "status": ready.status_code,
                  "page": answer.status_code, "stream": next(stream)[:40]}))
"""


def test_the_dashboard_says_how_old_the_standbys_data_is_and_readyz_watches_it(standby, march):
    standby.caught_up()
    result = _portal(standby, DASHBOARD)
    assert "Số liệu đọc từ bản sao dành cho báo cáo, cập nhật đến" in result["line"]
    assert result["stream"].startswith("event: live")
    lag = [v for k, v in result["ready"].items() if k.startswith("ReplicaLag")]
    assert lag == ["OK"], result["ready"]

    standby.stop()
    try:
        # Nothing cached (the month's figures, today's live ones): the page reads them while
        # the standby is down — from the primary, instead of a 500 (the figures of today
        # were cached per minute, and a minute that ended between the two calls broke it).
        cleared = "django.setup()\nfrom django.core.cache import cache\ncache.clear()\n"
        result = _portal(standby, DASHBOARD.replace("django.setup()\n", cleared))
        assert result["page"] == 200
        assert result["stream"].startswith("event: live")  # the stream read the primary too
        assert "không trả lời" in result["line"] and "cơ sở dữ liệu chính" in result["line"]
        assert result["status"] == 503
        lag = [v for k, v in result["ready"].items() if k.startswith("ReplicaLag")]
        assert lag and "bản sao báo cáo" in lag[0]
    finally:
        standby.start_again()
