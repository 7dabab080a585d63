"""API v1 of the dossiers app: the catalogue (read) and dossiers (scoped, with actions)."""

from .catalogue import FieldViewSet, ProcedureViewSet, UnitViewSet
from .dossiers import DossierViewSet


def register(router):
    router.register("units", UnitViewSet, basename="unit")
    router.register("fields", FieldViewSet, basename="field")
    router.register("procedures", ProcedureViewSet, basename="procedure")
    router.register("dossiers", DossierViewSet, basename="dossier")
