"""Opening a dossier's printed form: the stored copy as issued (Mẫu 05 is rendered from the
history as it stands), with the access written to the audit trail."""

import io

from django.utils import timezone

from ..models import AuditEvent, PrintedForm
from ..printing import issue_form, render_form, render_register
from ..workflow import ACTIONS
from .audit import record
from .errors import WorkflowError


def _form_events():
    """Form code -> the actions whose event it belongs to (Mẫu 01: reception at the counter,
    or acceptance of a dossier submitted online)."""
    events = {"01": ("receive",)}
    for action in ACTIONS.values():
        if action.form:
            events[action.form] = (*events.get(action.form, ()), action.code)
    return events


def available_forms(dossier) -> list[tuple[str, str]]:
    """(code, title) of the forms this dossier has: issued ones, ones whose action happened
    (rendered at first open), and Mẫu 05, which always follows the dossier."""
    events = {e.action for e in dossier.events.all()}
    codes = {f.code for f in dossier.printed_forms.all()}
    codes |= {code for code, actions in _form_events().items() if events & set(actions)}
    codes.add("05")
    return [(code, PrintedForm.Code(code).label) for code in sorted(codes)]


def open_form(dossier, form_code, *, actor, request=None):
    """(file object, file name) of form ``form_code`` of a dossier the caller may see.

    A form whose action happened while printing was deferred is rendered and stored now,
    from that event, so every later open returns the same document."""
    form_events = _form_events()
    issued = [f for f in dossier.printed_forms.all() if f.code == form_code]
    if not issued and form_code in form_events:
        events = [e for e in dossier.events.all() if e.action in form_events[form_code]]
        if events:
            issued = [issue_form(dossier, form_code, actor=events[-1].actor, event=events[-1])]
    if not issued and form_code != "05":
        raise WorkflowError(f"Hồ sơ chưa có Mẫu {form_code}.", status=404)
    record(
        AuditEvent.Kind.ACCESS,
        "dossier.form_download",
        actor=actor,
        target=dossier,
        request=request,
        data={"form": form_code},
    )
    name = f"{dossier.code}-mau{form_code}.pdf"
    if issued:
        try:
            return issued[-1].pdf.open("rb"), name
        except FileNotFoundError as exc:  # destroyed with the dossier's files at disposal
            raise WorkflowError(
                f"Tệp Mẫu {form_code} của hồ sơ không còn trong kho (đã hủy cùng hồ sơ hết hạn "
                "lưu trữ, hoặc bị mất): xem biên bản hủy tại mục Lưu trữ.",
                status=410,
            ) from exc
    return io.BytesIO(render_form(dossier, "05")), name


def open_register(unit, first_day, last_day, *, actor, request=None):
    """Mẫu 06 for ``unit`` over [first_day, last_day] as (file object, file name); a period
    in the future, backwards or over a year long is refused in Vietnamese."""
    if unit is None:
        raise WorkflowError("Tài khoản chưa được gán đơn vị.", status=403)
    if first_day is None or last_day is None:
        raise WorkflowError("Chọn ngày bắt đầu và ngày kết thúc của sổ.", field="from")
    if last_day < first_day:
        raise WorkflowError("Ngày kết thúc phải sau ngày bắt đầu.", field="to")
    if first_day > timezone.localdate():
        raise WorkflowError("Kỳ của sổ chưa bắt đầu: ngày bắt đầu ở tương lai.", field="from")
    if (last_day - first_day).days > 366:
        raise WorkflowError("Mỗi lần in sổ tối đa một năm.", field="to")
    record(
        AuditEvent.Kind.ACCESS,
        "register.download",
        actor=actor,
        target=unit,
        request=request,
        data={"from": first_day.isoformat(), "to": last_day.isoformat()},
    )
    pdf = render_register(unit, first_day, last_day)
    return io.BytesIO(pdf), f"so-theo-doi-{unit.code}-{first_day:%Y%m%d}-{last_day:%Y%m%d}.pdf"
