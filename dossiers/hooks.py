"""Panels higher apps add to the dossiers app's pages, served by the higher app at its own
URL (design.md). The signals the app sends are in signals.py."""

# Panels on the dossier page. Each entry is a URL name taking the dossier code; the page
# loads it with htmx.
# Register in AppConfig.ready():
# ``hooks.DOSSIER_PANELS.append("digitization:dossier-scans")``.
DOSSIER_PANELS: list[str] = []

# Panels higher apps add to the reception form, inside it (their fields are posted with it and
# reach receivers of dossier_received as data=). Each entry is a URL name without arguments;
# the form POSTs its fields to it (procedure, id_number, the panels' own ticks — read them with
# panel_fields), again whenever the ID number changes: an identity number never goes into a
# URL or an access log. Register in AppConfig.ready() like DOSSIER_PANELS.
RECEPTION_PANELS: list[str] = []


def panel_fields(request):
    """The reception form's fields as a panel receives them: POSTed by the page, or in the
    query string of an older caller."""
    return request.POST if request.method == "POST" else request.GET


# Reception panels that do not follow the ID number (loaded once, with ?procedure= only): they
# read the form's fields themselves with a POST, so no personal data goes into their URL.
RECEPTION_PANELS_ONCE: list[str] = []

# Panels higher apps add at the top of the reception form's applicant part, loaded once
# (GET, no query): tools that fill the applicant's fields for the clerk to check (digitization:
# the identity card read from its image). Register like the others.
RECEPTION_APPLICANT_PANELS: list[str] = []

# Papers a higher app vouches for at reception, so that they need not be handed in although
# the catalogue requires them (integrations: what CSDLQG về dân cư replaces once the applicant
# is confirmed). Callables (procedure=, actor=, data=) returning a set of ProcedureComponent
# ids; ``data`` is the posted reception form, to be validated, never trusted.
RECEPTION_WAIVERS: list = []

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

# Lines higher apps add to the receipt (Mẫu 01), under the appointment: callables taking the
# dossier and returning [(label, text), ...] (the postal service prints the chosen way of
# return; the population database's check, that the applicant was verified). They run while
# the receipt is rendered, inside the reception's transaction, so they read rows written by
# receivers of signals.dossier_receiving.
# Register in AppConfig.ready(): ``hooks.RECEIPT_LINES.append(postal.receipt_lines)``.
RECEIPT_LINES: list = []

# Templates higher apps add inside the online submission form (their fields are posted with
# it and reach receivers of signals.dossier_receiving as data=). Each entry is a template
# name, included with the form page's context.
ONLINE_FORM_PARTS: list[str] = []
