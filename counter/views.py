"""The kiosk (take a number), the clerk's calling screen and the TV display. The kiosk and
the display need no login (they stand on the counter's LAN) and no network beyond it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST
from django_ratelimit.core import is_ratelimited

from core.pages import refusals_go_back
from dossiers.models import Unit
from dossiers.queries import staff_unit
from dossiers.services.audit import rate_key

from . import services
from .models import ServiceArea, Ticket


def _unit(code):
    unit = Unit.objects.filter(code=code, has_counter=True).first()
    if unit is None:
        raise Http404("Không có quầy một cửa với mã này.")
    return unit


def kiosk(request, unit_code):
    unit = _unit(unit_code)
    ticket = None
    if request.method == "POST":
        if is_ratelimited(request, group="kiosk", key=rate_key, rate="60/m", increment=True):
            messages.error(request, "Máy lấy số đang bận, vui lòng thử lại sau ít giây.")
        else:
            area_id = request.POST.get("area", "")
            area = get_object_or_404(
                ServiceArea, pk=int(area_id) if area_id.isdigit() else 0, unit=unit
            )
            ticket = services.issue_ticket(area.pk)
    areas = unit.service_areas.all()
    return render(request, "counter/kiosk.html", {"unit": unit, "areas": areas, "ticket": ticket})


def _serving(unit):
    today = timezone.localdate()
    return (
        Ticket.objects.filter(
            area__unit=unit, day=today, called_at__isnull=False, served_to__isnull=True
        )
        .select_related("area")
        .order_by("-called_at")
    )


def display(request, unit_code):
    unit = _unit(unit_code)
    context = {"unit": unit, "serving": _serving(unit)}
    if request.GET.get("partial"):
        return render(request, "counter/_serving.html", context)
    return render(request, "counter/display.html", context)


@login_required
def desk(request):
    unit = staff_unit(request.user)
    if unit is None:
        raise Http404("Tài khoản chưa được gán đơn vị.")
    today = timezone.localdate()
    areas = [
        (area, Ticket.objects.filter(area=area, day=today, called_at__isnull=True).count())
        for area in unit.service_areas.all()
    ]
    current = Ticket.objects.filter(
        clerk=request.user, served_to__isnull=True, called_at__isnull=False
    ).first()
    return render(
        request,
        "counter/desk.html",
        {
            "unit": unit,
            "areas": areas,
            "current": current,
            "desk": request.session.get("counter_desk", ""),
        },
    )


@login_required
@require_POST
@refusals_go_back("counter-desk")
def call(request, area_id):
    desk_no = request.POST.get("desk", "")
    # Anything but ASCII digits is desk 0, which call_next refuses with "Nhập số quầy".
    desk = int(desk_no) if desk_no.isascii() and desk_no.isdigit() else 0
    ticket = services.call_next(area_id, actor=request.user, desk=desk)
    request.session["counter_desk"] = desk_no
    if ticket is None:
        messages.info(request, "Không còn ai chờ ở khu vực này.")
    else:
        messages.success(request, f"Đã gọi số {ticket.label} đến quầy {ticket.desk}.")
    return redirect("counter-desk")
