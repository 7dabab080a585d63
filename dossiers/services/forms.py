"""Opening a dossier's printed form: the stored copy as issued (the control slip is rendered
from the history as it stands), with the access written to the audit trail."""

import io

from django.utils import timezone

from ..models import AuditEvent
from ..printing import (
    DOSSIER_KINDS,
    FORM_EVENTS,
    FormError,
    form_moment,
    form_spec,
    issue_form,
    local_day,
    render_form,
    render_register,
    resolve_kind,
)
from .audit import record
from .errors import WorkflowError


def available_forms(dossier) -> list[tuple[str, str]]:
    """(kind, label) of the forms this dossier has, in the order of their numbers: issued
    ones (labelled as issued: "Mẫu 01 · Giấy tiếp nhận … (TT 01/2018)"), ones whose event
    happened (rendered at first open; labelled under the text of the event's day), and the
    control slip, which always follows the dossier (under today's text)."""
    issued = {f.kind: f.label for f in dossier.printed_forms.all()}
    pending = {}
    for event in dossier.events.all():
        for kind, actions in FORM_EVENTS.items():
            if event.action in actions and kind not in issued:
                pending[kind] = event
    labels = dict(issued)
    for kind, event in [*pending.items(), ("control", None)]:
        try:
            basis, _ = form_spec(kind, local_day(form_moment(dossier, kind, event)))
        except FormError:  # no such form on that day (a stop before TT 03/2025): none to list
            continue
        labels[kind] = basis.label(kind)
    return [(kind, labels[kind]) for kind in DOSSIER_KINDS if kind in labels]


def open_form(dossier, form_code, *, actor, request=None):
    """(file object, file name) of form ``form_code`` of a dossier the caller may see.

    ``form_code`` is a kind ("receipt") or a number ("01"), read under the text in force on
    the day the dossier was received; one that names no form is a 404. A form whose event
    happened while printing was deferred is rendered and stored now, from that event, so
    every later open returns the same document."""
    kind = resolve_kind(dossier, form_code)
    issued = [f for f in dossier.printed_forms.all() if f.kind == kind]
    if not issued and kind != "control":
        events = [e for e in dossier.events.all() if e.action in FORM_EVENTS.get(kind, ())]
        if not events:
            _, spec = form_spec(kind, local_day(dossier.received_at))
            raise FormError(f"Hồ sơ chưa có Mẫu {spec.number}.")
        issued = [issue_form(dossier, kind, actor=events[-1].actor, event=events[-1])]
    record(
        AuditEvent.Kind.ACCESS,
        "dossier.form_download",
        actor=actor,
        target=dossier,
        request=request,
        data={"form": kind},
    )
    if not issued:
        _, spec = form_spec(kind, timezone.localdate())
        return io.BytesIO(render_form(dossier, kind)), f"{dossier.code}-mau{spec.number}.pdf"
    form = issued[-1]
    try:
        return form.pdf.open("rb"), f"{dossier.code}-mau{form.code}.pdf"
    except FileNotFoundError as exc:  # destroyed with the dossier's files at disposal
        raise WorkflowError(
            f"Tệp Mẫu {form.code} của hồ sơ không còn trong kho (đã hủy cùng hồ sơ hết hạn "
            "lưu trữ, hoặc bị mất): xem biên bản hủy tại mục Lưu trữ.",
            status=410,
        ) from exc


def open_register(unit, first_day, last_day, *, actor, request=None):
    """The register (Sổ theo dõi hồ sơ) of ``unit`` over [first_day, last_day] as (file
    object, file name); a period in the future, backwards or over a year long is refused in
    Vietnamese."""
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
