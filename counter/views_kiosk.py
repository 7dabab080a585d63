"""The kiosk device's pages (counter/kiosk.py): activation by token, take a number, and the
rating a clerk invited the citizen to — no staff session on the device."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST
from django_ratelimit.core import is_ratelimited

from core.pages import refusals_go_back
from dossiers.models import Rating
from dossiers.queries import CODE_SHAPE, scoped_dossiers
from dossiers.services.audit import rate_key
from dossiers.services.errors import WorkflowError

from . import kiosk, services
from .models import KioskDevice, ServiceArea


def _device(request):
    device = kiosk.from_cookie(request.COOKIES.get(kiosk.COOKIE, ""))
    if device is not None:
        KioskDevice.objects.filter(pk=device.pk).update(last_seen_at=timezone.now())
    return device


def device_home(request):
    """Not activated: the form for the token. Activated: take a number, and the rating panel
    that shows the dossier a clerk sends to this device."""
    device = _device(request)
    if device is None:
        return _activation(request)
    ticket = None
    if request.method == "POST" and "area" in request.POST:
        if is_ratelimited(request, group="kiosk", key=rate_key, rate="60/m", increment=True):
            messages.error(request, "Máy lấy số đang bận, vui lòng thử lại sau ít giây.")
        else:
            area_id = request.POST.get("area", "")
            area = get_object_or_404(
                ServiceArea, pk=int(area_id) if area_id.isdigit() else 0, unit=device.unit
            )
            ticket = services.issue_ticket(area.pk)
    context = {
        "device": device,
        "areas": device.unit.service_areas.all(),
        "ticket": ticket,
        "scores": Rating.Score.choices,
    }
    return render(request, "counter/device.html", context)


def _activation(request):
    error = ""
    if request.method == "POST":
        if is_ratelimited(request, group="kiosk-token", key=rate_key, rate="10/m", increment=True):
            error = "Nhập sai quá nhiều lần, vui lòng chờ một phút."
        else:
            device = kiosk.activate(request.POST.get("token", ""))
            if device is not None:
                response = redirect("counter-device")
                response.set_cookie(
                    kiosk.COOKIE,
                    kiosk.cookie_value(device),
                    max_age=kiosk.COOKIE_AGE,
                    httponly=True,
                    samesite="Lax",
                    secure=request.is_secure(),
                )
                return response
            error = "Mã thiết bị không đúng hoặc thiết bị đã ngừng dùng."
    status = 400 if error else 200
    return render(request, "counter/device_activate.html", {"error": error}, status=status)


def device_rating(request):
    """htmx partial the device polls: the invited dossier's rating form, or nothing; a POST
    records the rating (one per dossier)."""
    device = _device(request)
    if device is None:
        return render(request, "counter/_device_rating.html", {"lost": True}, status=403)
    context = {"device": device, "scores": Rating.Score.choices}
    if request.method == "POST":
        try:
            score = int(request.POST.get("score", ""))
        except ValueError:
            score = None
        try:
            kiosk.rate_on_device(
                device, score=score, comment=request.POST.get("comment", ""), request=request
            )
        except WorkflowError as exc:
            context["error"] = exc.message
        else:
            context["thanks"] = True
            device.pending_dossier = None
    return render(request, "counter/_device_rating.html", context)


@login_required
@require_POST
@refusals_go_back("dossier-detail", "code")
def invite_rating(request, code):
    """The clerk's button on the dossier page: show its rating on the counter's device."""
    if not CODE_SHAPE.match(code or ""):
        raise WorkflowError("Mã hồ sơ không đúng dạng.", status=404)
    dossier = scoped_dossiers(request.user).filter(code=code).first()
    if dossier is None:
        raise WorkflowError("Không tìm thấy hồ sơ trong phạm vi đơn vị của bạn.", status=404)
    device = kiosk.invite_rating(dossier, actor=request.user)
    messages.success(request, f"Đã mời công dân đánh giá trên «{device.name}».")
    return redirect("dossier-detail", code=dossier.code)
