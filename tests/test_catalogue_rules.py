"""The 2026 shape of our own catalogue file (calendar days, level "both", fee basis, verified
and sources), rules recorded by effective date through ``load_catalogue``'s loader, the
"both" level in the lists and the API, "chưa xác minh" on the list page, and an online dossier
accepted under the rules in force that day."""

from copy import deepcopy
from datetime import date, time

import pytest
from django.urls import reverse

from dossiers import queries, services
from dossiers.models import Procedure, UnitLevel
from dossiers.services.catalogue import CatalogueError, import_catalogue
from dossiers.services.catalogue_rules import record_revision, snapshot

from .factories import ProcedureFactory, UnitFactory, UnitLevelFactory, staff
from .workflow_fixtures import CITIZEN

pytestmark = pytest.mark.django_db

ITEM = {
    "national_code": "2.000815",
    "name": "Thủ tục chứng thực bản sao từ bản chính giấy tờ, văn bản",
    "field": "CT",
    "level": "both",
    "time": {"kind": "same_day", "cutoff": "15:00"},
    "fee_vnd": 2000,
    "fee_note": "2.000 đồng/trang",
    "fee_basis": "Thông tư 226/2016/TT-BTC",
    "online_level": "partial",
    "boundary_free": True,
    "retention": {"years": 5},
    "handling_units": ["commune", "so_tu_phap"],
    "components": [{"name": "Bản chính giấy tờ", "form": "original"}],
    "verified": True,
    "sources": ["https://csdl.thutuchanhchinh.vn (thử)"],
    "uncertain": "",
}


@pytest.fixture
def units(db):
    UnitLevelFactory(code="province", name="Tỉnh", rank=1)
    commune_level = UnitLevelFactory(code="commune", name="Xã, phường", rank=3)
    agency = UnitLevelFactory(code="agency", name="Cơ quan chuyên môn", rank=3, is_area=False)
    return {
        "commune": UnitFactory(level=commune_level, kind="commune"),
        "justice": UnitFactory(name="Sở Tư pháp", level=agency, kind="so_tu_phap"),
    }


def data(*items, **top):
    return {"fields": [{"code": "CT", "name": "Chứng thực"}], "procedures": list(items), **top}


def test_the_2026_shape_loads_with_its_new_keys(units):
    calendar_item = {
        **ITEM,
        "national_code": "1.012753",
        "level": "province",
        "time": {"kind": "calendar_days", "days": 15},
        "verified": False,
    }
    old_style = {**ITEM, "national_code": "2.000884", "level": "commune"}
    old_style["time"] = {"kind": "working_days", "working_days": 2}
    import_catalogue(data(ITEM, calendar_item, old_style))
    both = Procedure.objects.get(national_code="2.000815")
    assert (both.levels, both.level.code, both.level_label) == (
        "both",
        "commune",
        "Cấp xã và cấp tỉnh",
    )
    assert (both.fee_basis, both.verified, both.sources) == (
        "Thông tư 226/2016/TT-BTC",
        True,
        ["https://csdl.thutuchanhchinh.vn (thử)"],
    )
    assert set(both.handling_units.all()) == {units["commune"], units["justice"]}
    assert both.same_day_cutoff == time(15)
    calendar = Procedure.objects.get(national_code="1.012753")
    assert (calendar.time_kind, calendar.calendar_days, calendar.working_days) == (
        "calendar_days",
        15,
        None,
    )
    assert not calendar.verified
    assert Procedure.objects.get(national_code="2.000884").working_days == 2
    # The first load is each procedure's undated baseline.
    assert [r.effective_from for r in both.revisions.all()] == [None]


def test_a_changed_fee_in_our_file_is_a_revision_from_its_date(units):
    import_catalogue(data(ITEM))
    dearer = deepcopy(ITEM)
    dearer["fee_vnd"] = 3000
    import_catalogue(data(dearer, effective_from="2026-07-01"))
    procedure = Procedure.objects.get(national_code="2.000815")
    assert procedure.rules_on(date(2026, 6, 30)).fee_vnd == 2000
    assert procedure.rules_on(date(2026, 7, 1)).fee_vnd == 3000
    assert procedure.rules_on(date(2026, 7, 1)).changed == ["fee"]
    import_catalogue(data(dearer, effective_from="2026-07-01"))  # again: nothing new
    assert procedure.revisions.count() == 2


