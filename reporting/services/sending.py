"""Sending a report: freeze its numbers and the dossiers behind every cell, once.

A sent report never changes. Regenerating the same period later (data corrected, a dossier
finished late) is compared with the snapshot cell by cell (queries.snapshot_changes).
"""

from django.db import IntegrityError, transaction

from dossiers.models import AuditEvent
from dossiers.services.audit import record

from ..errors import ReportError
from ..measures import measure_all
from ..models import Snapshot
from ..periods import Period
from ..tables import cell_ids, monthly_table


def send_report(
    unit, period: Period, *, actor, scope=None, group_by="field", request=None
) -> Snapshot:
    """Freeze ``unit``'s table for ``period`` as sent by ``actor``. One transaction with the
    audit row; a period already sent is refused (its snapshot stays as it was)."""
    if not period.complete:
        raise ReportError(f"{period.label} chưa kết thúc: chỉ gửi báo cáo của kỳ đã qua.")
    if Snapshot.objects.filter(
        unit=unit, period_kind=period.kind, start=period.first, end=period.last, group_by=group_by
    ).exists():
        raise ReportError(
            f"Báo cáo {period.label.lower()} của {unit.name} đã gửi; "
            "số liệu đã gửi không thay đổi.",
            status=409,
        )
    table = monthly_table(unit, period, group_by=group_by, scope=scope)
    ids = cell_ids(unit, period, group_by=group_by, scope=scope)
    measures = measure_all(unit, period, scope=scope, table=table)
    try:
        with transaction.atomic():
            snapshot = Snapshot.objects.create(
                unit=unit,
                period_kind=period.kind,
                start=period.first,
                end=period.last,
                group_by=group_by,
                sent_by=actor,
                rows=[{"key": r.key, "label": r.label, "counts": r.counts} for r in table.rows],
                dossier_ids=ids,
                indicators=[m.as_dict() for m in measures],
            )
            record(
                AuditEvent.Kind.CHANGE,
                "report.send",
                actor=actor,
                target=snapshot,
                request=request,
                data={"unit": unit.code, "period": period.token},
            )
    except IntegrityError as exc:  # sent by someone else a moment ago
        raise ReportError("Báo cáo của kỳ này vừa được gửi.", status=409) from exc
    return snapshot
