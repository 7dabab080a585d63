"""Signals the dossiers app sends so that higher apps can follow its events without the
dossiers app importing them (design.md: arrows point one way)."""

from django.dispatch import Signal

# load_demo(units={code: Unit}): higher apps add their demo rows.
demo_loaded = Signal()
# On commit of a reception (dossier=, actor=, data=): the counter queue links the ticket being
# served; digitization records the reuse choices its reception panel posted. ``data`` is the
# reception form as posted (a QueryDict; empty when the dossier was not received from a form):
# receivers validate what they read there and never trust it.
dossier_received = Signal()
# On commit of a return to the applicant (dossier=, actor=, replay=): the archive packs it.
dossier_returned = Signal()

# Panels higher apps add to the dossier page (design.md: the higher app serves its panel at
# its own URL). Each entry is a URL name taking the dossier code; the page loads it with htmx.
# Register in AppConfig.ready(): ``hooks.DOSSIER_PANELS.append("digitization:dossier-scans")``.
DOSSIER_PANELS: list[str] = []

# Panels higher apps add to the reception form, inside it (their fields are posted with it and
# reach receivers of dossier_received as data=). Each entry is a URL name without arguments;
# the form loads it with ?procedure=<national code>&id_number=<typed ID>, again whenever the
# ID number changes. Register in AppConfig.ready() like DOSSIER_PANELS.
RECEPTION_PANELS: list[str] = []

# After a bulk write that skips save() (``bulk_create``, ``update``) of many rows of
# ``sender`` (a model), sent once for the lot (pks=): listeners that follow each save (the
# reports' cache) hear of the change once instead of once per row.
rows_changed = Signal()
