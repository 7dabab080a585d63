"""The public status page: no login, no JavaScript, light enough for a cheap phone on a slow
connection. Shows a dossier only to whoever holds its code and a second factor, and never
the applicant's ID number, address, phone or documents, nor staff names."""

from django.http import HttpResponse
from django.template.loader import render_to_string

from .. import public_guard, queries
from ..middleware import lean_public_page


@lean_public_page
def status(request):
    code, factor = request.GET.get("ma", ""), request.GET.get("kt", "")
    context = {"code": code[:40], "factor": ""}
    status_code = 200
    if code or factor:
        guarded = public_guard.look_up(request, code, factor, queries.public_status)
        if guarded.found is None:
            # A wrong code or factor keeps the page's 200 (a form with its message).
            context["error"], status_code = guarded.error, 429 if guarded.status == 429 else 200
        else:
            context["dossier"] = guarded.found
    # Without the request: the page reads nothing a context processor adds (no user, session
    # or messages on the public site).
    page = render_to_string("public/status.html", context)
    return HttpResponse(page, status=status_code)
