"""What the feedback app adds to the dossiers app's pages (dossiers/hooks.py): the dossier
page's panel of the PAKN about it, and a line on the public status page inviting one."""

from functools import cache
from urllib.parse import quote

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse

from dossiers.queries import scoped_dossiers

from .. import queries
from ..models import Feedback


@login_required
def dossier_panel(request, code):
    """The PAKN about a dossier the user's scope holds (htmx): code, state, deadline; no
    sender data. Leaders open them from here."""
    dossier = scoped_dossiers(request.user).filter(code=code).only("pk", "code").first()
    if dossier is None:
        raise Http404("Không tìm thấy hồ sơ trong phạm vi đơn vị của bạn.")
    rows = (
        Feedback.objects.filter(dossier=dossier)
        .select_related("unit")
        .only("code", "kind", "state", "due_at", "answered_at", "unit__name")
        .order_by("received_at")
    )
    context = {"rows": rows, "may_open": queries.may_handle(request.user)}
    return render(request, "feedback/_dossier_panel.html", context)


@cache
def _send_url():
    return reverse("feedback:send")


def status_line(status):
    """dossiers.hooks.PUBLIC_STATUS_LINES: the invitation to send a PAKN about this dossier
    (no query; the code only in the link, never the second factor)."""
    return {
        "text": "Chưa hài lòng với việc giải quyết hồ sơ?",
        "url": f"{_send_url()}?ma={quote(status.code, safe='')}",
        "label": "Gửi phản ánh, kiến nghị",
    }
