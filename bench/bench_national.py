"""The DVCQG outbox's delivery against the local counterpart's own acceptance rate.

300 dossiers are received (their Mẫu 01 deferred), which writes 600 messages to the outbox
(the whole dossier and the reception step each). The subject sends them the way the worker's
task does (``integrations.sync.deliver`` per dossier: the dossier's lease, one commit per
message, the adapter over httpx with its session and circuit breaker), in this process, to the
counterpart started on its own port. The reference posts 600 equally valid messages straight to
the same counterpart with one httpx client and one session: what the platform side can take
over one connection, measured in the same run. Target: the outbox sends at least half as fast
as the counterpart accepts (ratio ≤ 2×). The Celery hop (one Redis message per dossier) is not
in the subject."""

import os
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import timedelta
from pathlib import Path

import httpx
from django.conf import settings
from django.utils import timezone

NEEDS_DB = True
N = 300
ROOT = Path(__file__).resolve().parent.parent


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _counterpart():
    port, data = _free_port(), tempfile.mkdtemp(prefix="bench-counterpart-")
    env = dict(os.environ, COUNTERPART_DIR=data)
    proc = subprocess.Popen(
        [sys.executable, "-m", "counterpart", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return proc, f"http://127.0.0.1:{port}"
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise RuntimeError("the counterpart did not start")


def run() -> list[dict]:
    from django.contrib.auth import get_user_model

    from dossiers.demo import load_reference_data, load_staff, load_units
    from dossiers.models import Procedure
    from dossiers.services import ReceivedComponent, receive_dossier
    from dossiers.services.engine import forms_deferred
    from integrations import sync
    from integrations.adapters.dvcqg import DvcqgClient
    from integrations.models import DossierSync, NationalMessage

    proc, url = _counterpart()
    try:
        settings.DVCQG_BASE_URL = f"{url}/dvcqg/api"
        units = load_units()
        load_reference_data()
        load_staff(units)
        clerk = get_user_model().objects.get(username="motcua.huyen1")
        counter = units["H50.22.02"]
        procedure = Procedure.objects.filter(handling_units=counter).first()
        components = [ReceivedComponent(c.pk, c.copies) for c in procedure.components.all()]
        start = timezone.now() - timedelta(days=1)
        with forms_deferred():
            for i in range(N):
                receive_dossier(
                    actor=clerk,
                    procedure=procedure,
                    components=components,
                    applicant={"id_number": f"0140910{i:05d}", "name": "Lò Văn Sinh"},
                    at=start + timedelta(seconds=i),
                )
        ids = list(DossierSync.objects.values_list("pk", flat=True))
        messages = NationalMessage.objects.count()
        client = DvcqgClient()
        began = time.perf_counter()
        outcomes = [sync.deliver(pk, client=client) for pk in ids]
        subject = time.perf_counter() - began
        assert outcomes.count("synced") == len(ids), outcomes
        sample = list(NationalMessage.objects.order_by("pk")[:2])

        http = httpx.Client(timeout=10)
        session = http.post(
            f"{url}/dvcqg/api/LayToken",
            json={"username": settings.DVCQG_USERNAME, "password": settings.DVCQG_PASSWORD},
        ).json()["session"]
        bodies = []
        for i in range(messages):
            message = sample[i % 2]
            item = {**message.payload, "MaThongDiep": str(uuid.uuid4())}
            item["MaHoSo"] = f"REF-{i // 2}"
            body = {"session": session, "madonvi": settings.DVCQG_UNIT_CODE}
            body.update(service=message.service, data=[item])
            if message.service == "DongBoHoSoMC":
                body["isUpdating"] = "False"
            bodies.append(body)
        began = time.perf_counter()
        for body in bodies:
            answer = http.post(f"{url}/dvcqg/api/", json=body).json()
            assert answer["error_code"] == 0, answer
        reference = time.perf_counter() - began
    finally:
        proc.terminate()
        proc.wait(timeout=20)
    ratio = subject / reference
    return [
        {
            "name": "DVCQG outbox delivery (deliver per dossier, in order)",
            "subject_s": subject / messages,
            "reference_s": reference / messages,
            "unit": "message",
            "n": 1,
            "reference": "the counterpart's own acceptance, straight httpx posts, one session",
            "notes": (
                f"{messages} messages of {N} dossiers: {messages / subject:,.0f} msg/s sent "
                f"vs {messages / reference:,.0f} msg/s accepted; target ≤ 2× "
                f"({'met' if ratio <= 2 else 'NOT met'})"
            ),
        }
    ]
