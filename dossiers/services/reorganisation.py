"""A reorganisation of units (sắp xếp đơn vị hành chính): a legal text ends some units on a
date and names their successors. :func:`apply_reorganisation` moves what must move in one
audited transaction; history stays with the units of its day.

What moves: open dossiers (held by, or to be returned at, an ending unit) go to its successor
with a recorded hand-over (deadlines unchanged); staff accounts are reassigned; the higher apps
move their own rows (counter lines, unassigned scans) through ``signals.units_reorganised``,
inside the same transaction. What stays: closed dossiers, their receiving and handling units,
sent reports; the successor's staff read them because scoping follows successions
(queries.lineage).
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from .. import signals
from ..models import AuditEvent, Dossier, DossierEvent, StaffProfile, Succession, Unit
from ..queries import units_in_force
from ..workflow import OPEN_STATES
from . import audit
from .errors import WorkflowError

HANDOVER = "handover"


@dataclass
class Reorganised:
    """What :func:`apply_reorganisation` did (all zero and ``already_applied`` on a re-run)."""

    basis: str
    date: date
    ended: list[str] = field(default_factory=list)
    dossiers: int = 0
    staff: int = 0
    moved: dict[str, int] = field(default_factory=dict)  # higher apps' rows, by kind
    already_applied: bool = False


def apply_reorganisation(*, basis, date, mapping, kind=Succession.Kind.MERGED, actor=None):
    """End each unit of ``mapping`` (``{predecessor code: successor code}``) on the day before
    ``date`` by ``basis``, record the successions and hand everything open over.

    One transaction: either everything moves or nothing does (a refusal is a WorkflowError in
    Vietnamese naming the units at fault). Idempotent: when every succession of ``mapping``
    already exists with this date and basis, nothing is written and ``already_applied`` is set.
    Refused: an unknown code, a successor not in force on ``date``, a predecessor already ended
    by another text, a unit left in force under an ending unit without a successor of its own,
    a succession that would loop."""
    basis = (basis or "").strip()
    if not basis:
        raise WorkflowError("Cần ghi căn cứ sắp xếp (số, ngày văn bản).", field="basis")
    if not mapping:
        raise WorkflowError("Chưa có đơn vị nào được sắp xếp.", field="mapping")
    last_day = date - timedelta(days=1)
    with transaction.atomic():
        units = _locked_units(set(mapping) | set(mapping.values()))
        pairs = [(units[old], units[new]) for old, new in mapping.items()]
        if _already_applied(pairs, basis=basis, date=date):
            return Reorganised(basis, date, already_applied=True)
        _check(pairs, units, date=date, basis=basis)
        done = Reorganised(basis, date)
        for old, new in pairs:
            old.valid_to, old.ended_basis = last_day, basis
            old.save(update_fields=["valid_to", "ended_basis"])
            succession = Succession(
                predecessor=old, successor=new, kind=kind, date=date, basis=basis
            )
            succession.full_clean()
            succession.save()
            done.ended.append(old.code)
        successor_of = {old.pk: new for old, new in pairs}
        done.dossiers = _hand_over(successor_of, basis=basis, date=date, actor=actor)
        done.staff = _reassign_staff(successor_of, basis=basis, actor=actor)
        for _receiver, moved in signals.units_reorganised.send(
            apply_reorganisation, successor_of=successor_of, date=date, basis=basis
        ):
            for what, count in (moved or {}).items():
                done.moved[what] = done.moved.get(what, 0) + count
        audit.record(
            AuditEvent.Kind.CHANGE,
            "units.reorganise",
            actor=actor,
            reason=basis,
            data={
                "date": date.isoformat(),
                "kind": kind,
                "mapping": dict(mapping),
                "dossiers": done.dossiers,
                "staff": done.staff,
                "moved": done.moved,
            },
        )
    return done


def _locked_units(codes) -> dict[str, Unit]:
    units = {
        u.code: u
        for u in Unit.objects.select_for_update().select_related("level").filter(code__in=codes)
    }
    unknown = sorted(set(codes) - set(units))
    if unknown:
        raise WorkflowError(
            f"Không có đơn vị mã {', '.join(unknown)}: kiểm tra lại danh sách sắp xếp.",
            field="mapping",
        )
    return units


def _already_applied(pairs, *, basis, date) -> bool:
    existing = set(
        Succession.objects.filter(
            predecessor__in=[old for old, _ in pairs], date=date, basis=basis
        ).values_list("predecessor_id", "successor_id")
    )
    return existing == {(old.pk, new.pk) for old, new in pairs}


def _check(pairs, units, *, date, basis):
    last_day = date - timedelta(days=1)
    ending = {old.pk for old, _ in pairs}
    for old, new in pairs:
        if new.pk in ending:
            raise WorkflowError(
                f"«{new.name}» cũng chấm dứt trong đợt sắp xếp này, không thể kế thừa "
                f"«{old.name}».",
                field="mapping",
            )
        if not new.in_force(date):
            raise WorkflowError(
                f"Đơn vị kế thừa «{new.name}» chưa có hiệu lực vào ngày {date:%d/%m/%Y}.",
                field="mapping",
            )
        if old.valid_to is not None and (old.valid_to != last_day or old.ended_basis != basis):
            raise WorkflowError(
                f"«{old.name}» đã chấm dứt ngày {old.valid_to:%d/%m/%Y} theo "
                f"{old.ended_basis or 'một văn bản khác'}.",
                field="mapping",
            )
        if old.valid_from is not None and old.valid_from > last_day:
            raise WorkflowError(
                f"«{old.name}» chỉ có hiệu lực từ {old.valid_from:%d/%m/%Y}.", field="mapping"
            )
    # In force on the last day and not ending with it: left standing under an ending unit.
    orphans = (
        units_in_force(last_day)
        .exclude(valid_to=last_day)
        .filter(_under_any(old for old, _ in pairs))
        .exclude(pk__in=ending)
        .order_by("path")
    )
    names = [u.name for u in orphans[:5]]
    if names:
        raise WorkflowError(
            "Các đơn vị sau thuộc đơn vị chấm dứt nhưng chưa có đơn vị kế thừa: "
            + "; ".join(names)
            + ".",
            field="mapping",
        )


def _under_any(units) -> Q:
    condition = Q(pk__in=[])
    for unit in units:
        condition |= Q(path__startswith=unit.path)
    return condition


def _hand_over(successor_of, *, basis, date, actor) -> int:
    """Open dossiers held by or returned at an ending unit go to its successor: one hand-over
    row each (state unchanged, deadlines unchanged)."""
    ending = list(successor_of)
    dossiers = list(
        Dossier.objects.select_for_update()
        .filter(state__in=OPEN_STATES)
        .filter(
            Q(current_unit__in=ending)
            | Q(return_unit__in=ending)
            | Q(successor_counter__in=ending)
            | Q(successor_counter__isnull=True, receiving_unit__in=ending)
        )
        .order_by("pk")
    )
    now = timezone.now()
    events, rows = [], []
    fields = ["current_unit", "successor_counter", "return_unit"]
    for dossier in dossiers:
        before = {name: getattr(dossier, f"{name}_id") for name in fields}
        if (holder := successor_of.get(dossier.current_unit_id)) is not None:
            dossier.current_unit = holder
        if (counter := successor_of.get(dossier.counter_unit_id)) is not None:
            dossier.successor_counter = counter
        if (collect := successor_of.get(dossier.return_unit_id)) is not None:
            dossier.return_unit = collect
        events.append(
            DossierEvent(
                dossier=dossier,
                action=HANDOVER,
                from_state=dossier.state,
                to_state=dossier.state,
                at=now,
                actor=actor if getattr(actor, "is_authenticated", False) else None,
                from_unit_id=before["current_unit"],
                to_unit_id=dossier.current_unit_id,
                note=f"Bàn giao theo {basis}, từ ngày {date:%d/%m/%Y}.",
            )
        )
        after = {name: getattr(dossier, f"{name}_id") for name in fields}
        rows.append(
            audit.build(
                AuditEvent.Kind.CHANGE,
                "dossier.handover",
                actor=actor,
                target=dossier,
                reason=basis,
                unit=Unit(pk=dossier.current_unit_id),
                data={
                    k: {"old": before[k], "new": after[k]} for k in fields if before[k] != after[k]
                },
            )
        )
    Dossier.objects.bulk_update(dossiers, fields)
    created = DossierEvent.objects.bulk_create(events)
    AuditEvent.objects.bulk_create(rows)
    signals.rows_changed.send(DossierEvent, pks=[e.pk for e in created])
    signals.rows_changed.send(Dossier, pks=[d.pk for d in dossiers])
    return len(dossiers)


def _reassign_staff(successor_of, *, basis, actor) -> int:
    profiles = list(
        StaffProfile.objects.select_for_update()
        .select_related("user")
        .filter(unit__in=list(successor_of))
    )
    rows = []
    for profile in profiles:
        old = profile.unit_id
        profile.unit = successor_of[old]
        rows.append(
            audit.build(
                AuditEvent.Kind.CHANGE,
                "staff.reassign",
                actor=actor,
                target=profile.user,
                reason=basis,
                unit=profile.unit,
                data={"unit": {"old": old, "new": profile.unit_id}},
            )
        )
    StaffProfile.objects.bulk_update(profiles, ["unit"])
    AuditEvent.objects.bulk_create(rows)
    return len(profiles)
