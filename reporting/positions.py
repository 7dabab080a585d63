"""Where each counter stands on the map of counters (issue #23, item 5).

The points are the 2025 communes' and wards' of the ``vietnamadminunits`` package (PyPI, MIT
licence): its table ``admin_units`` (3,321 units of today's map) with ``wardLat`` / ``wardLon``,
which its author took from the Ministry's reference map sapnhap.bando.com.vn in July 2025 — a
representative point of each commune, not the seat of its People's Committee. The SQLite file
the package ships is read as data, without importing the package (its parser pulls in shapely
and geopy, which the portal does not need). A unit is found by its statistical code, then by
its name within the province (the two packages number phường Chiềng An differently); what
data/counter_map.json says about the source and the province's own centre is the data file's.
"""

import importlib.util
import sqlite3
from functools import cache
from pathlib import Path

PACKAGE = "vietnamadminunits"


def database() -> Path | None:
    """The package's SQLite file, or None when the package is not installed."""
    spec = importlib.util.find_spec(PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(next(iter(spec.submodule_search_locations))) / "data" / "dataset.db"
    return path if path.is_file() else None


@cache
def province_points(province_code: str) -> dict:
    """{"by_code": {ward code: (lat, lon)}, "by_name": {ward name: (lat, lon)}} of one
    province (statistical code, two digits); empty maps without the package."""
    path = database()
    found: dict = {"by_code": {}, "by_name": {}}
    if path is None:
        return found
    with sqlite3.connect(f"{path.as_uri()}?mode=ro&immutable=1", uri=True) as connection:
        rows = connection.execute(
            "SELECT wardCode, ward, wardLat, wardLon FROM admin_units WHERE provinceCode = ?",
            (province_code,),
        ).fetchall()
    for code, name, lat, lon in rows:
        if lat is None or lon is None:
            continue
        point = (round(float(lat), 4), round(float(lon), 4))
        found["by_code"][str(code).zfill(5)] = point
        found["by_name"][_key(name)] = point
    return found


def _key(name: str) -> str:
    return " ".join(str(name).split()).casefold()


def point_of(province_code: str, statistical_code: str | None, name: str) -> tuple | None:
    """(lat, lon) of a commune or ward by its code, else by its name; None if unknown."""
    points = province_points(province_code)
    if statistical_code and statistical_code.zfill(5) in points["by_code"]:
        return points["by_code"][statistical_code.zfill(5)]
    return points["by_name"].get(_key(name))
