"""The restore drill (issue #22, item 3), on a cluster of its own with WAL archived by
pgBackRest: the demo loaded, its returned dossiers sealed in the archive and a month's report
sent; a full and an incremental backup with their media snapshots; a deliberate deletion; the
cluster and the media folder destroyed; restored twice into a fresh data directory — to the
latest point, and to a chosen moment before the deletion — and each time the restored portal
passes restore_check (row counts, every file's checksum, a full fixity pass, the sent report
regenerated identical) and serves a clerk's pages and a stored form."""

import json
import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

from .drill import STANZA, Drill
from .production_stack import PG_BIN, UNITS, Unit, as_postgres

pytestmark = pytest.mark.restore_drill


SEND_REPORT = """
from dossiers.models import Unit
from django.contrib.auth import get_user_model
from reporting import periods
from reporting.services.sending import send_report
unit = Unit.objects.filter(has_counter=True).order_by("code").first()
office = get_user_model().objects.filter(groups__name="district_office").first()
send_report(unit, periods.month(2026, 10), actor=office)
"""

CLERK_PAGES = """
from django.test import Client
from dossiers.models import PrintedForm, StaffProfile
client = Client()
signed_in = client.post("/dang-nhap/", {"username": USER, "password": "BacYen@2026"})
assert signed_in.status_code == 302
assert client.get("/ho-so/").status_code == 200
unit = StaffProfile.objects.get(user__username=USER).unit
forms = PrintedForm.objects.filter(kind="receipt", dossier__receiving_unit=unit)
form = forms.select_related("dossier").order_by("-id").first()
detail = client.get(f"/ho-so/{form.dossier.code}/")
pdf = client.get(f"/ho-so/{form.dossier.code}/mau-receipt.pdf")
print(detail.status_code, pdf.status_code, b"".join(pdf.streaming_content)[:4])
""".replace("USER", repr("motcua.xa-bac-yen"))


def comparable(rows):
    """Row counts without the fixity checks' table, which each restore_check adds to."""
    return {table: count for table, count in rows.items() if table != "archive_fixitycheck"}


@pytest.fixture
def drill():
    folder = Path(tempfile.mkdtemp(prefix="bacyen-drill-"))  # open to the postgres account
    running = Drill(folder)
    running.setup()
    yield running
    subprocess.run(
        (["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else [])
        + [str(PG_BIN / "pg_ctl"), "-D", str(running.data), "-m", "immediate", "stop"],
        capture_output=True,
    )
    shutil.rmtree(folder, ignore_errors=True)


def test_a_backed_up_portal_restores_to_the_latest_point_and_to_a_chosen_time(drill, artifacts_dir):
    drill.manage("migrate", "--noinput", "-v0")
    drill.manage("load_demo")
    drill.manage("archive_returned")
    drill.shell(SEND_REPORT)

    started = time.monotonic()
    drill.run_unit("cong-mot-cua-backup@.service", "full")
    drill.times["backup_full_s"] = round(time.monotonic() - started, 1)
    drill.shell(
        "from dossiers.models import Dossier\n"
        "Dossier.objects.filter(pk__lte=5).update(note='sau sao lưu đầy đủ')"
    )
    started = time.monotonic()
    printed = drill.run_unit("cong-mot-cua-backup@.service", "incr")
    drill.times["backup_incr_s"] = round(time.monotonic() - started, 1)
    assert "(incr) xong lúc" in printed  # the unit's ExecStartPost: backup_status
    status = json.loads(drill.manage("backup_status", "--json"))
    assert status["problems"] == [] and status["database"]["type"] == "incr"
    assert status["media"]["files"] > 50

    before = drill.state()
    assert before["problems"] == []
    assert before["packages_checked"] > 0 and before["reports_compared"] == 1
    assert before["rows"]["dossiers_auditevent"] > 0
    chosen = drill.sql("SELECT now()")
    time.sleep(1.5)
    drill.sql("DELETE FROM dossiers_auditevent", db="portal")  # the deliberate deletion
    drill.sql("SELECT pg_switch_wal()")
    after = drill.state()
    assert after["rows"]["dossiers_auditevent"] == 0
    as_postgres("pgbackrest", f"--config={drill.config}", f"--stanza={STANZA}", "check")

    drill.destroy()
    drill.times["restore_latest_s"] = round(drill.restore(), 1)
    latest = drill.state()
    assert latest["problems"] == [], latest["problems"]
    assert comparable(latest["rows"]) == comparable(after["rows"])
    assert latest["files_ok"] == before["files_ok"] and latest["reports_compared"] == 1
    assert latest["packages_checked"] == before["packages_checked"]
    assert drill.shell(CLERK_PAGES).split() == ["200", "200", "b'%PDF'"]

    drill.destroy()
    drill.times["restore_to_time_s"] = round(
        drill.restore("--type=time", f"--target={chosen}", "--target-action=promote"), 1
    )
    in_time = drill.state()
    assert in_time["problems"] == [], in_time["problems"]
    # The deleted audit trail is back.
    assert comparable(in_time["rows"]) == comparable(before["rows"])
    assert drill.shell(CLERK_PAGES).split() == ["200", "200", "b'%PDF'"]
    (artifacts_dir / "restore-drill.json").write_text(json.dumps(drill.times, indent=1))


def test_the_backup_timers_run_an_incremental_backup_nightly_and_a_full_one_on_sunday():
    timers = {}
    for path in sorted(UNITS.glob("cong-mot-cua-backup-*.timer")):
        text = path.read_text().splitlines()
        lines = dict(line.split("=", 1) for line in text if "=" in line and line[0] != "#")
        timers[path.stem] = (lines["OnCalendar"], lines["Unit"])
    assert timers == {
        "cong-mot-cua-backup-nightly": (
            "Mon..Sat *-*-* 01:00:00",
            "cong-mot-cua-backup@incr.service",
        ),
        "cong-mot-cua-backup-weekly": ("Sun *-*-* 01:00:00", "cong-mot-cua-backup@full.service"),
    }
    service = Unit("cong-mot-cua-backup@.service")
    for instance in ("incr", "full"):
        command = service.command(service.exec_start, {}, instance)
        assert command[-3:] == ["backup", "--type", instance]
