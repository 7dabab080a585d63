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

# Lines higher apps add to the receipt (Mẫu 01), under the appointment: callables taking the
# dossier and returning [(label, text), ...] (the postal service prints the chosen way of
# return). They run while the receipt is rendered, inside the reception's transaction, so
# they read rows written by receivers of signals.dossier_receiving.
# Register in AppConfig.ready(): ``hooks.RECEIPT_LINES.append(postal.receipt_lines)``.
RECEIPT_LINES: list = []

# Templates higher apps add inside the online submission form (their fields are posted with
# it and reach receivers of signals.dossier_receiving as data=). Each entry is a template
# name, included with the form page's context.
ONLINE_FORM_PARTS: list[str] = []
