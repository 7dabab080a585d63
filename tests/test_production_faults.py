"""Faults through nginx on the production stack from deploy/ (issue #22, "Faults"): Redis
restarted while clerks and citizens work, nginx reloaded while scans are being uploaded,
PostgreSQL restarted, a worker killed, the disk of the portal's files nearly full and full.
/readyz says which part is down, the pages answer in Vietnamese instead of a stack trace, and
afterwards nothing is lost: the dossier received during the outage is there with its receipt,
its report to DVCQG goes out once Redis is back, the upload that spanned the reload is stored
whole."""

import hashlib
import os
import shlex
import shutil
import signal
import subprocess
import threading
import time
from pathlib import Path

import httpx
import psutil
import pytest
from django.conf import settings
from django.db import connection, connections

from digitization.models import ScannedFile
from dossiers.models import Dossier
from integrations.models import NationalMessage

from . import production_stack
from .factories import PASSWORD
from .ocr_worker import OwnRedis
from .scan_files import PAGE_ONE, PAGE_TWO, pdf_bytes
from .test_database_restart import pg_ctl
from .workers import purge_queue, worker_env
from .workflow_fixtures import CITIZEN, receive

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SCAN_LIMIT = 8 * 1024 * 1024


@pytest.fixture
def own_redis(tmp_path):
    redis = OwnRedis(tmp_path).start()
    yield redis
    redis.stop()


def _stack(folder, own_redis, **portal):
    on_own = f"redis://127.0.0.1:{own_redis.port}"
    running = production_stack.start(
        folder,
        worker_env(
            CELERY_BROKER_URL=f"{on_own}/0",
            CELERY_RESULT_BACKEND=f"{on_own}/1",
            CACHE_URL=f"{on_own}/2",
            REDIS_URL=f"{on_own}/2",
        ),
        queues=("default", "national"),
        portal={
            "SCAN_MAX_BYTES": str(SCAN_LIMIT),
            "MEDIA_ROOT": str(settings.MEDIA_ROOT),
            "STATIC_ROOT": str(settings.STATIC_ROOT),
            **portal,
        },
    )
    try:
        yield running
    finally:
        running.stop()
        for queue in ("default", "ocr", "national", "reports"):
            purge_queue(queue)


@pytest.fixture
def stack(tmp_path, own_redis, counterpart):
    yield from _stack(tmp_path, own_redis)


@pytest.fixture
def small_disk(tmp_path):
    """A disk of its own for the portal's files: a 24 MB tmpfs (the tests run as root)."""
    mount = tmp_path / "small-disk"
    mount.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=24m", "tmpfs", str(mount)], check=True)
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


@pytest.fixture
def small_disk_stack(tmp_path, own_redis, counterpart, small_disk):
    (tmp_path / "stack").mkdir()
    yield from _stack(
        tmp_path / "stack", own_redis, MEDIA_ROOT=str(small_disk), READY_MIN_FREE_DISK_MB="8"
    )


def signed_in(base, username) -> httpx.Client:
    """A clerk's browser session through nginx (CSRF cookie returned as the form field)."""
    http = httpx.Client(base_url=base, verify=False, timeout=30)  # noqa: S501 - self-signed
    http.get("/dang-nhap/")
    answer = http.post(
        "/dang-nhap/",
        data={
            "username": username,
            "password": PASSWORD,
            "csrfmiddlewaretoken": http.cookies["csrftoken"],
        },
        headers={"Referer": f"{base}/dang-nhap/", "Origin": base},
    )
    assert answer.status_code == 302, answer.text[:2000]
    return http


def post_form(http, path, data, **kwargs):
    return http.post(
        path,
        data={**data, "csrfmiddlewaretoken": http.cookies["csrftoken"]},
        headers={"Referer": f"{http.base_url}{path}", "Origin": str(http.base_url).rstrip("/")},
        **kwargs,
    )


