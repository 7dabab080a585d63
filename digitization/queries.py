"""Reads of the digitization app, scoped to the user's unit through dossiers' scoping."""

from django.db.models import Count, Prefetch

from dossiers import queries as dossier_queries
from dossiers.models import Dossier

from .models import ScannedFile

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
    return ScannedFile.objects.select_related("signed_copy").annotate(pages_done=Count("page_set"))


def dossier_scans(dossier):
    """The dossier's components, each with its files (and progress), and the result files.
    Three queries whatever the number of files."""
    files = files_with_progress().filter(dossier=dossier).order_by("id")
    components = list(
        dossier.components.order_by("id").prefetch_related(
            Prefetch("scanned_files", queryset=files.filter(role="component"), to_attr="scans")
        )
    )
    loose = list(files.filter(role="component", component__isnull=True))
    results = list(files.filter(role="result"))
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


def any_working(files) -> bool:
    return any(f.state in (ScannedFile.State.PENDING, ScannedFile.State.PROCESSING) for f in files)
