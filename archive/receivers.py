"""What the archive does when the dossiers app tells it something (arrows point archive →
dossiers: the dossiers app only sends signals)."""

import logging

from django.contrib.auth import get_user_model
from django.db.models.signals import pre_save
from django.dispatch import receiver

from dossiers.models import Procedure
from dossiers.roles import Role
from dossiers.signals import demo_loaded, dossier_returned

from .models import ArchiveRecord, RetentionChange
from .queries import archive_records
from .services import archive_returned, build_packages, request_archiving

logger = logging.getLogger(__name__)


@receiver(dossier_returned, dispatch_uid="archive-on-return")
def archive_on_return(sender, dossier, replay=False, **kwargs):
    """A returned dossier gets its archive record and its package (built by a task). In a
    bulk replay (demo, import) the record waits for the nightly pass instead of packing
    hundreds of dossiers in the replaying process. A failure here never reaches the clerk
    who returned it: the nightly pass catches up."""
    try:
        request_archiving(dossier.pk, enqueue_now=not replay)
    except Exception:
        logger.exception("archive: could not request archiving of %s", dossier.pk)


@receiver(pre_save, sender=Procedure, dispatch_uid="archive-retention-change")
def record_retention_change(sender, instance, raw=False, **kwargs):
    """A change of a procedure's retention period is itself recorded; it applies to records
    sealed afterwards (sealed records keep the period they were sealed with)."""
    if raw or instance.pk is None:
        return
    old = (
        Procedure.objects.filter(pk=instance.pk)
        .values("retention_years", "retention_permanent")
        .first()
    )
    if old is None:
        return
    new = {
        "retention_years": instance.retention_years,
        "retention_permanent": instance.retention_permanent,
    }
    if old != new:
        RetentionChange.objects.create(
            procedure=instance,
            old_years=old["retention_years"],
            old_permanent=old["retention_permanent"],
            new_years=new["retention_years"],
            new_permanent=new["retention_permanent"],
        )


DEMO_PACKAGES = 20
PER_ARCHIVIST = 5


@receiver(demo_loaded, dispatch_uid="archive-demo")
def archive_demo(sender, **kwargs):
    """The demo's returned and archived dossiers get their records; the most recently
    returned are packed now, so the demo shows sealed packages, the rest by the nightly pass
    (or ``manage.py archive_returned``). Each demo archivist's own area comes first: the
    latest returned overall change with the day the demo is loaded, and an archivist whose
    area had none of them would open nothing but records waiting for their package."""
    archive_returned(enqueue_now=False)
    pending = ArchiveRecord.objects.filter(state=ArchiveRecord.State.PENDING)
    ids = []
    for user in get_user_model().objects.filter(groups__name=Role.ARCHIVIST, is_active=True):
        own = archive_records(user).filter(state=ArchiveRecord.State.PENDING)
        ids += own.order_by("-returned_at", "-pk").values_list("pk", flat=True)[:PER_ARCHIVIST]
    latest = pending.exclude(pk__in=ids).order_by("-returned_at", "-pk")
    ids += latest.values_list("pk", flat=True)[: max(DEMO_PACKAGES - len(ids), 0)]
    try:
        build_packages(ids)  # each failure is logged and kept on its record
    except Exception:
        logger.exception("archive: demo packages failed")
