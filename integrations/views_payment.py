"""Pages of the fee payment: the citizen's (code + second factor, no login: pay online, the
return from the platform), the platform's callback (server to server, no CSRF, the checksum is
its authentication), the receipt, the counter's panel on the dossier page and the leaders'
reconciliation list."""

import json
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages as flash
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.dates import DAY_ERROR, parse_day
from dossiers import public_guard
from dossiers import queries as dossier_queries
from dossiers.models import AuditEvent, Dossier
from dossiers.printing import render_pdf
from dossiers.services.audit import client_ip, record

from . import payment_callback, payment_queries, payment_reconciliation, payments
from .models import Payment, PaymentReconciliation
from .queries import scoped_dossier

PUBLIC = "integrations/payment/pay.html"
SESSION_KEY = "payment_codes"  # dossier codes whose second factor this browser proved


def _site(request):
    return settings.PAYMENT_PUBLIC_URL.rstrip("/") or request.build_absolute_uri("/").rstrip("/")


def _remember(request, code):
    codes = [c for c in request.session.get(SESSION_KEY, []) if c != code][-9:]
    request.session[SESSION_KEY] = [*codes, code]


def _allow_platform_form(response):
    """The payment step's form is answered by a redirect to the platform: the page's CSP
    form-action (the portal only) must name the platform's origin too, or the browser stops."""
    parts = urlsplit(settings.PAYMENT_BASE_URL)
    if parts.scheme and parts.netloc:
        response._csp_update = {"form-action": [f"{parts.scheme}://{parts.netloc}"]}
    return response


@require_http_methods(["GET", "POST"])
def pay(request):
    """Step 1 (GET ?ma=): code and factor. Step 2 (POST, or GET with both, as the page after
    an online submission links it): the fee, or its payment already made. Step 3 (POST go): a
    payment request, and off to the platform's payment page."""
    source = request.POST if request.method == "POST" else request.GET
    code, factor = source.get("ma", "")[:60], source.get("kt", "")[:40]
    context = {"code": code, "factor": factor}
    if not (code and factor):
        return render(request, PUBLIC, context)
    guarded = public_guard.look_up(request, code, factor, dossier_queries.public_lookup)
    if guarded.found is None:
        context["error"] = guarded.error
        return render(request, PUBLIC, context, status=429 if guarded.status == 429 else 200)
    _remember(request, guarded.found.code)
    dossier = Dossier.objects.select_related("procedure", "rules").get(pk=guarded.found.pk)
    context.update(payment_queries.fee_view(dossier))
    if request.POST.get("go") and context["payable"]:
        site = _site(request)
        try:
            url = payments.start_online_payment(
                dossier.pk,
                ip=client_ip(request) or "127.0.0.1",
                return_url=f"{site}{reverse('payment-return')}",
                notify_url=f"{site}{reverse('payment-callback')}",
                request=request,
            )
        except payments.PaymentError as error:
            context["error"] = error.message
            return render(request, PUBLIC, context, status=error.status)
        return redirect(url)
    return _allow_platform_form(render(request, PUBLIC, context))


@require_GET
def returned(request):
    """Where the platform sends the citizen back: the payment's state, and its receipt number
    when this browser proved the dossier's second factor."""
    reference = request.GET.get("MaThamChieu", "")[:64]
    payment = Payment.objects.select_related("dossier").filter(reference=reference).first()
    known = payment is not None and payment.dossier.code in request.session.get(SESSION_KEY, [])
    context = {"returned": True, "payment": payment if known else None}
    if known:
        context.update(payment_queries.fee_view(payment.dossier))
        context["code"] = payment.dossier.code
    return render(request, PUBLIC, context)


@csrf_exempt
@require_POST
def callback(request):
    """The platform's confirmation (IPN). JSON in, ``{"MaLoi", "MoTaLoi"}`` out; never a 500."""
    try:
        message = json.loads(request.body or b"")
    except (UnicodeDecodeError, ValueError):
        message = None
    try:
        result = payment_callback.confirm(message)
    except Exception:  # noqa: BLE001 - the platform gets an answer, the log the trace
        payment_callback.log.exception("payment callback failed")
        result = payment_callback.answer("99", "Lỗi xử lý tạm thời, mời gửi lại sau.")
    status = 200 if result["MaLoi"] == payment_callback.OK else 400
    return JsonResponse(result, status=status, json_dumps_params={"ensure_ascii": False})


def receipt(request, reference):
    """The receipt of a settled payment: staff of the dossier's scope, or the citizen whose
    browser proved its second factor. ``?pdf=1`` gives it as an A4 PDF (WeasyPrint)."""
    payment = (
        Payment.objects.select_related("dossier__procedure", "dossier__receiving_unit")
        .filter(reference=reference[:64], state__in=Payment.SETTLED)
        .first()
    )
    if payment is None:
        raise Http404("Không có biên lai này.")
    citizen = payment.dossier.code in request.session.get(SESSION_KEY, [])
    if not citizen:
        if not request.user.is_authenticated:
            raise Http404("Không có biên lai này.")
        try:
            scoped_dossier(request.user, payment.dossier.code)
        except Dossier.DoesNotExist:
            raise Http404("Không có biên lai này.") from None
        record(
            AuditEvent.Kind.ACCESS,
            "payment.receipt",
            actor=request.user,
            target=payment.dossier,
            request=request,
        )
    if request.GET.get("pdf"):
        pdf = render_pdf("integrations/payment/receipt_pdf.html", {"payment": payment})
        response = HttpResponse(pdf, "application/pdf")
        response["Content-Disposition"] = f'inline; filename="bien-lai-{payment.reference}.pdf"'
        return response
    return render(request, "integrations/payment/receipt.html", {"payment": payment})


@login_required
@require_http_methods(["GET", "POST"])
def counter_panel(request, code):
    """The dossier page's fee panel (htmx): fee, payments, and the clerk's form."""
    try:
        dossier = scoped_dossier(request.user, code)
    except Dossier.DoesNotExist:
        raise Http404("Không tìm thấy hồ sơ trong phạm vi đơn vị của bạn.") from None
    if request.method == "POST":
        try:
            payments.record_counter_payment(
                dossier.pk,
                receipt_number=request.POST.get("receipt_number", ""),
                actor=request.user,
                request=request,
            )
            flash.success(request, f"Đã ghi thu lệ phí hồ sơ {dossier.code}.")
        except payments.PaymentError as error:
            flash.error(request, error.message)
        return redirect("dossier-detail", code=dossier.code)
    context = {"dossier": dossier, **payment_queries.fee_view(dossier)}
    context["may_record"] = payment_queries.may_record(request.user, dossier)
    return render(request, "integrations/payment/_panel.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def reconciliation(request):
    if not payment_queries.may_reconcile(request.user):
        raise PermissionDenied("Trang đối soát thanh toán dành cho lãnh đạo, văn phòng, quản trị.")
    if request.method == "POST":
        day = parse_day(request.POST.get("day"))
        if day is None:
            flash.error(request, f"Ngày đối soát không hợp lệ. {DAY_ERROR}")
        else:
            row = payment_reconciliation.reconcile(day)
            record(
                AuditEvent.Kind.CHANGE,
                "payment.reconcile",
                actor=request.user,
                request=request,
                data={"day": day.isoformat()},
            )
            flash.info(
                request, f"Đã đối soát ngày {day:%d/%m/%Y}: {len(row.differences)} chênh lệch."
            )
        return redirect("integrations:payment-reconciliation")
    rows = PaymentReconciliation.objects.all()[:60]
    return render(request, "integrations/payment/reconciliation.html", {"rows": rows})
