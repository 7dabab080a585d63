"""Smoke tests of the embedded mode exactly as `make run` starts it: SQLite, tasks in-process,
the demo district, gunicorn on 127.0.0.1, no DEBUG."""

import http.cookiejar
import os
import re
import signal
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from .workers import free_port

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.embedded
FULL_MODE_VARIABLES = ("DATABASE_URL", "CELERY_BROKER_URL", "CELERY_RESULT_BACKEND", "SECRET_KEY")


STARTUP_SECONDS = 600


def embedded_env(var_dir):
    # The test session's counterpart is not the embedded portal's: run.sh starts its own.
    own = set(FULL_MODE_VARIABLES) | {"DVCQG_BASE_URL", "VNEID_ISSUER", "DVCQG_PUSH_SECRET"}
    own |= {"POST_BASE_URL", "POST_CALLBACK_SECRET"}
    env = {k: v for k, v in os.environ.items() if k not in own}
    env.update(PORTAL_MODE="embedded", PORTAL_VAR_DIR=str(var_dir))
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    return env


@pytest.fixture(scope="module")
def portal(tmp_path_factory):
    """`scripts/run.sh` (what `make run` calls) on a free port, with a fresh var dir."""
    var_dir = tmp_path_factory.mktemp("embedded-var")
    port = free_port()
    log = open(var_dir / "run.log", "w")  # noqa: SIM115
    proc = subprocess.Popen(
        ["scripts/run.sh"],
        cwd=ROOT,
        env={**embedded_env(var_dir), "PORT": str(port), "COUNTERPART_PORT": str(free_port())},
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    # The run command installs, migrates and loads the demo district first: a few minutes
    # on a loaded 2-core machine (CI runs two groups of the suite beside it).
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(
                f"run.sh exited {proc.returncode}: {(var_dir / 'run.log').read_text()}"
            )
        try:
            with urllib.request.urlopen(f"{base}/healthz", timeout=2) as response:
                if response.status == 200:
                    break
        except (urllib.error.URLError, OSError):  # refused, reset, or slow to answer under load
            time.sleep(0.5)
    else:
        os.killpg(proc.pid, signal.SIGKILL)
        tail = (var_dir / "run.log").read_text()[-2000:]
        raise RuntimeError(
            f"The embedded portal did not answer /healthz in {STARTUP_SECONDS} s:\n{tail}"
        )
    yield {"base": base, "var_dir": var_dir, "log": var_dir / "run.log"}
    os.killpg(proc.pid, signal.SIGTERM)
    proc.wait(timeout=30)
    log.close()


def manage(portal, *args):
    """`manage.py ARGS` against the running embedded portal's database; must succeed."""
    result = subprocess.run(
        [".venv/bin/python", "manage.py", *args],
        cwd=ROOT,
        env=embedded_env(portal["var_dir"]),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result


def _browser():
    jar = http.cookiejar.CookieJar()
    return urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar)), jar


def test_run_command_prints_the_url_and_accounts(portal):
    output = portal["log"].read_text()
    assert "http://127.0.0.1:" in output
    assert "motcua.huyen1" in output and "BacYen@2026" in output
    assert (portal["var_dir"] / "db.sqlite3").exists()


def _csrf(html):
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


def _log_in(portal, username):
    """A browser logged in as the demo account ``username``, and the page it lands on."""
    opener, _ = _browser()
    login = opener.open(f"{portal['base']}/").read().decode()
    assert "Đăng nhập hệ thống" in login
    form = urllib.parse.urlencode(
        {"username": username, "password": "BacYen@2026", "csrfmiddlewaretoken": _csrf(login)}
    ).encode()
    request = urllib.request.Request(
        f"{portal['base']}/dang-nhap/", data=form, headers={"Referer": f"{portal['base']}/"}
    )
    return opener, opener.open(request).read().decode()


def test_a_demo_clerk_logs_in_and_sees_the_unit(portal):
    opener, home = _log_in(portal, "motcua.huyen1")
    assert "<h1>UBND xã Bắc Yên</h1>" in home  # the district's clerk, since the merge
    assert "Trung tâm Phục vụ hành chính công xã Bắc Yên" in home
    total = int(re.search(r'Hồ sơ của đơn vị <span class="count">(\d+)</span>', home).group(1))
    assert total > 0
    stylesheet = re.search(r'href="(/static/css/[^"]+)"', home).group(1)
    css = opener.open(f"{portal['base']}{stylesheet}")
    assert css.status == 200  # WhiteNoise serves the hashed stylesheet


