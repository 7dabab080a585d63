"""Signals the dossiers app sends so that higher apps can follow its events without the
dossiers app importing them (design.md: arrows point one way). The app's own receivers are in
receivers.py; the panels higher apps add to its pages are in hooks.py."""

from django.dispatch import Signal

# load_demo(units={code: Unit}): higher apps add their demo rows.
demo_loaded = Signal()
# On commit of a reception (dossier=, actor=, data=): the counter queue links the ticket being
# served; digitization records the reuse choices its reception panel posted. ``data`` is the
# reception form as posted (a QueryDict; empty when the dossier was not received from a form):
# receivers validate what they read there and never trust it.
dossier_received = Signal()
# Inside the transaction that creates a dossier at the counter (services.receive_dossier) or
# online (services.submit_online), before Mẫu 01 is rendered (dossier=, actor=, data=): higher
# apps write the rows the receipt prints (hooks.RECEIPT_LINES). ``data`` is the posted form (a
# QueryDict, or {}): receivers validate it; raising WorkflowError refuses the whole dossier.
dossier_receiving = Signal()
# On commit of an online submission on the portal's own form (dossier=, request=): integrations
# checks the citizen signed in with VNeID against the population database.
dossier_submitted = Signal()
# On commit of a return to the applicant (dossier=, actor=, replay=): the archive packs it.
dossier_returned = Signal()

# After a bulk write that skips save() (``bulk_create``, ``update``) of many rows of
# ``sender`` (a model), sent once for the lot (pks=): listeners that follow each save (the
# reports' cache) hear of the change once instead of once per row.
rows_changed = Signal()
# Inside the transaction of services.reorganisation.apply_reorganisation (successor_of={ending
# unit id: successor Unit}, date=, basis=): higher apps move their own rows to the successors
# and return {"what": count} for the audit row; raising refuses the whole reorganisation.
units_reorganised = Signal()
