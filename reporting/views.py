"""Reporting pages: the dashboard, the monthly table with its exports and its sending, the
dossiers behind a number, a sent report. Thin: parse, ask reporting's modules, render. Bad
input is a page with the Vietnamese reason and its status, never a 500."""

import logging
from datetime import timedelta
from functools import wraps
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from core.dates import day_text
from core.errors import PortalError
from core.pages import refusal_page
from dossiers.models import Field

from . import access, dashboard, database, exports, live, neighbours, periods, services
from .errors import ReportError
from .models import ReportJob, Snapshot
from .queries import drill_dossiers, drill_title, sent_snapshot, sent_snapshots, snapshot_changes
from .tables import CELL_LABELS, COLUMNS, GROUP_LABELS, GROUPS, TOTALS, monthly_table

logger = logging.getLogger(__name__)


def report_page(view):
    """Login, reader role, and a refusal drawn in the reports' layout with its status."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            access.check_reader(request.user)
            if request.method not in ("GET", "HEAD"):
                return view(request, *args, **kwargs)
            # A page that only reads is drawn again from the primary when the replica is
            # down; the dashboard says the replica does not answer.
            return database.read_or_primary(view, request, *args, **kwargs)
        except PortalError as exc:
            title = "Không xem được báo cáo" if exc.status == 403 else "Yêu cầu báo cáo chưa hợp lệ"
            return refusal_page(
                request, exc, "reporting/problem.html", title=title, **_picker(request)
            )

    return wrapper


def _picker(request):
    """The unit and period picker's choices and current values (also on error pages)."""
    units = access.reportable_units(request.user)
    q = request.GET
    try:
        period = periods.parse(q)
    except ReportError:
        # The error page still offers the picker, set on what could be read of the request.
        period = periods.current_month()
    first = period.first
    return {
        "picker_units": units,
        "picker_unit": q.get("unit", ""),
        "picker_kind": period.kind,
        "picker_year": first.year,
        "picker_month": first.month,
        "picker_quarter": (first.month - 1) // 3 + 1,
        "picker_half": 1 if first.month <= 6 else 2,
        "picker_years": periods.picker_years(period),
        "picker_from": q.get("from", "") or day_text(first),
        "picker_to": q.get("to", "") or day_text(period.last),
        "kinds": periods.KINDS,
    }


TABLE_CONTEXT = {
    "export_columns": exports.EXPORT_COLUMNS,
    "short_labels": exports.SHORT_LABELS,
    "bold_columns": ("received", "finished", "in_progress"),
}


def _unit_and_period(request):
    unit = access.resolve_unit(request.user, request.GET.get("unit", ""))
    period = periods.parse(request.GET, default=periods.current_month())
    return unit, period


def _query(unit, period, **extra):

    return urlencode({"unit": unit.code, **period.query(), **extra})


def _replica_age():
    """What the dashboard says of its source: None on the primary; else the replica's lag
    (seconds) and the moment its data reaches, or that it does not answer."""
    try:
        lag = database.replica_lag()
    except Exception:  # noqa: BLE001 - the page still answers, and says so
        logger.warning("Reporting replica unreachable for its lag", exc_info=True)
        return {"down": True}
    if lag is None:
        return None
    return {"lag": round(lag), "as_of": timezone.localtime() - timedelta(seconds=lag)}


