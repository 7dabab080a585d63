"""Dossier codes: ``<unit code>-<yymmdd>-<4-digit sequence>``, gap-free per unit per day."""

from datetime import date

from ..models import DossierCounter, Unit


def allot_code(unit: Unit, day: date) -> str:
    """The next code of ``unit`` on ``day``. Call inside the transaction that saves the dossier:
    the counter row stays locked until it commits, and a rollback returns the number."""
    DossierCounter.objects.bulk_create([DossierCounter(unit=unit, day=day)], ignore_conflicts=True)
    counter = DossierCounter.objects.select_for_update().get(unit=unit, day=day)
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"{unit.code}-{day:%y%m%d}-{counter.last:04d}"
