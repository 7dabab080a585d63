"""The kiosk (take a number), the clerk's calling screen and the TV display. The kiosk and
the display need no login (they stand on the counter's LAN) and no network beyond it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.db.models.functions import Coalesce
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
        .order_by(Coalesce("announced_at", "called_at").desc())
    )


NEXT_SHOWN = 5
# The TV's clock names the day in Vietnamese whatever language the request negotiated.
WEEKDAYS = ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ Nhật")


def _waiting(unit):
    """Each line of the counter with how many wait and the next numbers: two queries."""
    today = timezone.localdate()
    waiting = Ticket.objects.filter(area__unit=unit, day=today, called_at__isnull=True)
    counts = dict(waiting.order_by().values_list("area").annotate(n=Count("pk")))
    nexts = {}
    for ticket in waiting.select_related("area").order_by("area", "number"):
        if len(nexts.setdefault(ticket.area_id, [])) < NEXT_SHOWN:
            nexts[ticket.area_id].append(ticket.label)
    return [
        (area, counts.get(area.pk, 0), nexts.get(area.pk, [])) for area in unit.service_areas.all()
    ]


def display(request, unit_code):
    """The TV: who is called to which desk (the latest call on top), who waits in each line
    and the clock — one partial the page polls every second (a refresh without JavaScript)."""
    unit = _unit(unit_code)
    context = {
        "unit": unit,
        "serving": _serving(unit),
        "waiting": _waiting(unit),
        "now": (now := timezone.localtime()),
        "weekday": WEEKDAYS[now.weekday()],
    }
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


@login_required
@require_POST
@refusals_go_back("counter-desk")
def recall(request, ticket_id):
    ticket = services.recall(ticket_id, actor=request.user)
    messages.success(request, f"Đã gọi lại số {ticket.label} đến quầy {ticket.desk}.")
    return redirect("counter-desk")


@login_required
@require_POST
@refusals_go_back("counter-desk")
def skip(request, ticket_id):
    ticket = services.skip(ticket_id, actor=request.user)
    messages.info(request, f"Đã bỏ qua số {ticket.label} (công dân không có mặt).")
    return redirect("counter-desk")
