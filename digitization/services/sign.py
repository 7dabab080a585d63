"""Signing a digitized copy or a result (ký số) with the unit's certificate, and filing it in
the applicant's store (Nghị định 45/2020)."""

import hashlib

from django.core.files.base import ContentFile
from django.db import transaction

from core.errors import PortalError
from dossiers.services.audit import record
from dossiers.text import full_name

from .. import signing
from ..models import ScannedFile, SignedCopy, StoredDocument


class SignRefused(PortalError):  # noqa: N818 - a refusal, not a fault
    """str() and ``message`` are the Vietnamese reason."""


def sign_copy(scanned: ScannedFile, *, actor, request=None) -> SignedCopy:
    """Sign the file's searchable copy (never the original, never in place) with the
    certificate of the file's unit. One transaction; a file is signed once."""
    if scanned.state != ScannedFile.State.DONE:
        raise SignRefused("Tệp chưa nhận dạng xong, chưa ký số được.")
    if scanned.signed_original:
        raise SignRefused("Tệp đã có chữ ký số từ trước; giữ nguyên, không ký đè.")
    if SignedCopy.objects.filter(scanned_file=scanned).exists():
        raise SignRefused("Tệp đã được ký số.")
    with scanned.searchable_pdf.open("rb") as stream:
        source = stream.read()
    name = full_name(actor)
    reason = (
        "Chứng thực bản sao điện tử từ bản chính"
        if scanned.role == "component"
        else ("Kết quả giải quyết thủ tục hành chính")
    )
    try:
        signed = signing.sign_pdf(
            source, unit_code=scanned.unit.code, reason=reason, signer_name=name
        )
    except signing.SigningError as problem:
        raise SignRefused(f"Không ký số được: {problem}") from problem
    digest = hashlib.sha256(signed).hexdigest()
    with transaction.atomic():
        copy = SignedCopy(
            scanned_file=scanned,
            sha256=digest,
            unit=scanned.unit,
            signer_name=name,
            signed_by=actor,
            reason=reason,
        )
        copy.pdf.save(f"{digest}.pdf", ContentFile(signed), save=False)
        copy.save()
        record(
            "change",
            "scan_signed",
            actor=actor,
            target=scanned.dossier or scanned,
            request=request,
            unit=scanned.unit,
            data={"file": scanned.original_name, "sha256": digest},
        )
        if scanned.dossier_id:
            _file_in_store(copy, scanned, actor)
    return copy


def _file_in_store(copy, scanned, actor):
    """A signed result, or a signed copy of a reusable kind of paper, goes into the
    applicant's store under the ID number or tax code."""
    dossier = scanned.dossier
    applicant = dossier.applicant
    doc_type = None
    title = scanned.original_name
    if scanned.role == "result":
        doc_type = dossier.procedure.result_type
        title = f"Kết quả: {dossier.procedure.name}"
    elif scanned.component_id and scanned.component.component_id:
        doc_type = scanned.component.component.reusable_type
        title = scanned.component.name
    if doc_type is None or not applicant.id_number:
        return None
    return StoredDocument.objects.create(
        holder_id=applicant.id_number,
        holder_name=applicant.name,
        document_type=doc_type,
        title=title[:400],
        signed_copy=copy,
        source_dossier=dossier,
        unit=scanned.unit,
        issued_on=copy.signed_at.date() if copy.signed_at else dossier.received_at.date(),
        filed_by=actor,
    )


def verification(copy: SignedCopy) -> list:
    with copy.pdf.open("rb") as stream:
        return signing.verify_pdf(stream.read())
