"""A procedure's rules (time, fee, components) as a comparable snapshot, and the revision
that records a change of them with its effective date. Both catalogue loaders (our JSON,
services.catalogue; the national portal's files, services.national_import) go through here,
so "what counts as a change of rules" lives in one place."""

from datetime import date

from django.db import transaction
from django.utils import timezone

from ..models import DocumentType, Procedure, ProcedureComponent, ProcedureRevision

TIME_FIELDS = ("time_kind", "working_days", "calendar_days", "same_day_cutoff")
FEE_FIELDS = ("fee_vnd", "fee_note", "fee_basis")
# The parts of a component that make it another rule; its reusable type is the catalogue's
# own link to the applicant's store, kept across imports and never a change of the rules.
COMPONENT_KEYS = ("name", "form", "copies", "required")
GROUP_LABELS = {"time": "thời hạn", "fee": "phí, lệ phí", "components": "thành phần hồ sơ"}


def snapshot(procedure: Procedure) -> dict:
    """The procedure's current rules as plain values (one query for the components)."""
    rules = {name: getattr(procedure, name) for name in (*TIME_FIELDS, *FEE_FIELDS)}
    rules["components"] = [
        {
            "name": c.name,
            "form": c.form,
            "copies": c.copies,
            "required": c.required,
            "reusable_type": c.reusable_type.code if c.reusable_type_id else None,
        }
        for c in procedure.components.select_related("reusable_type").order_by("order", "id")
    ]
    return rules


def _comparable(components):
    return [tuple(c.get(k) for k in COMPONENT_KEYS) for c in components]


def changed_groups(old: dict | None, new: dict) -> list[str]:
    """Which of time, fee and components differ between two snapshots (all, for a new one)."""
    if old is None:
        return list(GROUP_LABELS)
    groups = []
    if any(old.get(f) != new.get(f) for f in TIME_FIELDS):
        groups.append("time")
    if any((old.get(f) or None) != (new.get(f) or None) for f in FEE_FIELDS):
        groups.append("fee")
    if _comparable(old["components"]) != _comparable(new["components"]):
        groups.append("components")
    return groups


def record_revision(
    procedure, old: dict | None, new: dict, *, effective_from: date | None, basis="", actor=None
) -> list[str]:
    """Record ``new`` as the procedure's rules from ``effective_from`` when they differ from
    ``old`` (None: a new procedure). The first change of a procedure that had no revision
    first keeps ``old`` as its undated baseline, so dossiers received before keep it. A
    second import for the same day updates that day's row (one set of rules per day).
    Returns the changed groups. Call inside the loader's transaction."""
    groups = changed_groups(old, new)
    has_any = procedure.revisions.exists()
    if not groups:
        if not has_any:  # unchanged, never recorded: today's rules become the baseline
            _write(procedure, new, None, ["baseline"], basis, actor)
        return []
    if old is not None and not has_any:
        _write(procedure, old, None, ["baseline"], "Quy định trước lần nhập này.", actor)
    _write(procedure, new, effective_from, groups, basis, actor)
    return groups


def _write(procedure, rules, effective_from, groups, basis, actor):
    values = {name: rules.get(name) for name in (*TIME_FIELDS, *FEE_FIELDS)}
    values["fee_note"] = values["fee_note"] or ""
    values["fee_basis"] = values["fee_basis"] or ""
    values.update(components=rules["components"], changed=groups, basis=basis, imported_by=actor)
    # Rules already in force are the procedure's own by now (the loaders apply them at once).
    due = effective_from is None or effective_from <= timezone.localdate()
    values["applied_at"] = timezone.now() if due else None
    ProcedureRevision.objects.update_or_create(
        procedure=procedure, effective_from=effective_from, defaults=values
    )


@transaction.atomic
def apply_revisions_due(day: date | None = None) -> int:
    """Make each revision whose day has come (and that was never applied) its procedure's own
    fields and components: the pages then show the rules in force. Idempotent; returns how
    many were applied. Reception does not wait for it: it reads ``rules_on(day)`` itself."""
    day = day or timezone.localdate()
    due = (
        ProcedureRevision.objects.select_for_update(of=("self",))
        .filter(applied_at__isnull=True, effective_from__lte=day)
        .select_related("procedure")
        .order_by("procedure_id", "effective_from")
    )
    latest = {revision.procedure_id: revision for revision in due}  # the last one wins
    for revision in latest.values():
        rules = {name: getattr(revision, name) for name in (*TIME_FIELDS, *FEE_FIELDS)}
        apply_rules(revision.procedure, {**rules, "components": revision.components})
    ProcedureRevision.objects.filter(pk__in=[r.pk for r in due]).update(applied_at=timezone.now())
    return len(latest)


def apply_rules(procedure, rules: dict) -> None:
    """Make ``rules`` the procedure's current fields and components (already validated).
    A component whose name is unchanged keeps its reusable type when ``rules`` names none."""
    for name in (*TIME_FIELDS, *FEE_FIELDS):
        setattr(
            procedure,
            name,
            rules.get(name) if name not in ("fee_note", "fee_basis") else rules.get(name) or "",
        )
    procedure.save()
    kept = {c.name: c.reusable_type_id for c in procedure.components.all()}
    codes = {c.get("reusable_type") for c in rules["components"]} - {None}
    types = dict(DocumentType.objects.filter(code__in=codes).values_list("code", "pk"))
    procedure.components.all().delete()
    ProcedureComponent.objects.bulk_create(
        ProcedureComponent(
            procedure=procedure,
            order=order,
            name=c["name"],
            form=c["form"],
            copies=c["copies"],
            required=c["required"],
            reusable_type_id=types.get(c.get("reusable_type")) or kept.get(c["name"]),
        )
        for order, c in enumerate(rules["components"], start=1)
    )