@report_page
def dashboard_view(request):
    unit, period = _unit_and_period(request)
    scope = access.scope(request.user)
    job = None
    if dashboard.is_heavy(unit, period):
        data, job = services.ensure_job(unit, period, user=request.user, scope=scope)
        if data is None and job.state == ReportJob.State.DONE:  # computed in-process just now
            data = dashboard.cached(unit, period, scope=scope)[1]
    else:
        data = dashboard.get_or_compute(unit, period, scope=scope)
    context = {
        "unit": unit,
        "period": period,
        "data": data,
        "job": job,
        "replica": _replica_age(),
        "query": _query(unit, period),
        "unit_query": _query(unit, period),
        "title": f"Bảng điều khiển · {unit.name}",
        **_picker(request),
        **TABLE_CONTEXT,
        # Today's figures, polled every few seconds (reporting/live.py).
        **live.fragment(unit, scope),
    }
    if data is not None:
        context["ranking"] = data["ranking"]
        context["cards"] = data["indicators"]
        context["chart_data"] = {
            "trend": data["trend"],
            "ranking": [
                {"label": r["label"], "value": r["on_time_rate"]}
                for r in data["ranking"]
                if r["on_time_rate"] is not None
            ],
            "targets": {m["code"]: m["target"] for m in data["indicators"]},
        }
    return render(request, "reporting/dashboard.html", context)


@report_page
def job_progress(request, pk):
    job = get_object_or_404(ReportJob, pk=pk)
    access.resolve_unit(request.user, job.unit.code)  # the job's unit must be in scope
    response = render(request, "reporting/_progress.html", {"job": job})
    if job.state == ReportJob.State.DONE:
        response["HX-Refresh"] = "true"
    return response


@report_page
def table_view(request):
    unit, period = _unit_and_period(request)
    group_by = request.GET.get("nhom", "field")
    if group_by not in GROUPS:
        raise ReportError(f"Không có cách nhóm «{group_by}».", field="nhom")
    where, field = None, None
    if request.GET.get("linh_vuc"):
        field = Field.objects.filter(pk=_int(request.GET["linh_vuc"], "linh_vuc")).first()
        if field is None:
            raise ReportError("Không có lĩnh vực này.", status=404, field="linh_vuc")
        where = {"procedure__field": field}
    scope = access.scope(request.user)
    table = monthly_table(unit, period, group_by=group_by, scope=scope, where=_q(where))
    snapshot = sent_snapshot(unit, period)
    changes = snapshot_changes(snapshot, scope=scope) if snapshot and group_by == "field" else []
    context = {
        "unit": unit,
        "period": period,
        "table": table,
        "group_by": group_by,
        "group_label": GROUP_LABELS[group_by],
        "columns": COLUMNS,
        "field": field,
        "query": _query(unit, period),
        "snapshot": snapshot,
        "changes": changes,
        "cell_labels": CELL_LABELS,
        "title": f"Báo cáo {period.label} · {unit.name}",
        "export_query": _query(unit, period, nhom=group_by),
        **_picker(request),
        "table_data": dashboard.table_data(table),
        **TABLE_CONTEXT,
    }
    return render(request, "reporting/table.html", context)


def _q(where):

    return Q(**where) if where else None


def _int(text, field):
    try:
        return int(text)
    except (TypeError, ValueError) as exc:
        raise ReportError("Giá trị không hợp lệ.", field=field) from exc


@report_page
def neighbours_view(request):
    """The national neighbours' shares (population data, online payment, post) of the unit
    and period picked, each number linked to its dossiers (?chi-so=<key>)."""
    unit, period = _unit_and_period(request)
    scope = access.scope(request.user)
    key = request.GET.get("chi-so", "")
    context = {
        "unit": unit,
        "period": period,
        "query": _query(unit, period),
        "title": f"Kết nối quốc gia · {unit.name}",
        **_picker(request),
    }
    if key:
        if key not in neighbours.DRILLS:
            raise ReportError(f"Không có chỉ số «{key}».", field="chi-so")
        rows = neighbours.neighbour_dossiers(unit, period, key, scope=scope)
        params = request.GET.copy()
        params.pop("page", None)
        context.update(
            page=Paginator(rows, 50).get_page(request.GET.get("page")),
            querystring=params.urlencode(),
            title=f"{neighbours.LABELS[key][0]} · {unit.name} · {period.label}",
        )
        return render(request, "reporting/drilldown.html", context)
    context["measures"] = neighbours.neighbour_measures(unit, period, scope=scope)
    return render(request, "reporting/neighbours.html", context)