def wait_for(probe, timeout=60, every=0.5):
    deadline = time.monotonic() + timeout
    while not (answer := probe()):
        assert time.monotonic() < deadline, "not within the time allowed"
        time.sleep(every)
    return answer


def vietnamese_page(answer):
    """A page people can read: not a server error with a trace."""
    assert answer.status_code < 500 or answer.status_code in (503, 507), answer.status_code
    assert "Traceback" not in answer.text and "Server Error (500)" not in answer.text


def receive_at_counter(clerk, procedure, key):
    """A reception through nginx as the counter's form sends it, and its Mẫu 01."""
    form = {"procedure": procedure.national_code, "idempotency_key": key, **CITIZEN}
    for c in procedure.components.all():
        form[f"c{c.pk}"], form[f"n{c.pk}"] = "1", str(c.copies)
    received = post_form(clerk, "/tiep-nhan/", form)
    vietnamese_page(received)
    assert received.status_code == 302, received.text[:3000]
    assert "?moi=1" in received.headers["location"]
    code = received.headers["location"].split("/ho-so/")[1].split("/")[0]
    dossier = Dossier.objects.get(code=code)
    receipt = clerk.get(f"/ho-so/{dossier.code}/mau-receipt.pdf")
    assert receipt.status_code == 200 and receipt.content.startswith(b"%PDF")
    return dossier


def test_redis_restarted_while_the_counter_works(stack, own_redis, district):
    procedure = district["procedure"]
    clerk = signed_in(stack.base, "motcua")
    public = httpx.Client(base_url=stack.base, verify=False, timeout=30)  # noqa: S501
    known = receive(district)
    wait_for(lambda: public.get("/readyz").status_code == 200)

    own_redis.stop()
    down = wait_for(lambda: (r := public.get("/readyz")).status_code == 503 and r)
    assert "Redis" in down.text or "redis" in down.text, down.text

    # The counter goes on: lists, the public look-up, a reception with its receipt.
    vietnamese_page(listed := clerk.get("/ho-so/"))
    assert listed.status_code == 200
    looked = public.get(f"/tra-cuu/?ma={known.code}&kt={known.check_code}")
    vietnamese_page(looked)
    assert looked.status_code == 200 and known.code in looked.text  # the citizen is served
    dossier = receive_at_counter(clerk, procedure, "redis-down-1")

    # Redis back on the same port: ready again, and the report to DVCQG goes out.
    own_redis.start()
    wait_for(lambda: public.get("/readyz").status_code == 200, timeout=60)
    sent = wait_for(
        lambda: NationalMessage.objects.filter(
            sync__dossier=dossier, state=NationalMessage.State.SENT
        ).exists(),
        timeout=90,
        every=1,
    )
    assert sent


class SlowBody:
    """A multipart body sent in pieces with pauses, so that nginx is reloaded mid-upload."""

    def __init__(self, parts, pause, reached):
        self.parts, self.pause, self.reached = parts, pause, reached

    def __iter__(self):
        for i, part in enumerate(self.parts):
            if i == len(self.parts) // 2:
                self.reached.set()
            yield part
            time.sleep(self.pause)


