"""The unit leader's PAKN pages: the queue (open, overdue, answered), one PAKN with the answer
and close forms, and the quality list (ratings whose text contradicts their stars). Leaders
and the area-wide roles only; every read is scoped to their units and a PAKN's page is logged."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone

from core.pages import refusals_go_back
from dossiers.services import log_access

from .. import queries
from ..services import answer_feedback, close_feedback

TABS = {
    "open": ("Đang chờ trả lời", queries.queue),
    "overdue": ("Quá hạn", queries.overdue),
    "answered": ("Đã trả lời", queries.answered),
}
PER_PAGE = 25


def _leader(request):
    if not queries.may_handle(request.user):
        raise PermissionDenied("Chỉ lãnh đạo đơn vị xem được phản ánh, kiến nghị.")


@login_required
def leader_queue(request, tab="open"):
    _leader(request)
    if tab not in TABS:
        raise Http404
    title, read = TABS[tab]
    page = Paginator(read(request.user), PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "feedback/queue.html",
        {
            "tab": tab,
            "tabs": [(key, label) for key, (label, _) in TABS.items()],
            "title": title,
            "page": page,
            "counts": queries.queue_counts(request.user),
            "now": timezone.now(),
        },
    )


@login_required
@refusals_go_back("feedback:detail", "code")
def feedback_detail(request, code):
    _leader(request)
    feedback = (
        queries.scoped_feedback(request.user)
        .select_related("unit", "dossier", "answered_by")
        .filter(code=code)
        .first()
    )
    if feedback is None:
        raise Http404
    if request.method == "POST":
        if request.POST.get("action") == "close":
            close_feedback(
                feedback.pk, actor=request.user, reason=request.POST.get("reason"), request=request
            )
            messages.success(request, "Đã kết thúc PAKN.")
        else:
            answer_feedback(
                feedback.pk,
                actor=request.user,
                answer=request.POST.get("answer", ""),
                publish=request.POST.get("publish") == "1",
                request=request,
            )
            messages.success(request, "Đã gửi trả lời. Công dân xem được trên trang tra cứu PAKN.")
        return redirect("feedback:detail", code=feedback.code)
    log_access("feedback.view", actor=request.user, target=feedback, request=request)
    return render(request, "feedback/detail.html", {"feedback": feedback, "now": timezone.now()})


@login_required
def quality(request):
    """Ratings scored very satisfied whose comment reads negative (the sentiment model)."""
    _leader(request)
    rows = queries.mismatched_ratings(request.user)[:50]
    units = queries.satisfaction_by_unit(request.user)
    return render(request, "feedback/quality.html", {"rows": rows, "units": units})
