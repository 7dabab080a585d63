"""QĐ 766/QĐ-TTg, số hóa: "hồ sơ sử dụng dữ liệu dân cư" — dossiers received in a period
whose applicant was verified with CSDLQG về dân cư (integrations.PopulationCheck, verified) over
the dossiers received, per receiving unit, counted in SQL; :func:`verified_dossiers` gives the
dossiers behind the numerator. Citation: integrations/data/population.json (qd-766-2022,
unverified against the original text)."""

from dataclasses import dataclass

from django.db.models import Count, Q

from dossiers.models import Dossier

from .database import report_db

VERIFIED = Q(population_check__state="verified")


@dataclass(frozen=True)
class PopulationShare:
    unit_code: str
    unit_name: str
    received: int
    verified: int

    @property
    def rate(self) -> float | None:
        """Per cent, or None when nothing was received (not a zero that reads as a miss)."""
        return round(100 * self.verified / self.received, 1) if self.received else None


def received(units, period):
    """Dossiers received by ``units`` in ``period`` (also read by reporting/score766)."""
    return Dossier.objects.using(report_db()).filter(
        receiving_unit__in=units, received_at__gte=period.start, received_at__lt=period.until
    )


def population_data_share(units, period) -> list[PopulationShare]:
    """One row per receiving unit of ``units`` (a queryset of Unit) that received anything
    in ``period`` (with ``start`` and ``until``), in one query."""
    rows = (
        received(units, period)
        .values("receiving_unit__code", "receiving_unit__name")
        .annotate(received=Count("pk"), verified=Count("pk", filter=VERIFIED))
        .order_by("receiving_unit__code")
    )
    return [
        PopulationShare(
            r["receiving_unit__code"], r["receiving_unit__name"], r["received"], r["verified"]
        )
        for r in rows
    ]


def verified_dossiers(units, period):
    """The dossiers behind the numerator: received in ``period`` by ``units``, verified."""
    return received(units, period).filter(VERIFIED).order_by("received_at")