@report_page
def drilldown_view(request):
    unit, period = _unit_and_period(request)
    cell = request.GET.get("o", "")
    if cell not in CELL_LABELS:
        raise ReportError(f"Không có ô «{cell}» trong báo cáo.", field="o")
    group, key = request.GET.get("nhom", ""), request.GET.get("dong", "")
    if group and group not in GROUPS:
        raise ReportError(f"Không có cách nhóm «{group}».", field="nhom")
    row = _int(key, "dong") if group and key else None
    dossiers = drill_dossiers(request.user, unit, period, cell, group=group, key=row)
    page = Paginator(dossiers, 50).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    context = {
        "unit": unit,
        "period": period,
        "page": page,
        "querystring": params.urlencode(),
        "title": drill_title(unit, period, cell, group, row),
        "query": _query(unit, period),
    }
    return render(request, "reporting/drilldown.html", context)


@report_page
def export_view(request, fmt):
    if fmt not in exports.CONTENT_TYPES:
        raise ReportError(f"Không có định dạng «{fmt}»: chỉ csv, xlsx, pdf.", status=404)
    unit, period = _unit_and_period(request)
    group_by = request.GET.get("nhom", "field")
    if group_by not in GROUPS:
        raise ReportError(f"Không có cách nhóm «{group_by}».", field="nhom")
    table = monthly_table(unit, period, group_by=group_by, scope=access.scope(request.user))
    user = request.user
    name = f"{user.last_name} {user.first_name}".strip() or user.get_username()
    data = exports.render(table, fmt, **({"prepared_by": name} if fmt == "pdf" else {}))
    response = HttpResponse(data, content_type=exports.CONTENT_TYPES[fmt])
    disposition = "inline" if fmt == "pdf" else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{exports.filename(table, fmt)}"'
    return response


@require_POST
@report_page
def send_view(request):
    unit = access.resolve_unit(request.user, request.POST.get("unit", ""))
    period = periods.parse(request.POST)
    snapshot = services.send_report(
        unit, period, actor=request.user, scope=access.scope(request.user), request=request
    )
    messages.success(request, f"Đã gửi báo cáo {period.label.lower()} của {unit.name}.")
    return redirect(reverse("reporting:snapshot", args=[snapshot.pk]))


@report_page
def snapshot_view(request, pk):
    snapshot = get_object_or_404(Snapshot.objects.select_related("unit", "sent_by"), pk=pk)
    access.resolve_unit(request.user, snapshot.unit.code)
    period = periods.Period(snapshot.period_kind, snapshot.start, snapshot.end)
    changes = snapshot_changes(snapshot, scope=access.scope(request.user))
    rows = [{"label": r["label"], "cells": _cells(r["counts"])} for r in snapshot.rows]
    total = _cells(
        {c.code: sum(r["counts"].get(c.code, 0) for r in snapshot.rows) for c in COLUMNS}
    )
    context = {
        "snapshot": snapshot,
        "period": period,
        "rows": rows,
        "total": total,
        "columns": COLUMNS,
        "changes": changes,
        "cell_labels": CELL_LABELS,
        "query": _query(snapshot.unit, period),
        "title": f"Báo cáo đã gửi · {period.label} · {snapshot.unit.name}",
        **TABLE_CONTEXT,
    }
    return render(request, "reporting/snapshot.html", context)


def _cells(counts):
    cells = {c.code: counts.get(c.code, 0) for c in COLUMNS}
    for total, parts in TOTALS.items():
        cells[total] = sum(cells[p] for p in parts)
    return cells


@report_page
def snapshot_list(request):
    sent = sent_snapshots(request.user)[:100]
    return render(
        request,
        "reporting/snapshot_list.html",
        {"snapshots": sent, "title": "Báo cáo đã gửi", **_picker(request)},
    )
