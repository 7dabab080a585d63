"""The dossier page's scans panel (htmx, served here so dossiers never imports us), uploads,
retry, signing and opening a citizen's document (always logged)."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from core.files import file_response
from dossiers.models import Dossier
from dossiers.services.access import log_access

from .. import queries
from ..models import ScannedFile
from ..services import intake, ocr
from ..services.sign import SignRefused, sign_copy, verification

RESULT_STATES = {"pending_approval", "result_ready", "returned"}


def _dossier_or_404(user, code):
    try:
        return queries.scoped_dossier(user, code)
    except Dossier.DoesNotExist:
        raise Http404("Không tìm thấy hồ sơ trong phạm vi đơn vị của bạn.") from None


def _file_or_404(user, pk):
    try:
        return queries.scoped_file(user, pk)
    except ScannedFile.DoesNotExist:
        raise Http404("Không tìm thấy tệp trong phạm vi đơn vị của bạn.") from None


def _panel(request, dossier, *, notice="", refused=(), status=200):
    components, loose, results = queries.dossier_scans(dossier)
    context = {
        "dossier": dossier,
        "components": components,
        "loose": loose,
        "results": results,
        "can_upload": queries.may(request.user, queries.UPLOAD_ROLES)
        and dossier.state in intake.ATTACHABLE_STATES,
        "can_sign": queries.may(request.user, queries.SIGN_ROLES),
        "result_open": dossier.state in RESULT_STATES,
        "notice": notice,
        "queued_clause": QUEUED_CLAUSE,
        "refused": refused,
    }
    return render(request, "digitization/_scans_panel.html", context, status=status)


@login_required
@require_GET
def dossier_scans(request, code):
    return _panel(request, _dossier_or_404(request.user, code))


@login_required
@require_GET
def scan_file(request, pk):
    """One file's line: what a file still being recognised polls every 2 s, so the panel around
    it (the notice, the refusals, an upload the clerk has begun) is never redrawn under them."""
    scanned = _file_or_404(request.user, pk)
    in_tray = scanned.dossier_id is None
    context = {
        "f": queries.with_doubts([queries.files_with_progress().get(pk=scanned.pk)])[0],
        "can_upload": queries.may(request.user, queries.UPLOAD_ROLES)
        and (in_tray or scanned.dossier.state in intake.ATTACHABLE_STATES),
        "can_sign": not in_tray and queries.may(request.user, queries.SIGN_ROLES),
        "recognition_over": _recognition_over(scanned),
    }
    return render(request, "digitization/_scan_file.html", context)


WAITING = (ScannedFile.State.PENDING, ScannedFile.State.PROCESSING)
QUEUED_CLAUSE = "đang xếp hàng nhận dạng chữ."


def _recognition_over(scanned):
    """Whether the last file of its dossier (or of the tray) still being recognised has just
    finished: then the panel's notice stops saying the files are queued (issue 21)."""
    if scanned.state in WAITING:
        return False
    siblings = ScannedFile.objects.filter(dossier_id=scanned.dossier_id, state__in=WAITING)
    if scanned.dossier_id is None:
        siblings = siblings.filter(uploaded_by_id=scanned.uploaded_by_id)
    return not siblings.exclude(pk=scanned.pk).exists()


@login_required
@require_POST
def upload_scans(request, code):
    dossier = _dossier_or_404(request.user, code)
    if not queries.may(request.user, queries.UPLOAD_ROLES):
        raise PermissionDenied("Bạn không có quyền tải tệp quét lên hồ sơ.")
    uploads = request.FILES.getlist("files")
    if not uploads:
        return _panel(request, dossier, refused=[("—", "chưa chọn tệp nào.")], status=400)
    role, component = "component", None
    target = request.POST.get("component", "")
    if target == "result":
        role = "result"
    elif target:
        component = dossier.components.filter(pk=target if target.isdigit() else 0).first()
        if component is None:
            return _panel(
                request, dossier, refused=[("—", "thành phần không thuộc hồ sơ.")], status=400
            )
    try:
        result = intake.attach(
            dossier=dossier,
            component=component,
            uploads=uploads,
            actor=request.user,
            source="browser",
            role=role,
            request=request,
        )
    except intake.UploadRefused as refusal:
        refused = [(refusal.name, refusal.problem)]
        return _panel(request, dossier, refused=refused, status=refusal.status)
    notice = _notice(result)
    return _panel(
        request,
        dossier,
        notice=notice,
        refused=result.refused,
        status=400 if result.refused and not result.files else 200,
    )


