"""What goes into a dossier's archival package, and where in the bag.

``data/metadata.json`` (machine-readable: dossier, applicant, procedure, unit, dates, deadline
outcome, retention, every file with its checksum, and the full history of actions),
``data/index.html`` (the same for a person), and beside them, in the one ``data/`` folder, the
files of each scanned file named by its place and component (``data/01-<component>-ban-goc.jpg``,
``…-ban-tim-kiem.pdf``, ``…-ban-ky-so.pdf``; the result's ``NN-ket-qua-…``) and the printed
forms issued, as stored when issued (``data/mau01-01.pdf``). One folder, not one per scan: on
the archive's disk each new folder costs about as much as writing a scan.
"""

import json

from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Prefetch
from django.template import engines
from django.utils import timezone
from django.utils.text import slugify

from digitization.models import ScannedFile
from dossiers.calendar import classify_finish
from dossiers.models import Dossier, DossierEvent, PrintedForm
from dossiers.printing import EVENT_FORMS, issue_form
from dossiers.text import fold
from dossiers.workflow import State

from .errors import PackagingError


def _dossiers():
    """Dossiers with everything their packages hold, in a fixed number of queries (five,
    however many dossiers)."""
    scans = ScannedFile.objects.select_related("component", "signed_copy").order_by("role", "id")
    return Dossier.objects.select_related(
        "procedure",
        "procedure__field",
        "applicant",
        "receiving_unit",
        "current_unit",
        "received_by",
    ).prefetch_related(
        "components",
        Prefetch(
            "events",
            queryset=DossierEvent.objects.select_related(
                "actor", "actor_unit", "from_unit", "to_unit", "step"
            ).order_by("at", "id"),
        ),
        Prefetch("printed_forms", queryset=PrintedForm.objects.order_by("issued_at", "id")),
        Prefetch("scanned_files", queryset=scans),
    )


def load(dossier_id) -> Dossier:
    """The dossier with everything the package holds."""
    return _dossiers().get(pk=dossier_id)


def load_many(dossier_ids) -> dict[int, Dossier]:
    """The dossiers of a batch by id, loaded together (the same queries as one dossier)."""
    return {dossier.pk: dossier for dossier in _dossiers().filter(pk__in=dossier_ids)}


def check_ready(dossier):
    """Refuse (to be tried again) a dossier that is not returned, or whose scans are still
    being recognised: their searchable PDFs belong in the package."""
    if dossier.state not in (State.RETURNED, State.ARCHIVED):
        raise PackagingError(
            f"Hồ sơ đang ở trạng thái «{dossier.get_state_display()}»: chỉ lưu trữ hồ sơ đã trả "
            "kết quả."
        )
    busy = [
        f
        for f in dossier.scanned_files.all()
        if f.state in (ScannedFile.State.PENDING, ScannedFile.State.PROCESSING)
    ]
    if busy:
        raise PackagingError(
            f"Còn {len(busy)} tệp quét đang chờ nhận dạng (OCR); gói lưu trữ sẽ được lập khi "
            "nhận dạng xong."
        )


def render_missing_forms(dossier) -> bool:
    """Issue (render and store, through the dossiers app) the forms whose action happened
    while printing was deferred, so the package holds every form issued. True if any was."""
    stored = {f.event_id for f in dossier.printed_forms.all()}
    made = False
    for event in dossier.events.all():
        kind = EVENT_FORMS.get(event.action)
        if kind and event.pk not in stored:
            issue_form(dossier, kind, actor=event.actor, event=event)
            made = True
    return made


def _prefix(index, scan):
    if scan.role == ScannedFile.Role.RESULT:
        name = "ket-qua"
    else:
        name = slugify(fold(scan.component.name if scan.component else ""))[:40] or "thanh-phan"
    return f"data/{index:02d}-{name}"


def _suffix(name):
    dot = name.rfind(".")
    return name[dot:].lower() if dot > 0 and len(name) - dot <= 6 else ""


def _open(field_file, what):
    try:
        return field_file.storage.open(field_file.name, "rb")
    except FileNotFoundError as exc:
        raise PackagingError(
            f"Không tìm thấy {what} trong kho tệp ({field_file.name}): tệp đã bị xóa hoặc di "
            "chuyển trước khi lưu trữ. Khôi phục tệp rồi thử lại."
        ) from exc


def _copy(writer, path, field_file, *, role, label, expect=None):
    stream = _open(field_file, f"«{label}»")
    try:
        return writer.add_stream(path, stream, role=role, label=label, expect_sha256=expect)
    finally:
        stream.close()


