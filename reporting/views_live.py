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

from dossiers.services.todays_map import read_map

from . import access, live, positions
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


@memoised
def _province_code() -> str:
    """The province of today's map (dossiers/data/map_2025.json), two digits."""
    return f"{read_map()['province']['statistical_code']:02d}"


def place(row) -> tuple | None:
    """(lat, lon) of a counter: its commune's point, or the point data/counter_map.json puts
    a centre of its own at (the province's); None for a unit the map has no place for (the
    district map's counters)."""
    province = _province_code()
    centre = map_rules()["positions"]["centres"].get(row["code"])
    if centre is not None:
        return positions.point_of(province, centre["at"], "")
    if not row.get("statistical_code"):
        return None
    return positions.point_of(province, row["statistical_code"], row["short_name"])


def map_markers(data) -> list[dict]:
    """What the map's script draws: each counter with its figures, their levels and its
    place (``lat``/``lon``, None when it has none)."""
    measures = map_rules()["measures"].items()
    markers = []
    for row in data["counters"]:
        at = place(row)
        markers.append(
            {
                **row,
                "levels": {m: level(m, row[rule["field"]]) for m, rule in measures},
                "lat": at and at[0],
                "lon": at and at[1],
            }
        )
    return markers


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
    markers = map_markers(context["live"])
    placed = any(m["lat"] is not None for m in markers)
    context |= {
        "unit": unit,
        "markers": markers,
        "period": period,
        "query": _query(unit, period),
        "title": f"Bản đồ các Trung tâm · {unit.name}",
        "measures": rules["measures"],
        "legend": rules["levels"],
        "positions_note": rules["positions"]["label" if placed else "schematic_label"],
        **_picker(request),
    }
    return render(request, "reporting/map.html", context)
