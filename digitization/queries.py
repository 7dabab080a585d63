"""Reads of the digitization app, scoped to the user's unit through dossiers' scoping."""

from django.db.models import Count, Prefetch, Q

from dossiers import queries as dossier_queries
from dossiers.models import Dossier

from .models import ReuseChoice, ScannedFile, ScannedPage, StoredDocument

STAFF_ROLES = {"clerk", "specialist", "leader", "archivist", "district_office", "admin"}
UPLOAD_ROLES = {"clerk", "specialist", "leader"}
SIGN_ROLES = {"clerk", "leader"}


def may(user, roles) -> bool:
    return bool(dossier_queries.user_roles(user) & roles)


def scoped_dossier(user, code) -> Dossier:
    """The dossier if it is in the user's scope; raises Dossier.DoesNotExist otherwise."""
    if not dossier_queries.CODE_SHAPE.match(code or ""):
        raise Dossier.DoesNotExist
    return dossier_queries.scoped_dossiers(user).select_related("receiving_unit").get(code=code)


def files_with_progress():
    return ScannedFile.objects.select_related("signed_copy").annotate(
        pages_done=Count("page_set"), doubtful=Count("page_set", filter=~Q(page_set__doubt=""))
    )


def with_doubts(files):
    """``files`` (of :func:`files_with_progress`), each given ``doubts``: [(page number, why)]
    of its doubtful pages — one query, and none when no file has any."""
    files = list(files)
    marked = [f.pk for f in files if f.doubtful]
    found: dict = {}
    if marked:
        pages = ScannedPage.objects.filter(file_id__in=marked).exclude(doubt="")
        for file_id, number, doubt in pages.order_by("number").values_list(
            "file_id", "number", "doubt"
        ):
            found.setdefault(file_id, []).append((number, doubt))
    for f in files:
        f.doubts = found.get(f.pk, [])
    return files


def dossier_scans(dossier):
    """The dossier's components, each with its files (and progress) and the stored documents
    reused for it at reception, and the result files, each file with its doubtful pages. Four
    queries whatever the numbers, and a fifth when a page is doubtful."""
    files = files_with_progress().filter(dossier=dossier).order_by("id")
    reused = ReuseChoice.objects.filter(reused=True).select_related("document__signed_copy")
    components = list(
        dossier.components.order_by("id").prefetch_related(
            Prefetch("scanned_files", queryset=files.filter(role="component"), to_attr="scans"),
            Prefetch("reuse_choices", queryset=reused, to_attr="reused"),
        )
    )
    loose = list(files.filter(role="component", component__isnull=True))
    results = list(files.filter(role="result"))
    with_doubts([*(f for c in components for f in c.scans), *loose, *results])
    return components, loose, results


def scoped_file(user, pk) -> ScannedFile:
    """A file the user may open: on a dossier in scope, or in the tray of the user's unit."""
    qs = ScannedFile.objects.select_related("dossier", "unit", "component")
    scanned = qs.get(pk=pk)
    if scanned.dossier_id is None:
        unit = dossier_queries.staff_unit(user)
        if unit is None or unit.pk != scanned.unit_id:
            raise ScannedFile.DoesNotExist
        return scanned
    if not dossier_queries.scoped_dossiers(user).filter(pk=scanned.dossier_id).exists():
        raise ScannedFile.DoesNotExist
    return scanned


def unassigned(user):
    unit = dossier_queries.staff_unit(user)
    if unit is None:
        return ScannedFile.objects.none()
    return files_with_progress().filter(unit=unit, dossier__isnull=True).order_by("-id")


def reusable_documents(holder_id, type_ids, today):
    """The applicant's stored documents of these types still valid on ``today`` (no end, or
    an end on or after it), newest first, with their signed copy."""
    if not holder_id or not type_ids:
        return StoredDocument.objects.none()
    return (
        StoredDocument.objects.filter(holder_id=holder_id, document_type_id__in=type_ids)
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=today))
        .select_related("signed_copy")
        .order_by("-issued_on", "-id")
    )


def reuse_offers(procedure, holder_id, today):
    """[(procedure component, [valid stored documents of its type])] for the procedure's
    required components whose kind of paper is reusable. Two queries."""
    components = [
        c for c in procedure.components.all() if c.required and c.reusable_type_id is not None
    ]
    docs = list(reusable_documents(holder_id, {c.reusable_type_id for c in components}, today))
    return [(c, [d for d in docs if d.document_type_id == c.reusable_type_id]) for c in components]