@pytest.mark.parametrize(
    ("time_value", "message"),
    [
        ({"kind": "hours", "days": 4}, "không biết cách tính thời hạn 'hours'"),
        ({"kind": "calendar_days", "days": 0}, "không hợp lệ"),
        ({"kind": "same_day", "cutoff": "3 giờ"}, "giờ chốt phải có dạng 15:00"),
    ],
)
def test_a_bad_time_in_our_file_is_named(units, time_value, message):
    with pytest.raises(CatalogueError, match=message):
        import_catalogue(data({**ITEM, "time": time_value}))
    assert not Procedure.objects.exists()


def test_a_bad_level_and_a_bad_date_in_our_file_are_named(units):
    with pytest.raises(CatalogueError, match="không có lĩnh vực/cấp"):
        import_catalogue(data({**ITEM, "level": "huyen"}))
    with pytest.raises(CatalogueError, match="ngày hiệu lực '2026-02-30' không hợp lệ"):
        import_catalogue(data({**ITEM, "effective_from": "2026-02-30"}))
    assert not Procedure.objects.exists()


def test_a_both_procedure_is_listed_under_the_commune_and_the_province(units, client):
    import_catalogue(data(ITEM))
    province_only = ProcedureFactory(level=UnitLevel.objects.get(code="province"))
    province, commune = (UnitLevel.objects.get(code=c) for c in ("province", "commune"))
    at_province = set(
        queries.procedure_catalogue(level=province).values_list("national_code", flat=True)
    )
    at_commune = set(
        queries.procedure_catalogue(level=commune).values_list("national_code", flat=True)
    )
    assert at_province == {"2.000815", province_only.national_code}
    assert at_commune == {"2.000815"}
    api = client.get("/api/v1/procedures/", {"level": "province"})
    assert api.status_code == 200
    body = api.json()
    rows = body["results"] if isinstance(body, dict) else body
    assert {r["national_code"] for r in rows} == at_province
    assert {r["levels"] for r in rows} == {"both", ""}


UNVERIFIED_TAG = '<span class="tag req"'
QUERIES = 11  # session, user, the filter's two lists, count, page, its prefetches


def test_the_list_page_marks_unverified_procedures_and_says_what_is_unchecked(
    units, client, django_assert_max_num_queries
):
    doubt = "Lệ phí theo nghị quyết HĐND tỉnh Sơn La <chưa đọc>."
    unverified = {**ITEM, "national_code": "2.000884", "verified": False, "uncertain": doubt}
    import_catalogue(data(ITEM, unverified))
    client.force_login(staff(units["commune"], "district_office", username="xem.danh.muc"))
    page = client.get(reverse("catalogue")).content.decode()
    assert page.count(UNVERIFIED_TAG) == 1
    assert "Cấp xã và cấp tỉnh" in page
    # The reason is on the page, not only in a tooltip (a phone or a keyboard never sees one).
    assert "Chưa xác minh: Lệ phí theo nghị quyết HĐND tỉnh Sơn La &lt;chưa đọc&gt;." in page
    with django_assert_max_num_queries(QUERIES):
        only = client.get(reverse("catalogue"), {"verified": "no"}).content.decode()
    assert "2.000884" in only and "2.000815" not in only and "1 thủ tục" in only
    checked = client.get(reverse("catalogue"), {"verified": "yes"}).content.decode()
    assert "2.000815" in checked and "2.000884" not in checked
    assert UNVERIFIED_TAG not in checked


def test_an_online_dossier_is_accepted_under_the_rules_of_that_day(district):
    procedure = district["procedure"]
    procedure.online_level = "full"
    procedure.save()
    revision_rules = snapshot(procedure)
    record_revision(procedure, None, revision_rules, effective_from=date(2026, 1, 1))
    parts = [services.ReceivedComponent(c.pk) for c in procedure.components.filter(required=True)]
    dossier = services.submit_online(
        procedure=procedure, unit=district["counter"], applicant=CITIZEN, components=parts
    )
    assert dossier.rules is None  # submitted, not received: no rules yet
    accepted, _ = services.accept(dossier.pk, actor=district["clerk"])
    assert accepted.rules == procedure.rules_on(date.today())
    assert accepted.received_rules.fee_vnd == procedure.fee_vnd
