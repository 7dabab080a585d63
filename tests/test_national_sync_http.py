"""The DVCQG sync over real HTTP (issue #18): the portal's outbox, a real Celery worker on the
``national`` queue, Redis, PostgreSQL and the local counterpart process — its port closed for
an outage, a worker killed with SIGKILL mid-send, a message the platform rejects."""

import time
from collections import Counter
from datetime import timedelta

import pytest
from django.utils import timezone

from dossiers.models import Dossier
from dossiers.services.engine import forms_deferred
from integrations.adapters.dvcqg import DvcqgClient
from integrations.models import DossierSync, NationalMessage

from .national_fixtures import sweep_until_synced
from .test_reception_workflow import walk
from .workflow_fixtures import receive

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def clean(counterpart, national_worker):
    counterpart.control("POST", "reset")
    yield counterpart
    counterpart.control("POST", "faults", json={"mode": "none"})
    if counterpart.proc is None:
        counterpart.start()


def recorded(counterpart, dossier):
    return counterpart.control("GET", "messages", params={"mahoso": dossier.code})


def test_a_dossier_and_each_step_reach_the_platform_in_order(clean, district):
    dossier = receive(district, at=timezone.now() - timedelta(days=1))
    assert sweep_until_synced([dossier.pk]) == {}
    clean.control("POST", "expire-sessions")  # the adapter asks for a new session itself
    dossier = walk(district, dossier, dossier.received_at)
    assert sweep_until_synced([dossier.pk]) == {}
    got = recorded(clean, dossier)
    ours = list(NationalMessage.objects.filter(sync__dossier=dossier).order_by("seq"))
    assert [m["MaThongDiep"] for m in got] == [str(m.message_id) for m in ours]
    assert [m["service"] for m in got][:2] == ["DongBoHoSoMC", "CapNhatTienDoHoSoMC"]
    assert not any(m["out_of_order"] for m in got)
    assert got[-1]["payload"]["TrangThaiHoSo"] == "10"
    stats = clean.control("GET", "stats")
    assert (stats["accepted"], stats["duplicates"], stats["rejected"]) == (len(ours), 0, 0)
    assert all(m.state == "sent" and m.attempts == 1 for m in ours)


def test_an_outage_while_200_dossiers_are_received_loses_nothing_and_repeats_nothing(
    clean, district, monkeypatch
):
    calls = Counter()
    original = DvcqgClient.send

    def counted(self, *args, **kwargs):
        calls["send"] += 1
        return original(self, *args, **kwargs)

    monkeypatch.setattr(DvcqgClient, "send", counted)  # in this (the clerks') process only
    clean.stop()  # the platform's port is closed
    with forms_deferred():
        dossiers = [receive(district) for _ in range(200)]
    ids = [d.pk for d in dossiers]
    assert calls["send"] == 0  # no clerk's request waited on the platform
    assert Dossier.objects.filter(pk__in=ids, state="received").count() == 200
    # The worker meets the outage: attempts fail and wait, the circuit opens.
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        tried = NationalMessage.objects.filter(sync__dossier_id__in=ids, attempts__gte=1)
        if tried.exclude(last_error="").count() >= 5:
            break
        time.sleep(0.5)
    failed = NationalMessage.objects.filter(sync__dossier_id__in=ids).exclude(last_error="")
    assert failed.exists() and not NationalMessage.objects.filter(state="sent").exists()
    reasons = set(failed.values_list("last_error", flat=True))
    assert any("Không kết nối được Cổng DVCQG" in r for r in reasons), reasons
    assert DossierSync.objects.filter(dossier_id__in=ids, state="pending").count() == 200
    time.sleep(5)  # the outage goes on while the worker keeps backing off
    clean.start()
    assert sweep_until_synced(ids, timeout=300) == {}
    stats = clean.control("GET", "stats")
    assert stats["accepted"] == 400 and stats["rejected"] == 0
    assert stats["out_of_order"] == []
    # Exactly once: every message of ours is recorded once, the dossier's first.
    got = clean.control("GET", "messages")
    assert len(got) == len({m["MaThongDiep"] for m in got}) == 400
    by_dossier = {}
    for m in got:
        by_dossier.setdefault(m["MaHoSo"], []).append(m["service"])
    assert len(by_dossier) == 200
    assert all(v == ["DongBoHoSoMC", "CapNhatTienDoHoSoMC"] for v in by_dossier.values())
    retried = NationalMessage.objects.filter(sync__dossier_id__in=ids, attempts__gte=2).count()
    assert retried >= 1 and stats["duplicates"] == 0


def test_a_worker_killed_mid_send_sends_nothing_twice_that_counts_twice(
    clean, district, national_worker
):
    # The platform answers the next request after 6 s; the worker dies while it waits.
    clean.control("POST", "faults", json={"mode": "slow", "delay_seconds": 6, "count": 1})
    dossier = receive(district)
    deadline = time.monotonic() + 30
    while not NationalMessage.objects.filter(sync__dossier=dossier, attempts=1).exists():
        assert time.monotonic() < deadline, "the worker never took the message"
        time.sleep(0.2)
    time.sleep(1)
    national_worker.kill()
    time.sleep(7)  # the platform has answered into the void, and recorded the message
    first = NationalMessage.objects.get(sync__dossier=dossier, seq=1)
    assert first.state == "pending"  # our side never heard the answer
    national_worker.start()
    assert sweep_until_synced([dossier.pk], timeout=120) == {}
    first.refresh_from_db()
    assert first.state == "sent" and first.duplicate and first.attempts == 2
    got = recorded(clean, dossier)
    assert [m["service"] for m in got] == ["DongBoHoSoMC", "CapNhatTienDoHoSoMC"]
    stats = clean.control("GET", "stats")
    assert stats["accepted"] == 2 and stats["duplicates"] == 1


def test_a_rejected_dossier_waits_for_a_person_then_goes(clean, district, client):
    procedure = district["procedure"]
    procedure.national_code = ""  # the platform needs MaTTHC
    procedure.save()
    dossier = receive(district)
    deadline = time.monotonic() + 60
    state = None
    while time.monotonic() < deadline:
        state = DossierSync.objects.get(dossier=dossier)
        if state.state == "error":
            break
        time.sleep(0.3)
    assert state.state == "error" and "MaTTHC" in state.last_error, state.last_error
    attempts = NationalMessage.objects.get(sync=state, seq=1).attempts
    sweep_until_synced([dossier.pk], timeout=6)  # the sweeper leaves it alone
    assert NationalMessage.objects.get(sync=state, seq=1).attempts == attempts
    assert recorded(clean, dossier) == []
    procedure.national_code = "1.000894"
    procedure.save()
    client.force_login(district["clerk"])
    client.post(f"/dong-bo/ho-so/{dossier.code}/gui-lai/")
    assert sweep_until_synced([dossier.pk]) == {}
    got = recorded(clean, dossier)
    assert got[0]["payload"]["MaTTHC"] == "1.000894" and len(got) == 2
