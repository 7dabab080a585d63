"""The live strip of the dashboard and the map of counters (issue #23, items 4 and 5).

The pages follow their figures through a server-sent event stream (live_stream.py); these
fragments are what the stream sends, and what a browser without EventSource polls every 3 s
(static/js/live.js). Both read the cached live payload (reporting/live.py). A fragment's
poll URL carries a digest of the cache key it was drawn from: while the key is the same (no
dossier, rating, PAKN or ticket saved, same minute) the answer is an empty 204 — a poll then
costs the login check and one cache read, no rendering."""

import json
from functools import cache as memoised
from pathlib import Path

from django.http import HttpResponse
from django.shortcuts import render

from . import access, live
from .views import _picker, _query, _unit_and_period, report_page

MAP_FILE = Path(__file__).resolve().parent / "data" / "counter_map.json"


@memoised
def map_rules() -> dict:
    """The map's colour levels and where its positions come from (data/counter_map.json)."""
    return json.loads(MAP_FILE.read_text(encoding="utf-8"))


def level(measure: str, value) -> str:
    """good / warn / bad by the data file's thresholds; none without a value."""
    if value is None:
        return "none"
    rule = map_rules()["measures"][measure]
    good, bad = rule["good"], rule["bad"]
    if rule["higher_is_better"]:
        return "good" if value >= good else "bad" if value < bad else "warn"
    return "good" if value <= good else "bad" if value > bad else "warn"


def map_markers(data) -> list[dict]:
    """What the map's script draws: each counter with its figures and their levels."""
    measures = map_rules()["measures"].items()
    return [
        {**row, "levels": {m: level(m, row[rule["field"]]) for m, rule in measures}}
        for row in data["counters"]
    ]


def _fragment(request, template, *, markers=False):
    unit, _ = _unit_and_period(request)
    context = live.fragment(unit, access.scope(request.user), seen=request.GET.get("seen", ""))
    if context is None:
        return HttpResponse(status=204)
    if markers:
        context["markers"] = map_markers(context["live"])
    return render(request, template, context)


@report_page
def live_strip(request):
    """The dashboard's "today" strip; 204 while unchanged."""
    return _fragment(request, "reporting/_live.html")


@report_page
def map_data(request):
    """The markers' data and the table beside the map; 204 while unchanged."""
    return _fragment(request, "reporting/_map_data.html", markers=True)


@report_page
def map_view(request):
    """The map of the counters of the reader's province (or own unit)."""
    unit, period = _unit_and_period(request)
    context = live.fragment(unit, access.scope(request.user))
    rules = map_rules()
    context |= {
        "unit": unit,
        "markers": map_markers(context["live"]),
        "period": period,
        "query": _query(unit, period),
        "title": f"Bản đồ các Trung tâm · {unit.name}",
        "measures": rules["measures"],
        "legend": rules["levels"],
        "positions_note": rules["positions"]["label"],
        **_picker(request),
    }
    return render(request, "reporting/map.html", context)
