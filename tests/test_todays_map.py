"""Today's map from the data packages (issue #16): Sơn La's 75 communes and wards from
vietnam-provinces, the merge of the former Bắc Yên district checked against the
vietnam-address-converter package, and the merge applied on the demo's district map by the
reorganisation service."""

from datetime import date

import pytest
from vietnam_address_converter import auto_convert_address

from dossiers import queries
from dossiers.demo import load_units
from dossiers.models import Dossier, StaffProfile, Succession, Unit
from dossiers.services.catalogue import DATA_DIR, read_json
from dossiers.services.todays_map import (
    apply_todays_map,
    load_todays_map,
    read_map,
    reorganisations,
    wards,
)
from tests.factories import DossierFactory, staff

pytestmark = pytest.mark.django_db

MERGED = date(2025, 7, 1)
BAC_YEN = ["Bắc Yên", "Tà Xùa", "Xím Vàng", "Pắc Ngà", "Chiềng Sại", "Tạ Khoa"]


def test_the_province_has_its_75_communes_and_wards_from_the_package():
    load_units()
    load_todays_map()
    load_todays_map()  # a second load updates, never duplicates
    communes = Unit.objects.filter(parent__code="H50", kind="commune")
    assert communes.count() == 75
    names = list(communes.values_list("short_name", flat=True))
    assert sum(n.startswith("Xã ") for n in names) == 67
    assert sum(n.startswith("Phường ") for n in names) == 8
    assert {f"Xã {n}" for n in BAC_YEN} <= set(names)
    ta_xua = communes.get(short_name="Xã Tà Xùa")
    assert (ta_xua.code, ta_xua.statistical_code) == ("H50.03868", "03868")
    assert ta_xua.counter_name == "Trung tâm Phục vụ hành chính công xã Tà Xùa"
    assert ta_xua.valid_from == MERGED and "1681/NQ-UBTVQH15" in ta_xua.created_basis
    assert Unit.objects.get(code="H50").statistical_code == "14"
    centre = Unit.objects.get(kind="one_stop_province")
    assert centre.has_counter and centre.parent.code == "H50"


def test_the_bac_yen_merge_agrees_with_the_address_converter():
    """Every former commune of huyện Bắc Yên goes, in the data file, to the commune that the
    maintained converter maps its old address to; each of the 16 exactly once."""
    district = {u["code"]: u for u in read_json(DATA_DIR / "units.json")["units"]}
    data = read_map()
    plan = next(r for r in data["reorganisations"] if "communes" in r)
    seen = []
    for statistical, predecessors in plan["communes"].items():
        successor = data["commune_code"].format(statistical_code=statistical)
        for code in predecessors:
            old_name = district[code]["name"].removeprefix("UBND ")
            converted = auto_convert_address(f"{old_name}, huyện Bắc Yên, tỉnh Sơn La")
            new_name = converted["converted_new"]["ward"]["name_with_type"]
            assert successor.endswith(statistical)
            assert new_name.lower() == _name_of(statistical).lower(), (old_name, new_name)
            seen.append(code)
    old_communes = [c for c, u in district.items() if u.get("kind") == "commune"]
    assert sorted(seen) == sorted(old_communes)


def _name_of(statistical):
    return next(w.name for w in wards(14) if f"{w.code.value:05d}" == statistical)


def test_the_merge_ends_the_district_map_and_hands_everything_over():
    units = load_units()
    load_todays_map()
    clerk = staff(units["H50.22.30"], "clerk")  # UBND xã Tà Xùa (the old commune)
    office = staff(units["H50.22.01"], "district_office")
    open_ = DossierFactory(in_progress=True, receiving_unit=units["H50.22.31"])  # Háng Đồng
    at_agency = DossierFactory(
        in_progress=True, receiving_unit=units["H50.22.02"], current_unit=units["H50.22.03"]
    )
    closed = DossierFactory(returned=True, receiving_unit=units["H50.22.30"])

    first, second = apply_todays_map()

    assert len(first.ended) == 16 and second.ended and not first.already_applied
    ended = Unit.objects.filter(code__startswith="H50.22")
    assert all(u.valid_to == date(2025, 6, 30) and u.ended_basis for u in ended)
    assert not queries.units_in_force(MERGED).filter(code__startswith="H50.22").exists()
    ta_xua = Unit.objects.get(code="H50.03868")
    assert StaffProfile.objects.get(user=clerk).unit == ta_xua
    assert StaffProfile.objects.get(user=office).unit.code == "H50.VP"
    assert Dossier.objects.get(pk=open_.pk).current_unit == ta_xua
    moved = Dossier.objects.get(pk=at_agency.pk)
    assert (moved.current_unit.code, moved.counter_unit.code) == ("H50.03856", "H50.03856")
    assert Dossier.objects.get(pk=closed.pk).current_unit.code == "H50.22.30"
    assert set(
        Succession.objects.filter(successor=ta_xua).values_list("predecessor__name", flat=True)
    ) == {"UBND xã Tà Xùa", "UBND xã Háng Đồng", "UBND xã Làng Chếu"}
    clerk = type(clerk).objects.get(pk=clerk.pk)
    assert closed.pk in set(queries.scoped_dossiers(clerk).values_list("pk", flat=True))
    # Run again (make run twice): nothing more happens.
    assert all(r.already_applied for r in apply_todays_map())
    assert len(reorganisations()) == 2


def _all_pages(client, django_assert_max_num_queries, **params):
    """Every unit the API lists, page after page, each page in a fixed number of queries:
    session, user, count, the units with level and parent, the successions with their
    successors, the takeovers with their predecessors — whatever the tree's size."""
    results, url = [], "/api/v1/units/"
    while url:
        with django_assert_max_num_queries(8):
            page = client.get(url, params).json()
        results += page["results"]
        url, params = page["next"], {}
    return {u["code"]: u for u in results}


def test_the_api_lists_the_tree_of_a_date_in_a_fixed_number_of_queries(
    client, django_assert_max_num_queries
):
    units = load_units()
    load_todays_map()
    apply_todays_map()
    client.force_login(staff(units["H50"], "district_office"))
    today = _all_pages(client, django_assert_max_num_queries, ngay="02/12/2026")
    assert len([c for c in today if c.startswith("H50.0")]) == 75
    assert not any(c.startswith("H50.22") for c in today)
    assert sorted(today["H50.03868"]["predecessors"]) == ["H50.22.30", "H50.22.31", "H50.22.34"]
    old = _all_pages(client, django_assert_max_num_queries, ngay="30/06/2025")
    assert old["H50.22.31"]["successors"] == ["H50.03868"]
    assert not any(c.startswith("H50.0") for c in old)
