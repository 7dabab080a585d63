"""The public status page: no login, no JavaScript, light enough for a cheap phone on a slow
connection. Shows a dossier only to whoever holds its code and a second factor, and never
the applicant's ID number, address, phone or documents, nor staff names."""

from django.conf import settings
from django.shortcuts import render
from django_ratelimit.core import is_ratelimited

from .. import queries
from ..services.audit import rate_key
from ..workflow import PUBLIC_LABELS, PUBLIC_NOTES, PUBLIC_STEP_LABELS

NOT_FOUND = (
    "Không tìm thấy hồ sơ với mã và thông tin xác nhận đã nhập. Kiểm tra lại mã hồ sơ và mã "
    "tra cứu in trên Giấy tiếp nhận (hoặc 4 số cuối điện thoại đã đăng ký)."
)
TOO_MANY = "Ông/bà đã tra cứu quá nhiều lần trong một phút. Vui lòng đợi một phút rồi thử lại."


def public_steps(dossier):
    """(moment, label, unit name, note for the citizen) for each step so far."""
    steps = []
    for event in dossier.events.all():
        label = PUBLIC_STEP_LABELS.get(event.action)
        if label is None:
            continue
        unit = (
            event.to_unit.name if event.to_unit and event.action in ("assign", "transfer") else ""
        )
        note = event.note if event.action in PUBLIC_NOTES else ""
        steps.append((event.at, label, unit, note))
    return steps


def status_context(dossier):
    late = dossier.is_late
    return {
        "dossier": dossier,
        "state_label": PUBLIC_LABELS[dossier.state],
        "steps": public_steps(dossier),
        "late": late,
    }


def public_rate_limited(request) -> bool:
    """Count one public lookup for this client; True once it is past the minute's limit."""
    rate = f"{settings.PUBLIC_LOOKUPS_PER_MINUTE}/m"
    return is_ratelimited(request, group="public-status", key=rate_key, rate=rate, increment=True)


def status(request):
    code, factor = request.GET.get("ma", ""), request.GET.get("kt", "")
    context = {"code": code[:40], "factor": ""}
    status_code = 200
    if code or factor:
        if public_rate_limited(request):
            context["error"], status_code = TOO_MANY, 429
        else:
            dossier = queries.public_lookup(code, factor)
            if dossier is None:
                context["error"] = NOT_FOUND
            else:
                context.update(status_context(dossier))
    return render(request, "public/status.html", context, status=status_code)
