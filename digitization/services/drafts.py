"""Drafts of online submissions (models/drafts.py): what a citizen chose is kept on the server
until the dossier is submitted, so that an error in one field never costs them their files.

The draft is found by the form's hidden token (the same page, again) or by its short code
(resumed later, typed into the page: never in a URL). The files are kept as uploaded, not
checked: the submission checks them (services/online.py) and a refused file leaves the draft."""

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from ..forms import component_field
from ..models import DraftFile, OnlineDraft

# The fields a resumed draft fills the form with again (never the pledge: it is given anew).
KEPT_FIELDS = ("unit", "kind", "id_number", "name", "phone", "email", "address")


def keep(token, procedure, request) -> OnlineDraft | None:
    """The draft of ``token`` for ``procedure`` with the files just chosen — replacing the
    ones kept for the same paper — and the fields just typed; None without a token."""
    token = (token or "").strip()[:64]
    if len(token) < 16:
        return None
    components = list(procedure.components.all())
    with transaction.atomic():
        draft, _ = OnlineDraft.objects.select_for_update().get_or_create(
            token=token, defaults={"procedure": procedure}
        )
        if draft.procedure_id != procedure.pk:
            return None
        # NUL cannot be stored in PostgreSQL's text: what a form validates away anyway.
        draft.fields = {
            name: request.POST.get(name, "").replace("\x00", "")[:300] for name in KEPT_FIELDS
        }
        draft.save(update_fields=["fields"])
        for component in components:
            chosen = [f for f in request.FILES.getlist(component_field(component.pk)) if f]
            if not chosen:
                continue
            for old in draft.files.filter(component=component):
                _remove(old)
            for upload in chosen:
                kept = DraftFile(
                    draft=draft,
                    component=component,
                    original_name=(upload.name or "tep").replace("\x00", "")[:255],
                    content_type=(upload.content_type or "").replace("\x00", "")[:100],
                    size=upload.size or 0,
                )
                kept.content.save("tep", upload, save=False)
                kept.save()
    return draft


def uploads(draft) -> dict:
    """The draft's files as the form's file fields, as if chosen again."""
    files = {}
    for kept in draft.files.all():
        upload = UploadedFile(
            file=kept.content.open("rb"),
            name=kept.original_name,
            content_type=kept.content_type,
            size=kept.size,
        )
        files.setdefault(component_field(kept.component_id), []).append(upload)
    return files


def kept_by_component(draft) -> dict:
    """{component id: [DraftFile]} for the page's "đã giữ" lines."""
    kept = {}
    for row in draft.files.all() if draft else []:
        kept.setdefault(row.component_id, []).append(row)
    return kept


def drop(draft, names) -> None:
    """Forget the files named (refused by the submission's checks)."""
    for kept in draft.files.filter(original_name__in=list(names)):
        _remove(kept)


def resume(code, procedure) -> OnlineDraft | None:
    """The draft of ``code`` for ``procedure`` while it is kept."""
    code = (code or "").strip().upper().replace(" ", "")[:8]
    return OnlineDraft.objects.filter(
        code=code, procedure=procedure, expires_at__gt=timezone.now()
    ).first()


def discard(draft) -> None:
    """The dossier went through: its draft and files go."""
    for kept in draft.files.all():
        kept.content.delete(save=False)
    draft.delete()


def sweep_expired() -> int:
    """Drafts past their 24 hours, with their files; how many."""
    old = list(OnlineDraft.objects.filter(expires_at__lte=timezone.now()))
    for draft in old:
        discard(draft)
    return len(old)


def _remove(kept) -> None:
    kept.content.delete(save=False)
    kept.delete()