def test_nginx_reloaded_during_uploads_keeps_every_file(stack, district):
    dossier = receive(district)
    clerk = signed_in(stack.base, "motcua")
    boundary = "----portal-reload-test"
    body = pdf_bytes(PAGE_ONE, PAGE_TWO)
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="csrfmiddlewaretoken"\r\n\r\n'
        f"{clerk.cookies['csrftoken']}\r\n--{boundary}\r\n"
        'Content-Disposition: form-data; name="files"; filename="don.pdf"\r\n'
        "Content-Type: application/pdf\r\n\r\n"
    ).encode()
    tail = f"\r\n--{boundary}--\r\n".encode()
    chunk = 4 * 1024
    parts = [head] + [body[i : i + chunk] for i in range(0, len(body), chunk)] + [tail]
    assert len(parts) >= 20  # a second or more on the wire: the reload lands in the middle
    reached = threading.Event()
    answers = {}

    def upload():
        answers["upload"] = clerk.post(
            f"/so-hoa/ho-so/{dossier.code}/tai-len/",
            content=SlowBody(parts, 0.05, reached),
            headers={
                "Content-Type": f"multipart/form-data; boundary={boundary}",
                # As a browser sends a form: its length first (Django reads no chunked body).
                "Content-Length": str(sum(len(p) for p in parts)),
                "Referer": f"{stack.base}/ho-so/{dossier.code}/",
                "Origin": stack.base,
            },
        )

    sender = threading.Thread(target=upload)
    sender.start()
    assert reached.wait(30)
    master = psutil.Process(int((stack.folder / "nginx.pid").read_text()))
    workers_before = {p.pid for p in master.children()}
    master.send_signal(signal.SIGHUP)  # what `nginx -s reload` and systemctl reload send
    sender.join(60)
    # nginx did reload: the master replaced its workers (the old one finished the upload).
    wait_for(lambda: {p.pid for p in master.children()}.isdisjoint(workers_before), timeout=30)
    assert answers["upload"].status_code == 200, answers["upload"].text[:1000]
    stored = ScannedFile.objects.get(dossier=dossier)
    assert stored.sha256 == hashlib.sha256(body).hexdigest()
    # And nginx, reloaded, serves the next request.
    assert clerk.get(f"/ho-so/{dossier.code}/").status_code == 200


@pytest.mark.restarts_database
def test_postgresql_restarted_while_the_counter_works(stack, district):
    """PostgreSQL stopped under the running stack, then started again (runs alone: it stops
    the suite's own database server). While it is down, /readyz names it and every page is a
    Vietnamese 503; once it is back, every request of every web thread is served (each kept
    connection is checked before reuse) and the counter receives again."""
    clerk = signed_in(stack.base, "motcua")
    public = httpx.Client(base_url=stack.base, verify=False, timeout=30)  # noqa: S501
    known = receive(district)
    wait_for(lambda: public.get("/readyz").status_code == 200)
    with connection.cursor() as cursor:
        cursor.execute("SHOW data_directory")
        data_directory = cursor.fetchone()[0]
    connections.close_all()  # this process's connection dies with the server too
    look_up = f"/tra-cuu/?ma={known.code}&kt={known.check_code}"

    # Started again with the options it runs with (port, socket, settings): `pg_ctl start`
    # alone would bring it up on the defaults, where nothing of the suite looks for it.
    options = shlex.split(Path(data_directory, "postmaster.opts").read_text())[1:]
    at = options.index("-D")
    options = shlex.join(options[:at] + options[at + 2 :])
    pg_ctl("stop", "-D", data_directory, "-m", "fast", "-w")
    try:
        down = wait_for(lambda: (r := public.get("/readyz")).status_code == 503 and r)
        assert "Database" in down.text, down.text  # django-health-check's name for it
        for answer in (clerk.get("/ho-so/"), public.get("/nop-truc-tuyen/"), public.get(look_up)):
            vietnamese_page(answer)
            assert answer.status_code == 503, answer.status_code
            assert "Tạm thời chưa kết nối được cơ sở dữ liệu" in answer.text
            assert answer.headers["retry-after"] == "30"
    finally:
        log = f"{data_directory}/server.log"
        pg_ctl("start", "-D", data_directory, "-w", "-l", log, "-o", options)

    wait_for(lambda: public.get("/readyz").status_code == 200, timeout=60)
    answers = [clerk.get("/ho-so/").status_code for _ in range(16)]
    answers += [public.get("/nop-truc-tuyen/").status_code for _ in range(16)]
    answers += [public.get(look_up).status_code for _ in range(2)]  # within its rate limit
    assert answers == [200] * len(answers)
    form = {
        "procedure": district["procedure"].national_code,
        "idempotency_key": "postgresql-back-1",
        **CITIZEN,
    }
    for c in district["procedure"].components.all():
        form[f"c{c.pk}"], form[f"n{c.pk}"] = "1", str(c.copies)
    received = post_form(clerk, "/tiep-nhan/", form)
    assert received.status_code == 302, received.text[:3000]
    assert Dossier.objects.filter(pk=known.pk, code=known.code).exists()


