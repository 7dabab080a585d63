"""The disposal list (records past retention), proposing a batch, the leader's decision, the
batches and their printed minute."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from core.files import file_response
from core.pages import refusals_go_back
from dossiers.queries import staff_unit, user_roles
from dossiers.roles import Role

from .. import queries, services
from ..errors import ArchiveError
from ..forms import DecisionForm, ProposeForm
from ..models import DisposalBatch
from .common import require_archive_role


@login_required
def expired(request):
    """Records past retention; the archivist ticks some and proposes their disposal."""
    require_archive_role(request.user)
    rows = list(queries.expired_records(request.user)[:500])
    form = ProposeForm(request.POST or None, choices=[r.pk for r in rows])
    if request.method == "POST":
        if form.is_valid():
            try:
                batch = services.propose_disposal(
                    actor=request.user,
                    record_ids=form.cleaned_data["records"],
                    note=form.cleaned_data["note"],
                    request=request,
                )
            except ArchiveError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(
                    request, f"Đã gửi đề nghị hủy số {batch.number} để lãnh đạo duyệt."
                )
                return redirect("archive:batch", pk=batch.pk)
    return render(
        request,
        "archive/expired.html",
        {
            "rows": rows,
            "form": form,
            "archivist": queries.is_archivist(request.user),
        },
    )


@login_required
def batches(request):
    require_archive_role(request.user)
    return render(
        request, "archive/batches.html", {"batches": queries.disposal_batches(request.user)[:200]}
    )


def _batch_or_404(user, pk):
    try:
        return queries.disposal_batches(user).get(pk=pk)
    except DisposalBatch.DoesNotExist as exc:
        raise Http404("Không tìm thấy đợt hủy trong phạm vi của bạn.") from exc


@login_required
def batch_detail(request, pk):
    require_archive_role(request.user)
    batch = _batch_or_404(request.user, pk)
    unit = staff_unit(request.user)
    may_decide = (
        batch.state == DisposalBatch.State.PROPOSED
        and Role.LEADER.value in user_roles(request.user)
        and unit is not None
        and unit.pk == batch.area_id
    )
    return render(
        request,
        "archive/batch.html",
        {
            "batch": batch,
            "items": batch.items.select_related("record"),
            "may_decide": may_decide,
            "form": DecisionForm(),
        },
    )


@login_required
@require_POST
@refusals_go_back("archive:batch", "pk")
def decide(request, pk):
    require_archive_role(request.user)
    batch = _batch_or_404(request.user, pk)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Chọn duyệt hoặc không duyệt.")
        return redirect("archive:batch", pk=batch.pk)
    note = form.cleaned_data["note"]
    if form.cleaned_data["decision"] == "approve":
        services.approve_disposal(batch.pk, actor=request.user, note=note, request=request)
        messages.success(request, "Đã duyệt đề nghị hủy; hệ thống đang hủy các tệp.")
    else:
        services.reject_disposal(batch.pk, actor=request.user, reason=note, request=request)
        messages.success(request, "Đã không duyệt đề nghị hủy; hồ sơ tiếp tục được lưu trữ.")
    return redirect("archive:batch", pk=batch.pk)


@login_required
def minute(request, pk):
    require_archive_role(request.user)
    batch = _batch_or_404(request.user, pk)
    if batch.state != DisposalBatch.State.EXECUTED or not batch.minute:
        raise Http404("Đợt hủy chưa thực hiện xong: chưa có biên bản.")
    return file_response(
        batch.minute.open("rb"),
        content_type="application/pdf",
        filename=f"bien-ban-huy-{batch.pk:03d}.pdf",
    )
