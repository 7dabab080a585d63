"""Pages of the sync with DVCQG: the dossier page's panel (htmx, served here so dossiers never
imports us), the reconciliation list and the resend buttons."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from dossiers.models import Dossier
from dossiers.pagination import CountedPaginator
from dossiers.views.base import querystring_without_page

from . import queries, sync
from .models import DossierSync

PAGE_SIZE = 50
# At most this many dossiers are put back in line by one press of "resend all".
RESEND_ALL_LIMIT = 500


def _dossier_or_404(user, code):
    try:
        return queries.scoped_dossier(user, code)
    except Dossier.DoesNotExist:
        raise Http404("Không tìm thấy hồ sơ trong phạm vi đơn vị của bạn.") from None


def _require_resend(request):
    if not queries.may(request.user, queries.RESEND_ROLES):
        raise PermissionDenied(queries.RESEND_REFUSED)


@login_required
@require_GET
def dossier_sync(request, code):
    dossier = _dossier_or_404(request.user, code)
    state = queries.sync_of(dossier)
    context = {
        "dossier": dossier,
        "sync": state,
        "open": queries.open_messages(state) if state else [],
        "can_resend": queries.may(request.user, queries.RESEND_ROLES),
    }
    return render(request, "integrations/_sync_panel.html", context)


@login_required
@require_POST
def resend_dossier(request, code):
    _require_resend(request)
    dossier = _dossier_or_404(request.user, code)
    state = queries.sync_of(dossier)
    if state is None or state.state == DossierSync.State.SYNCED:
        messages.info(request, f"Hồ sơ {dossier.code} đã đồng bộ, không có gì để gửi lại.")
    else:
        count = sync.resend(state, actor=request.user, request=request)
        messages.success(
            request,
            f"Đã xếp lại {count} thông điệp bị từ chối của hồ sơ {dossier.code}; "
            "các thông điệp đang chờ được gửi ngay.",
        )
    back = request.POST.get("back")
    if back == "list":
        return redirect(reverse("integrations:reconciliation"))
    return redirect("dossier-detail", code=dossier.code)


@login_required
@require_GET
def reconciliation(request):
    if not queries.may(request.user, queries.LIST_ROLES):
        raise PermissionDenied(
            "Trang đối soát đồng bộ dành cho cán bộ một cửa, lãnh đạo, văn phòng."
        )
    state = request.GET.get("trang_thai", "")
    if state not in DossierSync.State.values:
        state = ""
    code = request.GET.get("ma", "")[:48]
    rows = queries.unsynced(request.user, state=state or None, code=code)
    totals = queries.counts(request.user)
    total = (
        totals.get(state, 0)
        if state
        else sum(n for s, n in totals.items() if s != DossierSync.State.SYNCED)
    )
    if code:
        total = rows.count()
    page = CountedPaginator(rows, PAGE_SIZE, total).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "state": state,
        "code": code,
        "totals": [(s, totals.get(s.value, 0)) for s in DossierSync.State],
        "states": DossierSync.State,
        "querystring": querystring_without_page(request),
        "can_resend": queries.may(request.user, queries.RESEND_ROLES),
    }
    return render(request, "integrations/reconciliation.html", context)


@login_required
@require_POST
def resend_all(request):
    _require_resend(request)
    rows = list(queries.unsynced(request.user, state=DossierSync.State.ERROR)[:RESEND_ALL_LIMIT])
    count = sum(sync.resend(row, actor=request.user, request=request) for row in rows)
    messages.success(
        request, f"Đã xếp lại {count} thông điệp bị từ chối của {len(rows)} hồ sơ để gửi lại."
    )
    return redirect(reverse("integrations:reconciliation"))
