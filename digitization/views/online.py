"""The citizen's online pages: submitting a dossier with its papers, and answering a request
for supplements with the code and the second factor.

They live in digitization because each one both writes a dossier (dossiers' services) and
attaches uploaded files (intake): design.md's arrows point digitization → dossiers, so the
page that needs both belongs to the higher app (services/online.py does the writing). No
login; every POST is counted per client (lookups per minute, submissions per hour), and an
unknown code or factor gets the status page's one neutral message.
"""

import secrets
from urllib.parse import quote

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.datastructures import MultiValueDict
from django.views.decorators.http import require_http_methods

from dossiers import hooks, public_guard, public_identity, queries
from dossiers.public_lookup import public_status
from dossiers.ratelimit import TOO_MANY_SUBMISSIONS, submissions_limited
from dossiers.services.errors import WorkflowError

from ..forms import OnlineSubmissionForm, SupplementForm
from ..services import drafts
from ..services.online import OnlineRefused, submit_with_files, supplement_with_files

RECEIPT = "online_receipt"  # the session key of the last submission's code and check code
DRAFT_NOT_FOUND = (
    "Không tìm thấy bản nháp với mã này cho thủ tục này (bản nháp được giữ 24 giờ). "
    "Xin kiểm tra mã hoặc điền lại."
)
NOT_WAITING = "Hồ sơ này hiện không chờ bổ sung giấy tờ. Xem tình trạng hồ sơ ở trang tra cứu."


def procedures(request):
    text = request.GET.get("q", "")[:100]
    page = Paginator(queries.online_procedures(text), 20).get_page(request.GET.get("page"))
    return render(request, "digitization/online/procedures.html", {"page": page, "q": text})


def _procedure_or_404(national_code):
    procedure = (
        queries.online_procedures().filter(national_code=national_code[:20]).first()
        if national_code
        else None
    )
    if procedure is None:
        raise Http404("Không có thủ tục trực tuyến với mã này.")
    return procedure


@require_http_methods(["GET", "POST"])
def submit(request, national_code):
    """The online form. Whatever the citizen chose is kept in a draft on the server
    (services/drafts.py) at every POST, so that an error anywhere never costs them their
    files; a draft is resumed by its short code, typed into the page."""
    procedure = _procedure_or_404(national_code)
    units = queries.receiving_units(procedure)
    context = {"procedure": procedure, "units": units, "parts": hooks.ONLINE_FORM_PARTS}
    if request.method == "GET":
        initial = {"token": secrets.token_hex(16), **_from_identity(request)}
        form = OnlineSubmissionForm(procedure=procedure, units=units, initial=initial)
        return render(request, "digitization/online/submit.html", {**context, "form": form})
    if "ban_nhap" in request.POST:
        return _resume(request, procedure, units, context)
    if submissions_limited(request):
        form = OnlineSubmissionForm(request.POST, procedure=procedure, units=units)
        context.update(form=form, error=TOO_MANY_SUBMISSIONS)
        return render(request, "digitization/online/submit.html", context, status=429)
    draft = drafts.keep(request.POST.get("token"), procedure, request)
    files = MultiValueDict(drafts.uploads(draft)) if draft else request.FILES
    form = OnlineSubmissionForm(request.POST, files, procedure=procedure, units=units)
    form.kept = drafts.kept_by_component(draft)
    context.update(form=form, draft=draft)
    if not form.is_valid():
        context["error"] = "Chưa nộp được: xin sửa các mục ghi chú màu đỏ."
        return _again(request, context)
    data = form.cleaned_data
    unit = next(u for u in units if u.code == data["unit"])
    applicant = {k: data[k] for k in ("kind", "id_number", "name", "phone", "email", "address")}
    try:
        dossier, _ = submit_with_files(
            procedure=procedure,
            unit=unit,
            applicant=applicant,
            files=form.files_by_component(),
            idempotency_key=data.get("token") or None,
            request=request,
            form_data=request.POST,
        )
    except WorkflowError as exc:
        context["error"] = exc.message
        context["refused"] = getattr(exc, "refused", [])
        if draft and context["refused"]:
            drafts.drop(draft, [name for name, _ in context["refused"]])
            form.kept = drafts.kept_by_component(draft)
        if exc.field in form.fields:
            form.add_error(exc.field, exc.message)
        return _again(request, context, status=exc.status)
    if draft:
        drafts.discard(draft)
    request.session[RECEIPT] = {
        "code": dossier.code,
        "check": dossier.check_code,
        "email": bool(data.get("email")),
        "procedure": procedure.name,
        "unit": unit.name,
    }
    return redirect("online-submitted")


