"""The public status page: no login, no JavaScript, light enough for a cheap phone on a slow
connection. Shows a dossier only to whoever holds its code and a second factor, and never
the applicant's ID number, address, phone or documents, nor staff names."""

from functools import cache
from urllib.parse import quote

from django.http import HttpResponse
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import get_script_prefix, reverse
from django.utils import timezone

from .. import hooks, public_guard, queries
from ..middleware import lean_public_page
from ..workflow import DROPPED_STATES, PUBLIC_STEP_LABELS, STOPPABLE_STATES

STOP_REQUESTED = PUBLIC_STEP_LABELS["stop_request"]


@lean_public_page
def status(request):
    code, factor = request.GET.get("ma", ""), request.GET.get("kt", "")
    addresses = links(get_script_prefix())
    context = {"code": code[:40], "factor": "", "links": addresses}
    status_code = 200
    if code or factor:
        guarded = public_guard.look_up(request, code, factor, queries.public_status)
        if guarded.found is None:
            # A wrong code or factor keeps the page's 200 (a form with its message).
            context["error"], status_code = guarded.error, 429 if guarded.status == 429 else 200
        else:
            context.update(status_context(guarded.found, addresses))
    # Without the request: the page reads nothing a context processor adds (no user, session
    # or messages on the public site).
    page = render_to_string("public/status.html", context)
    return HttpResponse(page, status=status_code)


def status_context(dossier, addresses):
    """The dossier, its moments as the page writes them and its link, for the template.

    Formatted here rather than with the template's ``date`` filter and ``{% url %}`` tag: the
    same text (bench/bench_status_page.py: the filters were half of the page's rendering)."""
    zone = timezone.get_current_timezone()
    dropped = dossier.state in DROPPED_STATES
    return {
        "dossier": dossier,
        "received": _moment(dossier.received_at, zone),
        # A dossier ended without a result has no appointment left to keep.
        "appointment": "" if dropped else _moment(dossier.appointment_at, zone),
        "returned": _moment(dossier.returned_at, zone),
        "steps": [(_moment(at, zone), *rest) for at, *rest in dossier.steps],
        "supplement_url": f"{addresses['supplement']}?ma={quote(dossier.code, safe='/')}",
        "stop_url": f"{addresses['stop']}?ma={quote(dossier.code, safe='/')}",
        "stoppable": dossier.state in STOPPABLE_STATES,
        # Lines higher apps add (the fee and its payment): dossiers/hooks.py.
        "extra_lines": [line for hook in hooks.PUBLIC_STATUS_LINES if (line := hook(dossier))],
        "stop_pending": dossier.state in STOPPABLE_STATES
        and any(step[1] == STOP_REQUESTED for step in dossier.steps),
    }


@cache
def links(script_prefix):
    """The addresses the public base layout links to, made once per process (and script
    prefix, which both ``reverse`` and ``static`` include): four ``{% url %}`` tags were a
    third of the page's rendering, and the ``{% static %}`` tag (a look-up in the manifest of
    hashed names) cost as much as twenty plain variables."""
    names = {
        "status": "public-status",
        "procedures": "online-procedures",
        "supplement": "online-supplement",
        "rating": "public-rating",
        "stop": "public-stop",
    }
    return {
        **{link: reverse(name) for link, name in names.items()},
        "stylesheet": static("css/public.css"),
    }


def _moment(at, zone):
    """``at`` as ``{{ at|date:"H:i d/m/Y" }}`` writes it in the time zone ``zone``; "" for none.
    The current zone is looked up once a page and the fields formatted directly: a quarter of
    the time of ``timezone.localtime(at).strftime(...)`` for each of a page's 4-8 moments."""
    if at is None:
        return ""
    local = at.astimezone(zone)
    return f"{local.hour:02d}:{local.minute:02d} {local.day:02d}/{local.month:02d}/{local.year:04d}"
