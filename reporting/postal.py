"""The postal share of a unit and period (bưu chính công ích, Quyết định 45/2016/QĐ-TTg):
dossiers received by post / all received, results returned by post (the postal service
reported the hand-over) / all returned — one aggregate query, and the dossiers behind each
number. Names and sources: reporting/data/postal.json. In the monthly table a dossier
received by post is "trực tiếp, bưu chính" (reporting/tables.py: every channel not online)."""

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.db.models import Count, Exists, OuterRef, Q

from dossiers.models import Channel, Dossier
from integrations.models import Shipment

from .database import report_db
from .tables import report_units

DATA = Path(__file__).resolve().parent / "data" / "postal.json"
WHICH = ("received_by_post", "returned_by_post")


@cache
def about() -> dict:
    return json.loads(DATA.read_text(encoding="utf-8"))


def _rate(part, whole):
    return round(100 * part / whole, 1) if whole else None


@dataclass(frozen=True)
class PostalShare:
    received: int
    received_by_post: int
    returned: int
    returned_by_post: int

    @property
    def received_rate(self) -> float | None:
        return _rate(self.received_by_post, self.received)

    @property
    def returned_rate(self) -> float | None:
        return _rate(self.returned_by_post, self.returned)


def _conditions(period):
    received = Q(received_at__gte=period.start, received_at__lt=period.until)
    returned = Q(returned_at__gte=period.start, returned_at__lt=period.until)
    return {
        "received": received,
        "received_by_post": received & Q(channel=Channel.POST),
        "returned": returned,
        "returned_by_post": returned & Q(delivered_by_post=True),
    }


def _dossiers(unit, period, scope):
    delivered = Shipment.objects.filter(dossier=OuterRef("pk"), delivered_at__isnull=False)
    return (
        Dossier.objects.using(report_db())
        .filter(receiving_unit__in=report_units(unit, scope, period).values("pk"))
        .annotate(delivered_by_post=Exists(delivered))
    )


def postal_share(unit, period, *, scope=None) -> PostalShare:
    """The four counts of ``unit``'s sub-tree (within ``scope``) for ``period``."""
    counts = _dossiers(unit, period, scope).aggregate(
        **{name: Count("pk", filter=cond) for name, cond in _conditions(period).items()}
    )
    return PostalShare(**counts)


def postal_dossiers(unit, period, which, *, scope=None):
    """The dossiers behind one number (``received_by_post`` or ``returned_by_post``)."""
    if which not in WHICH:
        raise ValueError(f"Không có nhóm hồ sơ «{which}».")
    rows = _dossiers(unit, period, scope).filter(_conditions(period)[which])
    return rows.select_related("procedure", "applicant").order_by("received_at", "pk")
