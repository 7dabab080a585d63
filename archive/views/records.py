"""The archive's search page, a record's page (asking why when the reader is outside the
dossier's units), its export, a retry of a failed package, and the dossier page's panel."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from core.files import file_response
from core.pages import refusals_go_back
from dossiers import queries as dossier_queries
from dossiers.models import Dossier

from .. import queries, services
from ..export import export_zip
from ..forms import ReasonForm, RecordSearchForm
from ..models import ArchiveRecord, RetentionChange
from ..services.access import reason_needed
from .common import record_or_404, save_reason, saved_reason

PAGE_SIZE = 25


@login_required
def home(request):
    form = RecordSearchForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    rows = queries.record_search(
        request.user,
        text=filters.get("q", ""),
        code=filters.get("code", ""),
        applicant=filters.get("applicant", ""),
        procedure=filters.get("procedure"),
        returned_from=filters.get("returned_from"),
        returned_to=filters.get("returned_to"),
        state=filters.get("state", ""),
    )
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    archivist = queries.is_archivist(request.user)
    return render(
        request,
        "archive/home.html",
        {
            "form": form,
            "page": page,
            "querystring": params.urlencode(),
            "failed": list(queries.failed_packages(request.user).select_related("unit")[:10]),
            "problems": list(queries.fixity_problems(request.user)[:10]),
            "expired": queries.expired_records(request.user).count() if archivist else None,
            "changes": RetentionChange.objects.select_related("procedure")[:5]
            if queries.has_archive_role(request.user)
            else [],
            "archive_role": queries.has_archive_role(request.user),
        },
    )


@login_required
def record_detail(request, pk):
    record = record_or_404(request.user, pk)
    needs_reason = reason_needed(request.user, record)
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        save_reason(request, record, form.cleaned_data["reason"])
        target = request.POST.get("next", "")
        if target == "export":
            return redirect("archive:export", pk=record.pk)
        return redirect("archive:record", pk=record.pk)
    reason = saved_reason(request, record)
    if needs_reason and not reason:
        context = {"record": record, "form": form, "next": request.GET.get("next", "")}
        return render(request, "archive/reason.html", context)
    services.log_access(record, "archive.view", actor=request.user, request=request, reason=reason)
    return render(
        request,
        "archive/record.html",
        {
            "record": record,
            "reason": reason,
            "files": record.files.order_by("kind", "path"),
            "checks": record.fixity_checks.all()[:5],
            "items": record.disposal_items.select_related("batch"),
            "may_retry": queries.may_retry(request.user, record),
        },
    )


@login_required
@refusals_go_back("archive:record", "pk")
def export(request, pk):
    """The package as a zip, for hand-over: logged with the reason when one is needed."""
    record = record_or_404(request.user, pk)
    reason = saved_reason(request, record)
    if reason_needed(request.user, record) and not reason:
        return redirect(f"{record_url(record)}?next=export")
    stream, name = export_zip(record)
    services.log_access(
        record, "archive.package_download", actor=request.user, request=request, reason=reason
    )
    return file_response(stream, attachment=True, filename=name, content_type="application/zip")


def record_url(record):

    return reverse("archive:record", args=[record.pk])


@login_required
@require_POST
@refusals_go_back("archive:record", "pk")
def retry(request, pk):
    record = record_or_404(request.user, pk)
    services.retry_package(record.pk, actor=request.user, request=request)
    messages.success(request, f"Đã yêu cầu lập lại gói lưu trữ của hồ sơ {record.code}.")
    back = request.POST.get("back", "")
    if back.startswith("/") and not back.startswith("//"):
        return redirect(back)
    return redirect("archive:record", pk=record.pk)


@login_required
def panel(request, code):
    """The archive record's panel on the dossier page (htmx partial), same scope as the page."""
    if not dossier_queries.CODE_SHAPE.match(code or ""):
        raise Http404("Mã hồ sơ không đúng dạng.")
    try:
        dossier = dossier_queries.scoped_dossiers(request.user).get(code=code)
    except Dossier.DoesNotExist as exc:
        raise Http404("Không tìm thấy hồ sơ trong phạm vi đơn vị của bạn.") from exc
    record = ArchiveRecord.objects.filter(dossier=dossier).first()
    return render(
        request,
        "archive/_panel.html",
        {
            "dossier": dossier,
            "record": record,
            "may_retry": record is not None and queries.may_retry(request.user, record),
        },
    )
