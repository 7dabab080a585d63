"""Search over dossiers (code, applicant, procedure) and the text of their scans."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from dossiers import queries as dossier_queries
from dossiers.services.access import log_access

from ..search import page_hits

MAX_QUERY = 200
DOSSIER_HITS = 10


@login_required
@require_GET
def search(request):
    query = " ".join(request.GET.get("q", "").split())[:MAX_QUERY]
    context = {"query": query, "dossiers": [], "hits": [], "searched": bool(query)}
    if query:
        listing = dossier_queries.dossier_list(request.user, text=query)
        context["dossiers"] = list(listing.rows[0:DOSSIER_HITS])
        context["hits"] = page_hits(request.user, query)
        if context["hits"]:
            # Search results show citizens' document text: the access is logged.
            log_access(
                "document.search",
                actor=request.user,
                request=request,
                data={"query": query, "pages": [h.page.pk for h in context["hits"]]},
            )
    return render(request, "digitization/search.html", context)
