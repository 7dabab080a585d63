"""The reception form's panel of the applicant's reusable documents (served here so dossiers
never imports us; its ticks are posted with the form and recorded by services.reuse), and
opening a reused document from the dossier page (always logged)."""

import re

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from core.files import file_response
from dossiers import hooks
from dossiers import queries as dossier_queries
from dossiers.models import Procedure
from dossiers.services.access import log_access

from .. import queries
from ..models import ReuseChoice
from ..services.reuse import FIELD
from .scans import _dossier_or_404

ID_SHAPE = re.compile(r"[0-9-]{9,20}")
CODE_SHAPE = re.compile(r"\d{1,2}\.\d{6}")


@login_required
@require_http_methods(["GET", "POST"])
def reuse_panel(request):
    """htmx partial: for each required reusable component of the procedure, the applicant's
    valid stored documents of that kind, each with a "Tái sử dụng" tick. Counter clerks only."""
    unit = dossier_queries.clerk_unit(request.user)
    fields = hooks.panel_fields(request)
    id_number = fields.get("id_number", "").strip()
    code = fields.get("procedure", "").strip()
    rows = []
    if (
        unit is not None
        and unit.has_counter
        and ID_SHAPE.fullmatch(id_number)
        and CODE_SHAPE.fullmatch(code)
    ):
        procedure = Procedure.objects.filter(national_code=code, is_active=True).first()
        if procedure is not None:
            offers = queries.reuse_offers(procedure, id_number, timezone.localdate())
            rows = [
                (c, docs, set(fields.getlist(FIELD.format(c.pk)))) for c, docs in offers if docs
            ]
        if rows:
            log_access(
                "store.lookup",
                actor=request.user,
                request=request,
                data={"holder": id_number, "documents": sum(len(d) for _, d, _ in rows)},
            )
    return render(request, "digitization/_reuse_panel.html", {"rows": rows, "field": "reuse_"})


@login_required
@require_GET
def open_reused(request, code, pk):
    """The signed copy of a document reused for this dossier: open to whoever may see the
    dossier (the copy itself may come from another unit's dossier). Every open is logged."""
    dossier = _dossier_or_404(request.user, code)
    choice = (
        ReuseChoice.objects.select_related("document__signed_copy")
        .filter(dossier=dossier, pk=pk, reused=True, document__isnull=False)
        .first()
    )
    if choice is None:
        raise Http404("Không có giấy tờ tái sử dụng này trong hồ sơ.")
    document = choice.document
    log_access(
        "document.open",
        actor=request.user,
        target=document,
        request=request,
        data={
            "kind": "reused",
            "dossier": dossier.code,
            "title": document.title,
            "holder": document.holder_id,
        },
    )
    return file_response(
        document.signed_copy.pdf.open("rb"),
        content_type="application/pdf",
        filename=f"tai-su-dung-{document.pk}.pdf",
    )
