"""The tray of unassigned scans (from the scanner's hot folder) of the clerk's unit."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from dossiers.models import Dossier

from .. import queries
from ..models import ScannedFile
from ..services import intake


@login_required
def tray(request):
    if not queries.may(request.user, queries.UPLOAD_ROLES):
        raise PermissionDenied("Khay tệp quét dành cho cán bộ tiếp nhận và xử lý.")
    files = queries.with_doubts(queries.unassigned(request.user)[:200])
    return render(request, "digitization/tray.html", {"files": files})


@login_required
@require_POST
def assign_scan(request, pk):
    if not queries.may(request.user, queries.UPLOAD_ROLES):
        raise PermissionDenied("Bạn không có quyền gắn tệp quét vào hồ sơ.")
    try:
        scanned = queries.scoped_file(request.user, pk)
    except ScannedFile.DoesNotExist:
        raise Http404("Không tìm thấy tệp trong khay của đơn vị.") from None
    code = request.POST.get("code", "").strip().upper()
    number = request.POST.get("component", "").strip()
    try:
        dossier = queries.scoped_dossier(request.user, code)
    except Dossier.DoesNotExist:
        messages.error(request, f"Không tìm thấy hồ sơ «{code}» trong phạm vi đơn vị của bạn.")
        return redirect("digitization:tray")
    components = list(dossier.components.order_by("id"))
    if not number.isdigit() or not 1 <= int(number) <= len(components):
        messages.error(
            request,
            f"Hồ sơ {dossier.code} có {len(components)} thành phần; "
            "hãy nhập số thứ tự thành phần từ 1.",
        )
        return redirect("digitization:tray")
    component = components[int(number) - 1]
    try:
        intake.assign_from_tray(
            scanned, dossier=dossier, component=component, actor=request.user, request=request
        )
    except intake.UploadRefused as refusal:
        messages.error(request, str(refusal))
        return redirect("digitization:tray")
    messages.success(
        request,
        f"Đã gắn «{scanned.original_name}» vào {dossier.code}, "
        f"thành phần {number}: {component.name}.",
    )
    return redirect("digitization:tray")
