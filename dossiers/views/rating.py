"""Rating the service: on the public site (code + second factor) and on the counter's kiosk
screen; the leader sees flagged comments on the home page."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django_ratelimit.core import is_ratelimited

from ..models import Rating
from ..services.audit import rate_key
from ..services.errors import WorkflowError
from ..services.rating import rate_at_counter, rate_dossier
from .dossiers import _scoped_or_404
from .public import TOO_MANY


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
        if is_ratelimited(
            request,
            group="public-status",
            key=rate_key,
            rate=f"{settings.PUBLIC_LOOKUPS_PER_MINUTE}/m",
            increment=True,
        ):
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
