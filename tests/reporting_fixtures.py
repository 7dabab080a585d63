"""A known March 2025 at the district counter (six dossiers whose every cell is known), and
helpers to walk a dossier to its result; imported by the reporting tests."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from dossiers import services
from dossiers.models import Dossier
from dossiers.services.engine import forms_deferred

from .factories import staff
from .workflow_fixtures import receive

ZONE = ZoneInfo("Asia/Ho_Chi_Minh")


def at(day, hour=9):
    """A local moment in 2025: at("03-04") is 4 March 2025, 09:00."""
    month, dom = (int(x) for x in day.split("-"))
    return datetime(2025, month, dom, hour, 0, tzinfo=ZONE)


def finish(d, dossier, day, *, returned=None):
    """Hand over to Tư pháp, propose and approve on ``day`` (the finish moment)."""
    services.assign(dossier.pk, actor=d["clerk"], at=at(day, 8))
    services.propose_result(dossier.pk, actor=d["specialist"], at=at(day, 9))
    services.approve(dossier.pk, actor=d["leader"], at=at(day, 10))
    if returned:
        services.return_result(dossier.pk, actor=d["clerk"], at=at(returned, 10))


@pytest.fixture
def march(district):
    """Six dossiers at the district counter around March 2025 (procedure: 3 working days).

    A received 26/2, finished 3/3 (its due day)      -> carried over, on time
    B received 4/3, finished 5/3                     -> new direct, early
    C received 10/3 online, finished 20/3 (due 13/3) -> new online, late
    D received 12/3 (due 17/3), finished 2/4         -> in progress overdue at 31/3; late in April
    E received 20/3, withdrawn 21/3                  -> withdrawn
    F received 27/3 (due 1/4), still open            -> in progress within its deadline at 31/3
    """
    d = district
    with forms_deferred():
        a = receive(d, at=at("02-26"))
        b = receive(d, at=at("03-04"))
        c = receive(d, at=at("03-10"))
        Dossier.objects.filter(pk=c.pk).update(channel="online")
        dd = receive(d, at=at("03-12"))
        e = receive(d, at=at("03-20"))
        f = receive(d, at=at("03-27"))
        finish(d, a, "03-03", returned="03-04")
        finish(d, b, "03-05")
        finish(d, c, "03-20", returned="03-21")
        services.withdraw(e.pk, actor=d["clerk"], reason="Công dân xin rút", at=at("03-21"))
        services.assign(f.pk, actor=d["clerk"], at=at("03-28"))
        finish(d, dd, "04-02")
    d.update(a=a, b=b, c=c, d=dd, e=e, f=f)
    d["office"] = staff(d["counter"].parent, "district_office", username="vanphong")
    return d
