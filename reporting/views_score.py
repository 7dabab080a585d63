"""The QĐ 766 score pages: a unit and period's score with its groups and sub-indicators, the
trend over 12 periods, the rows behind each lost point, and the exports. Same access rules,
picker and refusals as the other report pages (views.report_page)."""

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render

from dossiers.services import log_access

from . import access, score766
from .errors import ReportError
from .score766 import exports, lost
from .score766.rules import COMMUNE, data
from .views import _picker, _query, _unit_and_period, report_page

BAR_HEIGHT = 80  # px of the trend's tallest bar (100 points)


def _bars(trend):
    """The trend as inline SVG bars: x, height and label of each period."""
    width = 36
    return {
        "width": width * len(trend),
        "height": BAR_HEIGHT + 18,
        "bars": [
            {
                "x": i * width + 4,
                "w": width - 8,
                "h": round(BAR_HEIGHT * s.total / 100, 1),
                "y": round(BAR_HEIGHT - BAR_HEIGHT * s.total / 100, 1),
                "label": s.period_label,
                "total": s.total,
            }
            for i, s in enumerate(trend)
        ],
    }


@report_page
def score_view(request):
    unit, period = _unit_and_period(request)
    scope = access.scope(request.user)
    result = score766.score(unit, period, scope=scope)
    trend = score766.trend(unit, period, scope=scope)
    context = {
        "unit": unit,
        "period": period,
        "score": result,
        "trend": trend,
        "chart": _bars(trend),
        "commune": result.level == COMMUNE,
        "rules": data(),
        "query": _query(unit, period),
        "title": f"Điểm Bộ chỉ số 766 · {unit.name}",
        **_picker(request),
    }
    return render(request, "reporting/score766.html", context)


@report_page
def lost_view(request):
    """The dossiers or PAKN that cost one sub-indicator (?chi-so=<code>) its points."""
    unit, period = _unit_and_period(request)
    code = request.GET.get("chi-so", "")
    kind, rows = lost.lost_rows(request.user, unit, period, code)
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    log_access(
        "score766.lost",
        actor=request.user,
        request=request,
        data={"unit": unit.code, "period": period.token, "item": code, "shown": len(page)},
    )
    params = request.GET.copy()
    params.pop("page", None)
    item = next(i for i in data()["items"] if i["code"] == code)
    context = {
        "unit": unit,
        "period": period,
        "page": page,
        "querystring": params.urlencode(),
        "query": _query(unit, period),
        "item": item,
        "title": f"Mất điểm: {item['name']} · {period.label} · {unit.name}",
    }
    template = "reporting/drilldown.html" if kind == "dossier" else "reporting/score766_pakn.html"
    return render(request, template, context)


@report_page
def export_view(request, fmt):
    if fmt not in exports.CONTENT_TYPES:
        raise ReportError(f"Không có định dạng «{fmt}»: chỉ csv, xlsx.", status=404)
    unit, period = _unit_and_period(request)
    scope = access.scope(request.user)
    result = score766.score(unit, period, scope=scope)
    body = exports.render(result, score766.trend(unit, period, scope=scope), fmt)
    response = HttpResponse(body, content_type=exports.CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{exports.filename(result, fmt)}"'
    return response