def _notice(result):
    parts = []
    if result.added:
        # The clause after the comma stops being true when recognition ends: the page puts
        # it in its own element, which the last file's line replaces (_scan_file.html).
        parts.append(f"Đã nhận {len(result.added)} tệp, {QUEUED_CLAUSE}")
    if result.duplicates:
        names = ", ".join(f.original_name for f in result.duplicates)
        parts.append(f"Tệp đã có trong hồ sơ (không lưu lại lần nữa): {names}.")
    return " ".join(parts)


@login_required
@require_POST
def retry_scan(request, pk):
    scanned = _file_or_404(request.user, pk)
    if not queries.may(request.user, queries.UPLOAD_ROLES):
        raise PermissionDenied("Bạn không có quyền nhận dạng lại tệp.")
    done = ocr.retry_failed(scanned, actor=request.user, request=request)
    notice = "Đã xếp tệp vào hàng nhận dạng lại." if done else "Tệp không ở trạng thái lỗi."
    if scanned.dossier is None:
        return redirect("digitization:tray")
    return _panel(request, scanned.dossier, notice=notice)


@login_required
@require_POST
def sign_scan(request, pk):
    scanned = _file_or_404(request.user, pk)
    if not queries.may(request.user, queries.SIGN_ROLES):
        raise PermissionDenied("Bạn không có quyền ký số.")
    try:
        sign_copy(scanned, actor=request.user, request=request)
    except SignRefused as refusal:
        return _panel(
            request, scanned.dossier, refused=[(scanned.original_name, str(refusal))], status=400
        )
    return _panel(request, scanned.dossier, notice=f"Đã ký số «{scanned.original_name}».")


KINDS = {"goc": "original", "tim-kiem": "searchable_pdf", "ky-so": "signed"}


@login_required
@require_GET
def open_file(request, pk, kind):
    """Open a citizen's document: the original, its searchable PDF or its signed copy.
    Every open is written to the access log."""
    scanned = _file_or_404(request.user, pk)
    if kind not in KINDS:
        raise Http404("Không có loại bản này.")
    if kind == "ky-so":
        copy = getattr(scanned, "signed_copy", None)
        field = copy.pdf if copy else None
    else:
        field = getattr(scanned, KINDS[kind])
    if not field:
        raise Http404("Bản này chưa có (tệp chưa nhận dạng xong hoặc chưa ký số).")
    try:
        stream = field.open("rb")
    except FileNotFoundError:
        raise Http404(
            "Tệp không còn trong kho: đã hủy cùng hồ sơ hết hạn lưu trữ (xem biên bản hủy ở mục "
            "Lưu trữ) hoặc bị mất."
        ) from None
    log_access(
        "document.open",
        actor=request.user,
        target=scanned,
        request=request,
        data={
            "kind": KINDS[kind],
            "file": scanned.original_name,
            "dossier": scanned.dossier.code if scanned.dossier else "",
        },
    )
    stem = scanned.original_name.rsplit(".", 1)[0]
    filename = scanned.original_name if kind == "goc" else f"{stem}-{kind}.pdf"
    content_type = scanned.content_type if kind == "goc" else "application/pdf"
    return file_response(stream, content_type=content_type, filename=filename)


@login_required
@require_GET
def signature_report(request, pk):
    scanned = _file_or_404(request.user, pk)
    copy = getattr(scanned, "signed_copy", None)
    if copy is None:
        raise Http404("Tệp chưa được ký số.")
    reports = verification(copy)
    return render(request, "digitization/_signature.html", {"scanned": scanned, "reports": reports})
