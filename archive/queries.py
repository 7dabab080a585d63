"""Reads of the archive shared by pages, the API and tasks, scoped to the user.

Archive roles (archivist, leader, district office, admin) see the records of every dossier
received in their area (an agency's district, a commune itself); anyone else sees the
records of the dossiers their unit received, handled or was handed (dossiers.queries).
"""

from django.db.models import CharField, OuterRef, Q, Subquery
from django.db.models.functions import Cast
from django.utils import timezone

from core.filters import on_days
from digitization.models import ScannedFile
from digitization.search import dossiers_with_word
from dossiers.models import AuditEvent, Dossier, DossierEvent
from dossiers.queries import scoped_dossiers, staff_unit, user_roles
from dossiers.roles import Role
from dossiers.services.access import access_action_name
from dossiers.text import fold

from .models import ArchiveRecord, DisposalBatch, FixityCheck

ARCHIVE_ROLES = frozenset({Role.ARCHIVIST, Role.LEADER, Role.DISTRICT_OFFICE, Role.ADMIN})
RS = ArchiveRecord.State


def area_of(user):
    """The administrative area whose archive the user works on, or None."""
    unit = staff_unit(user)
    if unit is None:
        return None
    return unit.area() or unit


def has_archive_role(user) -> bool:
    return bool(user_roles(user) & set(ARCHIVE_ROLES))


def is_archivist(user) -> bool:
    return Role.ARCHIVIST.value in user_roles(user)


def archive_records(user):
    """Records the user may see (any state)."""
    area = area_of(user)
    if area is None:
        return ArchiveRecord.objects.none()
    if has_archive_role(user):
        return ArchiveRecord.objects.filter(unit__path__startswith=area.path)
    return ArchiveRecord.objects.filter(dossier__in=scoped_dossiers(user))


def record_search(
    user,
    *,
    text="",
    code="",
    applicant="",
    procedure=None,
    returned_from=None,
    returned_to=None,
    state="",
):
    """The user's records matching every filter given; each word of ``text`` is looked for in
    the folded words of the record or in the OCR text of its scans ("bac yen" finds "Bắc
    Yên"), the latter through digitization's page index (the text is not copied here)."""
    qs = archive_records(user).select_related("procedure", "unit")
    if code.strip():
        qs = qs.filter(code__icontains=code.strip())
    if applicant.strip():
        for word in fold(applicant).split():
            qs = qs.filter(search__text__contains=word)
    for word in fold(text).split():
        qs = qs.filter(Q(search__text__contains=word) | Q(dossier__in=dossiers_with_word(word)))
    if procedure is not None:
        qs = qs.filter(procedure=procedure)
    qs = qs.filter(on_days("returned_at", returned_from, returned_to))
    if state:
        qs = qs.filter(state=state)
    return qs.order_by("-returned_at", "-id")


def in_dossier_units(user, dossier) -> bool:
    """Whether the user's unit received, holds or was handed the dossier: such a reader needs
    no stated reason to open its archive record."""
    unit = staff_unit(user)
    if unit is None:
        return False
    if unit.pk in (
        dossier.receiving_unit_id,
        dossier.counter_unit_id,
        dossier.return_counter_id,
        dossier.current_unit_id,
    ):
        return True
    return DossierEvent.objects.filter(dossier_id=dossier.pk, to_unit=unit).exists()


def may_retry(user, record) -> bool:
    """The archivist of the area, or a clerk of the counter that returned the dossier."""
    unit = staff_unit(user)
    if unit is None:
        return False
    if is_archivist(user):
        area = area_of(user)
        return record.unit.path.startswith(area.path)
    return Role.CLERK.value in user_roles(user) and unit.pk == record.unit_id


def expired_records(user, today=None):
    """Sealed records of the user's area past their retention (permanent ones never)."""
    today = today or timezone.localdate()
    return (
        archive_records(user)
        .filter(state=RS.SEALED, retention_permanent=False, retention_until__lt=today)
        .select_related("procedure")
        .order_by("retention_until", "id")
    )


def disposal_batches(user):
    area = area_of(user)
    if area is None or not has_archive_role(user):
        return DisposalBatch.objects.none()
    return DisposalBatch.objects.filter(area__path__startswith=area.path).select_related(
        "area", "proposed_by", "decided_by"
    )


def fixity_problems(user):
    """The latest failed check of each record whose package is not intact now (a subquery
    per record, not DISTINCT ON: the embedded mode's SQLite has none)."""
    records = archive_records(user).filter(fixity_ok=False, state__in=(RS.SEALED, RS.PROPOSED))
    latest = FixityCheck.objects.filter(record=OuterRef("record"), ok=False).order_by(
        "-checked_at", "-id"
    )
    return (
        FixityCheck.objects.filter(record__in=records, pk=Subquery(latest.values("pk")[:1]))
        .select_related("record")
        .order_by("record_id")
    )


def failed_packages(user):
    return archive_records(user).filter(state=RS.FAILED).order_by("-id")


def access_log(
    user, *, actor="", code="", action="", date_from=None, date_to=None, outside_only=False
):
    """Reads of archived records and downloads of citizens' documents (audit rows of kind
    ACCESS) about dossiers of the user's area, newest first."""
    area = area_of(user)
    if area is None or not has_archive_role(user):
        return AuditEvent.objects.none()

    area_dossiers = Dossier.objects.filter(receiving_unit__path__startswith=area.path)
    ids = area_dossiers.annotate(key=Cast("pk", CharField())).values("key")
    scans = ScannedFile.objects.filter(dossier__in=area_dossiers)
    scan_ids = scans.annotate(key=Cast("pk", CharField())).values("key")
    qs = AuditEvent.objects.filter(kind=AuditEvent.Kind.ACCESS).filter(
        Q(object_type="dossiers.dossier", object_id__in=ids)
        | Q(object_type="digitization.scannedfile", object_id__in=scan_ids)
        | Q(unit__path__startswith=area.path)
    )
    if actor.strip():
        qs = qs.filter(actor_name__icontains=actor.strip())
    if code.strip():
        code = code.strip().upper()
        match = Dossier.objects.filter(code=code).values_list("pk", flat=True)
        qs = qs.filter(
            Q(object_type="dossiers.dossier", object_id__in=[str(pk) for pk in match])
            | Q(object_type="digitization.scannedfile", data__dossier=code)
        )
    if action:
        qs = qs.filter(action=action)
    qs = qs.filter(on_days("at", date_from, date_to))
    if outside_only:
        qs = qs.exclude(reason="")
    return qs.select_related("unit", "actor").order_by("-at", "-id")


def _dossier_id(row):
    if row.object_type == "dossiers.dossier" and row.object_id.isdigit():
        return int(row.object_id)
    return None


def in_words(rows):
    """The log's rows (a page of them), each given ``action_name`` (Vietnamese), ``code``
    (the dossier's or the record's code, never a database id) and ``who`` (the person's
    name and account): one query for the dossiers' codes, whatever the page's length."""
    rows = list(rows)
    ids = {r.pk: _dossier_id(r) for r in rows}
    wanted = [pk for pk in ids.values() if pk is not None]
    codes = dict(Dossier.objects.filter(pk__in=wanted).values_list("pk", "code")) if wanted else {}
    for r in rows:
        data = r.data or {}
        r.action_name = access_action_name(r.action)
        r.code = codes.get(ids[r.pk]) or data.get("dossier") or data.get("code") or ""
        name = f"{r.actor.last_name} {r.actor.first_name}".strip() if r.actor else ""
        r.who = f"{name} ({r.actor_name})" if name else r.actor_name
    return rows