def _again(request, context, status=400):
    """The form back with its errors, the files kept named under each paper."""
    return render(request, "digitization/online/submit.html", context, status=status)


def _resume(request, procedure, units, context):
    """«Nộp tiếp bản nháp»: the draft of the code typed, its fields and files back."""
    if submissions_limited(request):  # the same counter: a code is not guessed by the hour
        form = OnlineSubmissionForm(procedure=procedure, units=units)
        context.update(form=form, error=TOO_MANY_SUBMISSIONS)
        return render(request, "digitization/online/submit.html", context, status=429)
    draft = drafts.resume(request.POST.get("ban_nhap"), procedure)
    if draft is None:
        form = OnlineSubmissionForm(
            procedure=procedure, units=units, initial={"token": secrets.token_hex(16)}
        )
        context.update(form=form, error=DRAFT_NOT_FOUND)
        return render(request, "digitization/online/submit.html", context, status=404)
    initial = {**draft.fields, "token": draft.token}
    form = OnlineSubmissionForm(procedure=procedure, units=units, initial=initial)
    form.kept = drafts.kept_by_component(draft)
    context.update(form=form, draft=draft)
    return render(request, "digitization/online/submit.html", context)


def _from_identity(request) -> dict:
    """The applicant's fields as the signed-in citizen's identity provider asserted them
    (dossiers.public_identity); nothing for a visitor not signed in."""
    citizen = public_identity.current_citizen(request)
    if citizen is None:
        return {}
    fields = ("id_number", "name", "phone", "email", "address")
    return {"kind": "person", **{f: getattr(citizen, f) for f in fields if getattr(citizen, f)}}


def submitted(request):
    receipt = request.session.get(RECEIPT)
    if not receipt:
        return redirect("online-procedures")
    # The next steps higher apps offer (hooks.PUBLIC_STATUS_LINES: «Thanh toán lệ phí»), their
    # links given the check code the citizen holds here.
    status = public_status(receipt["code"], receipt["check"])
    lines = [
        {**line, "url": f"{line['url']}&kt={quote(receipt['check'])}" if line["url"] else ""}
        for hook in hooks.PUBLIC_STATUS_LINES
        if status is not None and (line := hook(status))
    ]
    return render(
        request, "digitization/online/submitted.html", {"receipt": receipt, "lines": lines}
    )


@require_http_methods(["GET", "POST"])
def supplement(request):
    """Step 1: code and factor (GET). Step 2: the reason and the upload form. Step 3: POST."""
    source = request.POST if request.method == "POST" else request.GET
    # Cut only what no code or factor can be: "7K 3Q PM" typed with spaces is still a factor.
    code, factor = source.get("ma", "")[:60], source.get("kt", "")[:40]
    context = {"code": code, "factor": factor}
    if not (code or factor):
        return render(request, "digitization/online/supplement.html", context)
    guarded = public_guard.look_up(request, code, factor, queries.public_lookup)
    if guarded.found is None:
        context["error"] = guarded.error
        status = 429 if guarded.status == 429 else 200
        return render(request, "digitization/online/supplement.html", context, status=status)
    dossier = context["dossier"] = guarded.found
    if dossier.state != "supplement_requested":
        context["error"] = NOT_WAITING
        return render(request, "digitization/online/supplement.html", context)
    context["reason"] = queries.supplement_reason(dossier)
    if request.method == "GET":
        context["form"] = SupplementForm(dossier=dossier)
        return render(request, "digitization/online/supplement.html", context)
    form = context["form"] = SupplementForm(request.POST, request.FILES, dossier=dossier)
    if not form.is_valid():
        context["error"] = "Chưa gửi được: xin sửa các mục ghi chú màu đỏ (và chọn lại tệp)."
        return render(request, "digitization/online/supplement.html", context, status=400)
    try:
        result = supplement_with_files(
            dossier=dossier,
            files=form.files_by_component(),
            note=form.cleaned_data["note"],
            request=request,
        )
    except OnlineRefused as exc:
        context.update(error=exc.message, refused=exc.refused)
        return render(request, "digitization/online/supplement.html", context, status=exc.status)
    context.update(sent=[f.original_name for f in result.files], form=None)
    return render(request, "digitization/online/supplement.html", context)