def write_files(writer, dossier):
    """Copy every scan (original, searchable, signed) and every issued form into the bag."""
    for index, scan in enumerate(dossier.scanned_files.all(), start=1):
        prefix = _prefix(index, scan)
        what = "kết quả" if scan.role == ScannedFile.Role.RESULT else "thành phần"
        label = f"{scan.original_name} ({what})"
        _copy(
            writer,
            f"{prefix}-ban-goc{_suffix(scan.original.name)}",
            scan.original,
            role=f"{scan.role}-original",
            label=f"Bản gốc {label}",
            expect=scan.sha256,
        )
        if scan.searchable_pdf:
            _copy(
                writer,
                f"{prefix}-ban-tim-kiem.pdf",
                scan.searchable_pdf,
                role=f"{scan.role}-searchable",
                label=f"Bản PDF tìm kiếm được {label}",
            )
        signed = getattr(scan, "signed_copy", None)
        if signed is not None:
            _copy(
                writer,
                f"{prefix}-ban-ky-so.pdf",
                signed.pdf,
                role=f"{scan.role}-signed",
                label=f"Bản sao điện tử ký số {label}",
                expect=signed.sha256,
            )
    for index, form in enumerate(dossier.printed_forms.all(), start=1):
        _copy(
            writer,
            f"data/mau{form.code}-{index:02d}.pdf",
            form.pdf,
            role="form",
            label=form.label,
            expect=form.sha256,
        )


def _user(user):
    if user is None:
        return None
    return {"username": user.get_username(), "name": f"{user.last_name} {user.first_name}".strip()}


def _unit(unit):
    return {"code": unit.code, "name": unit.name} if unit else None


def history(dossier) -> list[dict]:
    return [
        {
            "action": e.action,
            "label": e.get_action_label(),
            "at": e.at,
            "from_state": e.from_state,
            "to_state": e.to_state,
            "actor": _user(e.actor),
            "actor_unit": _unit(e.actor_unit),
            "from_unit": _unit(e.from_unit),
            "to_unit": _unit(e.to_unit),
            "step": e.step.name if e.step else None,
            "step_due_at": e.step_due_at,
            "on_time": e.on_time,
            "electronic": e.electronic,
            "note": e.note,
        }
        for e in dossier.events.all()
    ]


def metadata(dossier, record, entries, *, retention, events) -> dict:
    d, a, p = dossier, dossier.applicant, dossier.procedure
    outcome = classify_finish(d.finished_at, d.due_at) if d.finished_at and d.due_at else None
    return {
        "format": "bacyen-portal archival package 1",
        "dossier": {
            "code": d.code,
            "channel": d.channel,
            "state_at_archiving": d.state,
            "receiving_unit": _unit(d.receiving_unit),
            "received_by": _user(d.received_by),
            "submitted_at": d.submitted_at,
            "received_at": d.received_at,
            "due_at": d.due_at,
            "appointment_at": d.appointment_at,
            "was_extended": d.was_extended,
            "finished_at": d.finished_at,
            "returned_at": d.returned_at,
            "deadline_outcome": outcome and {"code": outcome.value, "label": outcome.label},
            "note": d.note,
        },
        "applicant": {
            "kind": a.kind,
            "name": a.name,
            "id_number": a.id_number,
            "phone": a.phone,
            "address": a.address,
            "email": a.email,
        },
        "procedure": {
            "national_code": p.national_code,
            "name": p.name,
            "field": p.field.name,
            "legal_basis": p.legal_basis,
        },
        "components": [
            {"name": c.name, "form": c.form, "copies": c.copies, "received": c.received}
            for c in d.components.all()
        ],
        "retention": retention,
        "archived_at": timezone.now(),
        "archive_record": record.pk,
        "files": [dict(vars(e)) for e in entries],  # asdict() would deep-copy each string
        "history": events,
    }


def to_json(data) -> bytes:
    """Compact JSON: without ``indent`` the json module encodes in C, several times faster
    (index.html is the package's page for a person; any JSON viewer lays this one out)."""
    return json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).encode()


def index_html(dossier, meta, events) -> bytes:
    """The package's index for a person (a Jinja2 template: dossiers/jinja_env.py)."""
    template = engines["jinja2"].get_template("archive/package-index.html")
    return template.render({"dossier": dossier, "meta": meta, "events": events}).encode()


def search_text(dossier) -> str:
    """The record's folded words (code, applicant, procedure, unit, components, notes) for the
    archive's diacritics-insensitive search; the OCR text of its scans is searched where it
    already is, in digitization's page index (:func:`archive.queries.record_search`)."""
    d = dossier
    parts = [
        d.code,
        d.applicant.name,
        d.applicant.id_number,
        d.procedure.national_code,
        d.procedure.name,
        d.receiving_unit.name,
        *(c.name for c in d.components.all()),
        *(e.note for e in d.events.all()),
    ]
    return " ".join(fold(" ".join(p for p in parts if p)).split())
