"""Asking to stop a dossier's handling: the citizen's page (code + second factor, no login)
and the counter's side is the workflow action ``stop`` on the dossier page."""

from django.shortcuts import render
from django.utils import timezone

from .. import public_guard, queries
from ..services.errors import WorkflowError
from ..services.stopping import MAX_REASON, check_stoppable, request_stop

TEMPLATE = "public/stop.html"


def public_stop(request):
    """Step 1: code and factor (GET). Step 2: the dossier and the reason box, or why it cannot
    be stopped. Step 3: POST records the request; the counter issues the stop notice."""
    source = request.POST if request.method == "POST" else request.GET
    code, factor = source.get("ma", "")[:60], source.get("kt", "")[:40]
    context = {"code": code, "factor": factor, "max_reason": MAX_REASON}
    if not (code and factor):
        return render(request, TEMPLATE, context)
    guarded = public_guard.look_up(request, code, factor, queries.public_lookup)
    if guarded.found is None:
        context["error"] = guarded.error
        return render(request, TEMPLATE, context, status=429 if guarded.status == 429 else 200)
    dossier = context["dossier"] = guarded.found
    try:
        check_stoppable(dossier, timezone.localdate())
    except WorkflowError as exc:
        context["refused"] = exc.message
        return render(request, TEMPLATE, context)
    if dossier.stop_requested_at is not None:
        context["pending"] = dossier.stop_requested_at
        return render(request, TEMPLATE, context)
    if request.method != "POST":
        return render(request, TEMPLATE, context)
    reason = request.POST.get("reason", "")
    context["reason"] = reason[:MAX_REASON]
    try:
        request_stop(dossier.pk, reason=reason, channel="online", request=request)
    except WorkflowError as exc:
        context["error"] = exc.message
        return render(request, TEMPLATE, context, status=exc.status)
    context["sent"] = True
    return render(request, TEMPLATE, context)
