"""The closing moment as a column (issue #16: a commune's monthly report read every dossier
its predecessors ever received, because "not closed before the period" was a COALESCE over
``finished_at``, the closing event and ``updated_at`` that no index bounds).

Filled with exactly what the report computed before (reporting/tables.py until this change):
``finished_at`` for a result or a decline, else the withdraw/refuse/stop event's moment, else
``updated_at`` — so every report, and every snapshot regenerated, stays the same. Then the check
constraint: a closed dossier has it, an unclosed one has not."""

from django.db import migrations, models
from django.db.models import OuterRef, Subquery
from django.db.models.functions import Coalesce

# The state groups as they stand at this migration (migrations must not import model code).
FINISHED = ["archived", "result_ready", "returned"]
EVENT_CLOSED = {"withdrawn": "withdraw", "refused": "refuse", "stopped": "stop"}
UNCLOSED = [
    "in_progress",
    "pending_approval",
    "received",
    "submitted",
    "supplement_requested",
]


def fill(apps, schema_editor):
    Dossier = apps.get_model("dossiers", "Dossier")
    DossierEvent = apps.get_model("dossiers", "DossierEvent")
    rows = Dossier.objects.using(schema_editor.connection.alias)
    rows.filter(state__in=[*FINISHED, "declined"]).update(
        closed_at=Coalesce("finished_at", "updated_at")
    )
    for state, action in EVENT_CLOSED.items():
        event = DossierEvent.objects.filter(dossier=OuterRef("pk"), action=action).order_by("at")
        rows.filter(state=state).update(
            closed_at=Coalesce(Subquery(event.values("at")[:1]), "updated_at")
        )


class Migration(migrations.Migration):
    dependencies = [
        ("dossiers", "0021_notification_queued"),
    ]

    operations = [
        migrations.AddField(
            model_name="dossier",
            name="closed_at",
            field=models.DateTimeField(
                blank=True, editable=False, null=True, verbose_name="thời điểm kết thúc"
            ),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="dossier",
            constraint=models.CheckConstraint(
                condition=models.Q(state__in=UNCLOSED, closed_at__isnull=True)
                | (~models.Q(state__in=UNCLOSED) & models.Q(closed_at__isnull=False)),
                name="closed_at_iff_closed",
                violation_error_message="Thời điểm kết thúc chỉ có ở hồ sơ đã kết thúc.",
            ),
        ),
    ]
