"""Where the map of counters puts each counter (reporting/positions.py, issue #23 item 5):
every commune and ward of today's Sơn La at its own point, found by code or by name, the
province's centre where the data file puts it, the district map's counters nowhere."""

from vietnam_provinces import ProvinceCode, Ward

from reporting import positions
from reporting.views_live import map_markers, map_rules, place

SON_LA = "14"


def son_la_wards():
    return [w for w in Ward.iter_all() if w.province_code == ProvinceCode(int(SON_LA))]


def row(code, statistical_code, short_name):
    return {"code": code, "statistical_code": statistical_code, "short_name": short_name}


def test_every_commune_and_ward_of_son_la_has_a_point_inside_the_province():
    wards = son_la_wards()
    assert len(wards) == 75
    points = {w.name: positions.point_of(SON_LA, f"{w.code.value:05d}", w.name) for w in wards}
    assert None not in points.values(), [name for name, p in points.items() if p is None]
    # Sơn La lies between about 20.6° and 22.0° N, 103.2° and 105.0° E.
    assert all(20.5 < lat < 22.1 and 103.2 < lon < 105.1 for lat, lon in points.values())
    assert len(set(points.values())) == 75  # no two communes on one point
    # North is north: Mường Giôn (Quỳnh Nhai, on the Đà river) lies north of Sốp Cộp.
    assert points["Xã Mường Giôn"][0] > points["Xã Sốp Cộp"][0]


def test_a_ward_numbered_differently_by_the_two_packages_is_found_by_its_name():
    chieng_an = next(w for w in son_la_wards() if w.name == "Phường Chiềng An")
    code = f"{chieng_an.code.value:05d}"
    assert code not in positions.province_points(SON_LA)["by_code"]
    assert positions.point_of(SON_LA, code, "Phường Chiềng An") is not None
    assert positions.point_of(SON_LA, code, "Phường Không Có") is None
    assert positions.point_of(SON_LA, "99999", "") is None


def test_the_provinces_centre_stands_where_the_data_file_puts_it_and_old_counters_nowhere():
    centre = map_rules()["positions"]["centres"]["H50.TT"]
    at = place(row("H50.TT", None, "TTPVHCC tỉnh"))
    assert at == positions.point_of(SON_LA, centre["at"], "")
    assert "unverified" in centre["basis"]
    assert place(row("H50.22.02", None, "Bộ phận Một cửa huyện")) is None  # district map
    ta_xua = place(row("H50.X03868", "03868", "Xã Tà Xùa"))
    assert ta_xua == positions.province_points(SON_LA)["by_code"]["03868"]


def test_markers_carry_their_place_and_none_without_one():
    counters = [
        {**row("H50.X03868", "03868", "Xã Tà Xùa"), "wait_minutes": 5, "overdue": 0},
        {**row("H50.22.02", None, "Bộ phận Một cửa huyện"), "wait_minutes": None, "overdue": 3},
    ]
    for counter in counters:
        counter |= {"satisfaction": None, "negative_share": None}
    placed, unplaced = map_markers({"counters": counters})
    assert (placed["lat"], placed["lon"]) == positions.point_of(SON_LA, "03868", "")
    assert placed["levels"]["waiting"] == "good" and placed["wait_minutes"] == 5
    assert unplaced["lat"] is None and unplaced["lon"] is None
    assert unplaced["levels"]["overdue"] == "bad"
