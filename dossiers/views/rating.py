"""Rating the service: on the public site (code + second factor) and on the counter's kiosk
screen; the leader sees flagged comments on the home page."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from core.pages import refusals_go_back

from .. import public_guard, queries
from ..models import Rating
from ..services.errors import WorkflowError
from ..services.rating import rate_at_counter, rate_dossier
from .dossiers import _scoped_or_404


def _score(request):
    try:
        return int(request.POST.get("score", ""))
    except ValueError:
        return None


def public_rating(request):
    code = request.POST.get("ma") or request.GET.get("ma", "")
    factor = request.POST.get("kt") or request.GET.get("kt", "")
    context = {"code": code[:60], "factor": factor[:40], "scores": Rating.Score.choices}
    if request.method == "POST":
        guarded = public_guard.look_up(request, code, factor, queries.public_lookup)
        if guarded.found is None:
            context["error"] = guarded.error
            status = 429 if guarded.status == 429 else 200
            return render(request, "public/rating.html", context, status=status)
        try:
            comment = request.POST.get("comment", "")
            rate_dossier(guarded.found, score=_score(request), comment=comment, request=request)
        except WorkflowError as exc:
            context["error"] = exc.message
        else:
            context["thanks"] = True
    return render(request, "public/rating.html", context)


@login_required
@refusals_go_back("kiosk-rating", "code")
def kiosk_rating(request, code):
    dossier = _scoped_or_404(request.user, code)
    if request.method == "POST":
        rate_at_counter(
            dossier.pk,
            actor=request.user,
            score=_score(request),
            comment=request.POST.get("comment", ""),
            request=request,
        )
        return render(request, "dossiers/kiosk_rating.html", {"dossier": dossier, "thanks": True})
    return render(
        request, "dossiers/kiosk_rating.html", {"dossier": dossier, "scores": Rating.Score.choices}
    )
