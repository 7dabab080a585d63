"""Control and inspection endpoints (``Authorization: Bearer <CONTROL_TOKEN>``): faults, what
was recorded, reset, expired sessions, dossiers offered and pushed."""

from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from . import faults, offers, sync
from .http import RequestError, answer, control_view, read_json
from .models import Message, OfferedDossier, PushNonce, Session, Tally


@control_view
def fault(request):
    if request.method == "GET":
        return answer(faults.describe())
    if request.method != "POST":
        raise RequestError("Chỉ nhận GET hoặc POST")
    data = read_json(request)
    try:
        faults.set_fault(
            data.get("mode", "none"),
            data.get("count"),
            data.get("delay_seconds"),
            data.get("services"),
        )
    except (TypeError, ValueError) as error:
        raise RequestError(str(error)) from error
    return answer({"error_code": 0, **faults.describe()})


@require_GET
@control_view
def messages(request):
    found = Message.objects.all()
    if request.GET.get("mahoso"):
        found = found.filter(mahoso=request.GET["mahoso"])
    if request.GET.get("service"):
        found = found.filter(service=request.GET["service"])
    return answer(
        [
            {
                "service": m.service,
                "MaHoSo": m.mahoso,
                "MaThongDiep": m.message_id,
                "SoThuTu": m.sequence,
                "madonvi": m.unit_code,
                "isUpdating": m.is_updating,
                "out_of_order": m.out_of_order,
                "received_at": m.received_at.isoformat(),
                "payload": m.payload,
            }
            for m in found
        ]
    )


@require_GET
@control_view
def stats(request):
    accepted = dict(
        Message.objects.values_list("service").annotate(n=Count("id")).values_list("service", "n")
    )
    by_service = {
        service: {
            "accepted": accepted.get(service, 0),
            "duplicates": Tally.read(f"duplicates:{service}"),
            "rejected": Tally.read(f"rejected:{service}"),
        }
        for service in (sync.SYNC, sync.PROGRESS)
    }
    late = Message.objects.filter(out_of_order=True).values_list("mahoso", flat=True)
    return answer(
        {
            "accepted": sum(accepted.values()),
            "duplicates": Tally.read("duplicates"),
            "rejected": Tally.read("rejected"),
            "by_service": by_service,
            "out_of_order": sorted(set(late)),
            "requests": Tally.read("requests"),
            "token_requests": Tally.read("token_requests"),
        }
    )


@require_POST
@control_view
def reset(request):
    with transaction.atomic():
        for model in (Message, Tally, Session, OfferedDossier, PushNonce):
            model.objects.all().delete()
        faults.clear()
    return answer({"error_code": 0, "message": "Đã đặt lại"})


@require_POST
@control_view
def expire_sessions(request):
    expired = Session.objects.filter(expires_at__gt=timezone.now()).update(
        expires_at=timezone.now()
    )
    return answer({"error_code": 0, "expired": expired})


@require_POST
@control_view
def offer(request):
    """Offer a dossier (as if a citizen submitted it on DVCQG); ``"push": true`` pushes it."""
    data = read_json(request)
    try:
        dossier = offers.offer(data)
        pushed = offers.push(dossier, request, data.get("url", "")) if data.get("push") else None
    except offers.OfferError as error:
        return answer({"error_code": 2, "message": str(error)}, status=409)
    return answer(
        {"error_code": 0, "MaHoSoQG": dossier.national_code, **({"push": pushed} if pushed else {})}
    )


@require_POST
@control_view
def push(request):
    """Push an offered dossier ``{"MaHoSoQG", "url"?, "forge"?}`` and report the answer;
    forge is one of bad_signature, stale_timestamp, replay (the last push's nonce), unsigned."""
    data = read_json(request)
    dossier = OfferedDossier.objects.filter(national_code=str(data.get("MaHoSoQG", ""))).first()
    if dossier is None:
        return answer({"error_code": 3, "message": "Không có hồ sơ này trên Cổng DVCQG"}, 404)
    try:
        pushed = offers.push(dossier, request, data.get("url", ""), data.get("forge", ""))
    except offers.OfferError as error:
        return answer({"error_code": 2, "message": str(error)}, status=409)
    return answer({"error_code": 0, **pushed})


@require_GET
@control_view
def offered(request):
    return answer(
        [
            {
                "MaHoSoQG": d.national_code,
                "MaDonViNhan": d.unit_code,
                "MaHoSo": d.portal_code,
                "acknowledged_at": d.acknowledged_at.isoformat() if d.acknowledged_at else None,
            }
            for d in OfferedDossier.objects.all()
        ]
    )