def test_no_debug_pages_in_the_run_command(portal):
    with pytest.raises(urllib.error.HTTPError) as err:
        urllib.request.urlopen(f"{portal['base']}/khong-co-trang-nay/")
    body = err.value.read().decode()
    assert err.value.code == 404
    assert "Không tìm thấy trang" in body and "Traceback" not in body and "URLconf" not in body


def test_tasks_run_in_process_in_embedded_mode(portal):
    script = (
        "import os\n"
        "from dossiers.models import Procedure\n"
        "from dossiers.tasks import compute_appointment\n"
        # The shortest: whatever the catalogue holds, a few working days after Tết.
        "p = Procedure.objects.filter(time_kind='working_days').order_by('working_days')[0]\n"
        "r = compute_appointment.delay(p.pk, '2026-02-13T09:00:00+07:00').get()\n"
        "print(r['worker_pid'] == os.getpid(), r['due_at'])\n"
    )
    result = manage(portal, "shell", "-c", script)
    in_process, due = result.stdout.strip().splitlines()[-1].split()
    assert in_process == "True"
    assert due.startswith("2026-02-2")  # after Tết Bính Ngọ


def test_the_demo_district_is_synchronised_to_the_local_dvcqg(portal):
    """run.sh starts the counterpart beside the portal; the web process's background sweeper
    sends the demo's outbox to it (no broker, never in a clerk's request)."""
    deadline = time.monotonic() + 240
    synced = 0
    while time.monotonic() < deadline:
        result = subprocess.run(
            [".venv/bin/python", "manage.py", "sync_national", "--check", "--limit", "0"],
            cwd=ROOT,
            env=embedded_env(portal["var_dir"]),
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert "Lỗi: 0" in result.stdout, result.stdout + result.stderr
        synced = int(re.search(r"Đã đồng bộ: (\d+)", result.stdout).group(1))
        if synced >= 20:
            break
        time.sleep(5)
    assert synced >= 20, result.stdout


def test_the_demo_load_is_idempotent_on_a_second_run(portal):
    result = manage(portal, "load_demo")
    assert "Hồ sơ mới tạo: 0" in result.stdout


def test_scan_is_recognised_in_process_and_found_without_diacritics(portal):
    """Embedded mode: OCR runs in-process after the upload's commit; search falls back to
    the folded column on SQLite."""
    script = (
        "from django.contrib.auth import get_user_model\n"
        "from digitization.search import page_hits\n"
        "from digitization.services import intake\n"
        "from dossiers.models import Dossier\n"
        "from tests.scan_files import upload, image_bytes\n"
        "clerk = get_user_model().objects.get(username='motcua.huyen1')\n"
        "d = Dossier.objects.filter(receiving_unit=clerk.staff.unit, state='received').first()\n"
        "lines = ['Giấy xác nhận cư trú tại xã Phiêng Ban']\n"
        "r = intake.attach(dossier=d, component=d.components.first(),\n"
        "                  uploads=[upload('a.png', image_bytes(lines))], actor=clerk)\n"
        "f = r.added[0]; f.refresh_from_db()\n"
        "hits = page_hits(clerk, 'phieng ban')\n"
        "found = d.code in [h.page.file.dossier.code for h in hits]\n"
        "print(f.state, found, bool(f.searchable_pdf))\n"
    )
    result = manage(portal, "shell", "-c", script)
    assert result.stdout.strip().splitlines()[-1] == "done True True"


def test_the_archivist_works_on_the_demo_archive_on_sqlite(portal):
    """The archive's pages run their queries on SQLite too: the list with its panels (failed
    packages, fixity problems, expired records), a sealed record, a search, disposal."""
    opener, _ = _log_in(portal, "luutru")
    archive = opener.open(f"{portal['base']}/luu-tru/").read().decode()
    records = re.findall(r'href="(/luu-tru/\d+/)"', archive)
    assert records, "the demo's sealed packages are listed"
    url = f"{portal['base']}{records[0]}"
    page = opener.open(url).read().decode()
    if "Lý do truy cập" in page:  # a record of a unit the archivist never belonged to
        form = urllib.parse.urlencode(
            {"reason": "Kiểm tra hồ sơ lưu trữ mẫu", "csrfmiddlewaretoken": _csrf(page)}
        ).encode()
        record = opener.open(urllib.request.Request(url, data=form, headers={"Referer": url}))
        page = record.read().decode()
    assert "bagit.txt" in page and "data/metadata.json" in page
    for path in ("/luu-tru/?q=giay+chung+nhan", "/luu-tru/het-han/", "/luu-tru/huy/"):
        assert opener.open(f"{portal['base']}{path}").status == 200, path
