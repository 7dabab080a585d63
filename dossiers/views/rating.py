"""Rating the service: on the public site (code + second factor) and on the counter's kiosk
screen; the leader sees flagged comments on the home page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from ..models import Rating
from ..ratelimit import TOO_MANY, public_rate_limited
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
    context = {"code": code[:40], "factor": factor[:8], "scores": Rating.Score.choices}
    if request.method == "POST":
        if public_rate_limited(request):
            context["error"] = TOO_MANY
            return render(request, "public/rating.html", context, status=429)
        try:
            comment = request.POST.get("comment", "")
            rate_dossier(code, factor, score=_score(request), comment=comment, request=request)
        except WorkflowError as exc:
            context["error"] = exc.message
        else:
            context["thanks"] = True
    return render(request, "public/rating.html", context)


@login_required
def kiosk_rating(request, code):
    dossier = _scoped_or_404(request.user, code)
    if request.method == "POST":
        try:
            rate_at_counter(dossier.pk, actor=request.user, score=_score(request),
                            comment=request.POST.get("comment", ""), request=request)  # fmt: skip
        except WorkflowError as exc:
            messages.error(request, exc.message)
            return redirect("kiosk-rating", code=code)
        return render(request, "dossiers/kiosk_rating.html", {"dossier": dossier, "thanks": True})
    return render(
        request, "dossiers/kiosk_rating.html", {"dossier": dossier, "scores": Rating.Score.choices}
    )