def test_a_worker_killed_and_the_disk_nearly_full(small_disk_stack, small_disk, district):
    """The national queue's worker killed: /readyz names its queue, the counter goes on, and
    the dossier's report to DVCQG goes out once the unit is started again. The disk of the
    portal's files nearly full: /readyz names it, a reception still works; full: the scan is
    refused with a Vietnamese message, and no row and no truncated blob stay behind."""
    stack = small_disk_stack
    clerk = signed_in(stack.base, "motcua")
    public = httpx.Client(base_url=stack.base, verify=False, timeout=30)  # noqa: S501
    wait_for(lambda: public.get("/readyz").status_code == 200)

    proc, _ = stack.workers["national"]
    os.killpg(proc.pid, signal.SIGKILL)  # as the kernel's OOM killer or `kill -9` would
    down = wait_for(lambda: (r := public.get("/readyz")).status_code == 503 and r)
    assert "hàng đợi national" in down.text, down.text
    dossier = receive_at_counter(clerk, district["procedure"], "worker-killed-1")
    page = clerk.get(f"/ho-so/{dossier.code}/")
    vietnamese_page(page)
    assert page.status_code == 200
    time.sleep(3)
    unsent = NationalMessage.objects.filter(sync__dossier=dossier).exclude(
        state=NationalMessage.State.SENT
    )
    assert unsent.exists()  # waiting for a worker, not lost
    stack.workers["national"] = stack.unit("cong-mot-cua-worker@.service", instance="national")
    wait_for(lambda: public.get("/readyz").status_code == 200, timeout=90)
    wait_for(lambda: not unsent.exists(), timeout=90, every=1)

    # Nearly full: below READY_MIN_FREE_DISK_MB (8) but room for a reception's receipt.
    filler = small_disk / "filler"
    free = shutil.disk_usage(small_disk).free
    filler.write_bytes(b"\0" * (free - 4 * 1024 * 1024))
    nearly = wait_for(lambda: (r := public.get("/readyz")).status_code == 503 and r)
    assert f"Ổ đĩa {small_disk}" in nearly.text, nearly.text
    second = receive_at_counter(clerk, district["procedure"], "disk-nearly-full-1")
    assert clerk.get(f"/ho-so/{second.code}/").status_code == 200

    # Full: a scan bigger than what is left is refused, the dossier unchanged.
    with open(filler, "ab") as more:
        more.write(b"\0" * (shutil.disk_usage(small_disk).free - 64 * 1024))
    body = pdf_bytes(PAGE_ONE, PAGE_TWO)
    assert len(body) > 64 * 1024
    refused = post_form(
        clerk,
        f"/so-hoa/ho-so/{second.code}/tai-len/",
        {},
        files={"files": ("don.pdf", body, "application/pdf")},
    )
    vietnamese_page(refused)
    assert refused.status_code == 507, refused.text[:2000]
    assert "ổ lưu trữ của cổng đã đầy" in refused.text
    assert not ScannedFile.objects.filter(dossier=second).exists()
    blob = hashlib.sha256(body).hexdigest()
    assert not list(small_disk.rglob(f"{blob}*"))  # no truncated original left

    # Room again: the same file is taken whole.
    filler.unlink()
    taken = post_form(
        clerk,
        f"/so-hoa/ho-so/{second.code}/tai-len/",
        {},
        files={"files": ("don.pdf", body, "application/pdf")},
    )
    assert taken.status_code == 200, taken.text[:2000]
    stored = ScannedFile.objects.get(dossier=second)
    assert stored.sha256 == blob
    assert hashlib.sha256((small_disk / stored.original.name).read_bytes()).hexdigest() == blob
    wait_for(lambda: public.get("/readyz").status_code == 200)
