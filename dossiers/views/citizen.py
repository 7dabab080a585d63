""" "Hồ sơ của tôi": the signed-in citizen's dossiers (dossiers/public_identity.py says who is
signed in; integrations/vneid.py signs them in with VNeID). The list is found by the identity
number the provider asserted, and a dossier of the list opens without the receipt's second
factor. Any other code, or a visitor not signed in, meets the status page's usual form: whether
a code exists, or whose it is, is never told here."""

from django.core.paginator import Paginator
from django.shortcuts import render
from django.urls import get_script_prefix

from .. import public_identity, queries
from ..services import log_access
from ..workflow import PUBLIC_LABELS
from .public import links, status_context

PER_PAGE = 10


def my_dossiers(request):
    citizen = public_identity.current_citizen(request)
    if citizen is None:
        return render(request, "dossiers/public/my_dossiers.html", {"signed_out": True})
    page = Paginator(queries.citizen_dossiers(citizen.id_number), PER_PAGE).get_page(
        request.GET.get("page")
    )
    rows = [(d, PUBLIC_LABELS[d.state]) for d in page]
    applicant = queries.applicant_by_id_number(citizen.id_number)
    if applicant is not None:
        log_access(
            "citizen.dossiers_listed",
            actor=None,
            target=applicant,
            request=request,
            data={"username": citizen.label, "page": page.number, "shown": len(rows)},
        )
    return render(request, "dossiers/public/my_dossiers.html", {"page": page, "rows": rows})


def my_dossier(request):
    """One of the citizen's dossiers by its code (``?ma=``), without the second factor; for a
    code that is not theirs (or none, or a visitor not signed in), the status page's form."""
    code = request.GET.get("ma", "")[:40]
    citizen = public_identity.current_citizen(request)
    owned = queries.owned_public_status(code, citizen.id_number) if citizen else None
    addresses = links(get_script_prefix())
    if owned is None:
        context = {"code": code, "factor": "", "links": addresses, "ask_factor": True}
        return render(request, "public/status.html", context)
    dossier, status = owned
    log_access(
        "dossier.public_view",
        actor=None,
        target=dossier,
        request=request,
        data={"username": citizen.label, "via": citizen.provider},
    )
    context = {"code": status.code, "owned": True, **status_context(status, addresses)}
    return render(request, "public/status.html", context)
