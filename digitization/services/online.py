"""Online submission and online supplements with their files.

A dossier submitted online arrives with its papers as uploads; an answer to a request for
supplements (Mẫu 02) arrives as uploads too. Both live here, not in ``dossiers``, because
they write both apps' rows and the arrows point digitization → dossiers (design.md): the
dossier and its history through dossiers' services, the files through ``intake``. Every
file is checked before anything is written (``check_upload`` writes nothing), so a refused
file costs the citizen nothing but the message naming it; then the dossier and its files
are written in one transaction, and their OCR is enqueued after commit.
"""

from django.db import transaction

from dossiers.services import ReceivedComponent, record_online_supplement, submit_online
from dossiers.services.errors import WorkflowError

from ..models import ScannedFile
from .intake import AttachResult, UploadRefused, attach, check_upload

MAX_FILES_PER_COMPONENT = 10
MAX_FILES = 30


class OnlineRefused(WorkflowError):  # noqa: N818 - a refusal, not a fault
    """Nothing was written; ``message`` says why in Vietnamese, ``refused`` lists the files
    refused as (file name, reason)."""

    def __init__(self, message, *, refused=(), field=None, status=400):
        super().__init__(message, status=status, field=field)
        self.refused = list(refused)

    def body(self) -> dict:
        body = super().body()
        if self.refused:
            body["refused"] = [{"file": name, "reason": reason} for name, reason in self.refused]
        return body


def _check_files(files_by_key: dict) -> None:
    """Count limits, then every file's content; raises OnlineRefused with all refusals."""
    total = sum(len(files) for files in files_by_key.values())
    if total > MAX_FILES:
        raise OnlineRefused(f"Gửi tối đa {MAX_FILES} tệp một lần (đã chọn {total} tệp).")
    refused = []
    for files in files_by_key.values():
        if len(files) > MAX_FILES_PER_COMPONENT:
            raise OnlineRefused(
                f"Mỗi thành phần hồ sơ tối đa {MAX_FILES_PER_COMPONENT} tệp (đã chọn "
                f"{len(files)} tệp)."
            )
        for upload in files:
            try:
                check_upload(upload)
            except UploadRefused as refusal:
                refused.append((refusal.name, refusal.problem))
    if refused:
        raise OnlineRefused(
            "Chưa nộp được: có tệp không hợp lệ (xem từng tệp bên dưới). Xin chọn lại tệp.",
            refused=refused,
        )


def _attach_all(dossier, files_by_component, *, request) -> AttachResult:
    result = AttachResult()
    for component, uploads in files_by_component:
        if not uploads:
            continue
        part = attach(
            dossier=dossier,
            component=component,
            uploads=uploads,
            source="online",
            request=request,
        )
        if part.refused:  # checked above; a file that changed since is still refused
            raise OnlineRefused("Chưa nộp được: có tệp không hợp lệ.", refused=part.refused)
        result.added += part.added
        result.duplicates += part.duplicates
    return result


def submit_with_files(
    *,
    procedure,
    unit,
    applicant: dict,
    files: dict,
    idempotency_key=None,
    request=None,
    channel="online",
    at=None,
    form_data=None,
):
    """Submit a dossier online with its papers. ``files`` maps a ProcedureComponent's id to
    the uploads for it; a required component needs at least one. Returns (dossier,
    AttachResult). Raises OnlineRefused or WorkflowError (nothing written). The same
    ``idempotency_key`` twice returns the first dossier, its files untouched. ``channel`` and
    ``at`` go to dossiers' submit_online (a dossier taken in from the national portal)."""
    catalogue = list(procedure.components.all())
    known = {c.pk for c in catalogue}
    if set(files) - known:
        raise OnlineRefused("Thành phần hồ sơ không thuộc thủ tục đã chọn.", field="files")
    missing = [c.name for c in catalogue if c.required and not files.get(c.pk)]
    if missing:
        raise OnlineRefused(
            "Chưa tải lên giấy tờ bắt buộc: " + "; ".join(missing) + ".", field="files"
        )
    _check_files(files)
    with transaction.atomic():
        dossier = submit_online(
            procedure=procedure,
            unit=unit,
            applicant=applicant,
            request=request,
            components=[
                ReceivedComponent(c.pk, c.copies, received=bool(files.get(c.pk))) for c in catalogue
            ],
            idempotency_key=idempotency_key,
            channel=channel,
            at=at,
            form_data=form_data,
        )
        if ScannedFile.objects.filter(dossier=dossier).exists():
            return dossier, AttachResult()  # the same form sent again: already attached
        by_component = [
            (part, files.get(part.component_id, [])) for part in dossier.components.all()
        ]
        result = _attach_all(dossier, by_component, request=request)
    return dossier, result


def supplement_with_files(*, dossier, files: dict, note="", request=None):
    """The applicant answers a request for supplements online. ``files`` maps a
    DossierComponent's id (0: a paper not in the list) to uploads; at least one file. The
    files are attached and the answer recorded in the history in one transaction; the
    counter then confirms with «Đã nhận bổ sung». Returns the AttachResult."""
    if dossier.state != "supplement_requested":
        raise OnlineRefused("Hồ sơ này hiện không chờ bổ sung giấy tờ.", status=409)
    if not any(files.values()):
        raise OnlineRefused("Chọn ít nhất một tệp giấy tờ bổ sung.", field="files")
    parts = {part.pk: part for part in dossier.components.all()}
    if set(files) - set(parts) - {0}:
        raise OnlineRefused("Thành phần hồ sơ không thuộc hồ sơ này.", field="files")
    _check_files(files)
    with transaction.atomic():
        result = _attach_all(
            dossier,
            [(parts.get(key), uploads) for key, uploads in files.items()],
            request=request,
        )
        names = [f.original_name for f in result.files]
        record_online_supplement(dossier.pk, files=names, note=note, request=request)
    return result
