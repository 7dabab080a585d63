"""Pages of the public postal service: the choice inside the reception form (htmx panel,
served here so dossiers never imports us), the shipment's panel on the dossier page with the
clerk's "send again" after a refusal, and the end-point the postal service pushes tracking
updates to (no login: the signature is checked; never a 500)."""

import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dossiers.models import Dossier
from dossiers.queries import clerk_unit
from dossiers.roles import Role
from dossiers.services import log_access
from dossiers.services.errors import WorkflowError

from . import postal, postal_callback, queries
from .models import PostalChoice, Shipment

log = logging.getLogger(__name__)
# Who may correct the address and send a refused order again.
RESEND_ROLES = frozenset({Role.CLERK, Role.LEADER, Role.ADMIN})


@login_required
@require_http_methods(["GET", "POST"])
def choice_panel(request):
    """The choice's fields inside the reception form (clerks of a counter only)."""
    if clerk_unit(request.user) is None:
        raise PermissionDenied("Chỉ cán bộ Bộ phận Một cửa chọn hình thức nhận kết quả.")
    return render(request, "integrations/_postal_choice.html")


def _dossier_or_404(user, code):
    try:
        return queries.scoped_dossier(user, code)
    except Dossier.DoesNotExist:
        raise Http404("Không tìm thấy hồ sơ trong phạm vi đơn vị của bạn.") from None


@login_required
@require_GET
def dossier_panel(request, code):
    dossier = _dossier_or_404(request.user, code)
    choice = PostalChoice.objects.filter(dossier=dossier).select_related("commune").first()
    shipment = Shipment.objects.filter(dossier=dossier).first()
    if choice is not None and choice.return_by_post:
        # The address and phone are the citizen's data: who read them is recorded.
        log_access("postal.view", actor=request.user, target=dossier, request=request)
    context = {
        "dossier": dossier,
        "choice": choice,
        "shipment": shipment,
        "updates": list(shipment.updates.all()) if shipment else [],
        "can_resend": queries.may(request.user, RESEND_ROLES),
    }
    return render(request, "integrations/_postal_panel.html", context)


@login_required
@require_POST
def resend(request, code):
    if not queries.may(request.user, RESEND_ROLES):
        raise PermissionDenied("Chỉ cán bộ một cửa, lãnh đạo hoặc quản trị được gửi lại đơn.")
    dossier = _dossier_or_404(request.user, code)
    shipment = Shipment.objects.filter(dossier=dossier).first()
    if shipment is None:
        raise Http404("Hồ sơ chưa có đơn gửi bưu chính.")
    try:
        postal.resend_shipment(
            shipment,
            actor=request.user,
            street=request.POST.get("postal_street"),
            commune_code=request.POST.get("postal_commune"),
            phone=request.POST.get("postal_phone"),
            request=request,
        )
    except WorkflowError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"Đã gửi lại đơn bưu chính của hồ sơ {dossier.code}.")
    return redirect("dossier-detail", code=dossier.code)


@csrf_exempt
@require_POST
def tracking_push(request):
    """A tracking update pushed by the postal service (postal_callback.take_push)."""
    try:
        return JsonResponse(postal_callback.take_push(request.body, request.headers))
    except postal.ShipmentRefused as refusal:
        return JsonResponse(refusal.body(), status=refusal.status)
    except Exception:  # noqa: BLE001 - the service tries again later; never a 500
        log.exception("postal tracking push not recorded")
        return JsonResponse(
            {"detail": "Cổng tạm thời chưa ghi được cập nhật; xin gửi lại sau."}, status=503
        )
