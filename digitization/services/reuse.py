"""Recording, at reception, which of the applicant's stored documents the clerk reused
instead of asking for the paper again (Nghị định 45/2020; feeds the reuse-rate indicator)."""

from django.db import transaction
from django.utils import timezone

from dossiers.models import AuditEvent
from dossiers.services.audit import record

from .. import queries
from ..models import ReuseChoice

FIELD = "reuse_{}"  # reuse_<procedure component id> = <stored document id>, posted by the panel


def record_reuse(dossier, *, actor, data) -> list[ReuseChoice]:
    """One ReuseChoice per valid stored document offered for a required reusable component
    of ``dossier``: reused when the posted form chose it. The offer is computed again here
    (holder, type, validity on the day of reception); a posted id that is not among the
    offers — another holder's, expired, another type, made up — is ignored. Idempotent."""
    holder = dossier.applicant.id_number
    received_on = timezone.localdate(dossier.received_at or timezone.now())
    offers = queries.reuse_offers(dossier.procedure, holder, received_on)
    if not any(docs for _, docs in offers):
        return []
    received = {c.component_id: c for c in dossier.components.all()}
    choices = []
    for component, docs in offers:
        target = received.get(component.pk)
        if target is None or not docs:
            continue
        posted = _posted(data, FIELD.format(component.pk))
        chosen = next((d for d in docs if str(d.pk) in posted), None)
        choices += [
            ReuseChoice(
                dossier=dossier, component=target, document=d, reused=d is chosen, chosen_by=actor
            )
            for d in docs
        ]
    with transaction.atomic():
        ReuseChoice.objects.bulk_create(choices, ignore_conflicts=True)
        record(
            AuditEvent.Kind.CHANGE,
            "dossier.reuse",
            actor=actor,
            target=dossier,
            data={
                "offered": [c.document_id for c in choices],
                "reused": [c.document_id for c in choices if c.reused],
            },
        )
    return choices


def _posted(data, name):
    if hasattr(data, "getlist"):
        values = data.getlist(name)
    else:
        value = data.get(name) if data else None
        values = value if isinstance(value, list) else [value]
    return {str(v).strip() for v in values if v not in (None, "")}
