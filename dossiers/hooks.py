"""Panels higher apps add to the dossiers app's pages, served by the higher app at its own
URL (design.md). The signals the app sends are in signals.py."""

# Panels on the dossier page. Each entry is a URL name taking the dossier code; the page
# loads it with htmx.
# Register in AppConfig.ready():
# ``hooks.DOSSIER_PANELS.append("digitization:dossier-scans")``.
DOSSIER_PANELS: list[str] = []

# Panels higher apps add to the reception form, inside it (their fields are posted with it and
# reach receivers of dossier_received as data=). Each entry is a URL name without arguments;
# the form loads it with ?procedure=<national code>&id_number=<typed ID>, again whenever the
# ID number changes. Register in AppConfig.ready() like DOSSIER_PANELS.
RECEPTION_PANELS: list[str] = []

# Checks higher apps run before a workflow action: callables ``(dossier, action_code)`` that
# may raise services.errors.WorkflowError (a Vietnamese message) to refuse it. The engine calls
# them inside the action's transaction, on the locked dossier, once the workflow table allows
# the action. Register in AppConfig.ready(): ``hooks.ACTION_GUARDS.append(guard)``.
ACTION_GUARDS: list = []

# Lines higher apps add to the public status page: callables ``(public_lookup.PublicStatus)``
# returning ``{"text", "url", "label"}`` (url and label may be empty) or None. The page is read
# in one query: a hook runs none of its own unless the dossier concerns it (e.g. fee_vnd > 0).
# Register like the others.
PUBLIC_STATUS_LINES: list = []
