"""Pages of the look-up in CSDLQG về dân cư: the reception form's panel and its look-up
(htmx, served here so that dossiers never imports us), the dossier page's panel, and the
monthly usage report. Thin: integrations/population.py does the work and the logging. The
look-up is a POST: the identity number travels in the body, never in a URL."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_POST

from dossiers.models import Dossier, Procedure
from dossiers.queries import clerk_unit

from . import population, population_usage, queries
from .adapters.population import NOT_CONNECTED, registry
from .models import PopulationCheck

PANEL = "integrations/population/_reception_panel.html"
RESULT = "integrations/population/_lookup_result.html"


def _counter_clerk(user):
    unit = clerk_unit(user)
    return unit if unit is not None and unit.has_counter else None


def _procedure(code):
    if not code or len(code) > 20:
        return None
    return Procedure.objects.filter(national_code=code, is_active=True).first()


@login_required
@require_GET
def reception_panel(request):
    """The look-up's fields and button inside the reception form (counter clerks only)."""
    if _counter_clerk(request.user) is None or request.GET.get("xoa"):
        return HttpResponse("")  # ?xoa=1: the result cleared once the number or name changes
    procedure = _procedure(request.GET.get("procedure", ""))
    context = {
        "connected": bool(registry().base_url),
        "not_connected": NOT_CONNECTED,
        "reason": f"Tiếp nhận hồ sơ thủ tục {procedure.national_code}" if procedure else "",
    }
    return render(request, PANEL, context)


@login_required
@require_POST
def lookup(request):
    """Press of "Tra cứu CSDLQG về dân cư": the answer, in the panel."""
    if _counter_clerk(request.user) is None:
        raise PermissionDenied("Chỉ cán bộ Bộ phận Một cửa tra cứu khi tiếp nhận.")
    procedure = _procedure(request.POST.get("procedure", ""))
    context = {"lookup": None, "error": ""}
    try:
        found = population.look_up(
            actor=request.user,
            id_number=request.POST.get("id_number", ""),
            full_name=request.POST.get("name", ""),
            birth_date=request.POST.get("population_birth_date", ""),
            reason=request.POST.get("population_reason", ""),
            procedure_code=procedure.national_code if procedure else "",
            request=request,
        )
    except population.PopulationError as exc:
        context["error"] = exc.message
    else:
        context["lookup"] = found
        if procedure is not None and found.result == found.Result.MATCH:
            names = procedure.components.values_list("name", flat=True)
            context["waived"] = population.replaced_components(names)
    return render(request, RESULT, context)


@login_required
@require_GET
def dossier_panel(request, code):
    try:
        dossier = queries.scoped_dossier(request.user, code)
    except Dossier.DoesNotExist:
        raise Http404("Không tìm thấy hồ sơ trong phạm vi đơn vị của bạn.") from None
    check = PopulationCheck.objects.filter(dossier=dossier).select_related("lookup").first()
    return render(
        request,
        "integrations/population/_dossier_panel.html",
        {"dossier": dossier, "check": check},
    )


@login_required
@require_GET
def usage_report(request):
    if not population_usage.may_read(request.user):
        raise PermissionDenied(population_usage.REFUSED)
    month = population_usage.Month.parse(request.GET.get("thang"))
    rows = population_usage.usage_rows(request.user, month)
    fmt = request.GET.get("dang", "")
    if fmt == "csv":
        return _download(population_usage.to_csv(rows), "text/csv; charset=utf-8", month, "csv")
    if fmt == "xlsx":
        xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        return _download(population_usage.to_xlsx(rows, month), xlsx, month, "xlsx")
    table = population_usage.as_table(rows)
    context = {"month": month, "head": table[0], "rows": table[1:]}
    return render(request, "integrations/population/usage_report.html", context)


def _download(content, content_type, month, ext):
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="su-dung-csdl-dan-cu-{month}.{ext}"'
    return response
