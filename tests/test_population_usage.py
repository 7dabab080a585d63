"""The monthly usage report of CSDLQG về dân cư for the provincial police (roles, scoping,
CSV and XLSX, a fixed number of queries), and the QĐ 766 share of dossiers using population
data with the dossiers behind it."""

import csv
import io
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook

from integrations.models import PopulationCheck, PopulationLookup
from integrations.population_usage import Month
from reporting.population_measures import population_data_share, verified_dossiers

from .factories import DossierFactory, UnitFactory, staff

pytestmark = pytest.mark.django_db
ZONE = ZoneInfo("Asia/Ho_Chi_Minh")
Result = PopulationLookup.Result


def lookups(user, result, n, at):
    rows = PopulationLookup.objects.bulk_create(
        PopulationLookup(
            actor=user,
            unit=user.staff.unit,
            id_number="014301012345",
            full_name="Lò Thị Hoa",
            birth_date="2001-06-15",
            reason="Tiếp nhận hồ sơ",
            result=result,
        )
        for _ in range(n)
    )
    PopulationLookup.objects.filter(pk__in=[r.pk for r in rows]).update(at=at)


@pytest.fixture
def used(district):
    november = datetime(2026, 11, 10, 9, tzinfo=ZONE)
    lookups(district["clerk"], Result.MATCH, 3, november)
    lookups(district["clerk"], Result.MISMATCH, 1, november)
    lookups(district["leader"], Result.NOT_FOUND, 2, november)  # Phòng Tư pháp
    lookups(district["clerk"], Result.MATCH, 5, datetime(2026, 10, 31, 9, tzinfo=ZONE))
    elsewhere = staff(UnitFactory(code="H99.01", name="UBND xã Khác"), "clerk")
    lookups(elsewhere, Result.MATCH, 4, november)
    district["office"] = staff(district["counter"].parent, "district_office")
    return district


def rows_of(response):
    text = response.content.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def test_the_office_sees_every_unit_of_its_area_for_the_month(
    client, used, django_assert_max_num_queries
):
    client.force_login(used["office"])
    with django_assert_max_num_queries(8):
        page = client.get("/dong-bo/dan-cu/bao-cao/", {"thang": "2026-11"})
    assert page.status_code == 200
    table = rows_of(client.get("/dong-bo/dan-cu/bao-cao/", {"thang": "2026-11", "dang": "csv"}))
    assert table[0][:3] == ["Mã đơn vị", "Đơn vị", "Tổng lượt tra cứu"]
    by_unit = {r[0]: r for r in table[1:]}
    assert set(by_unit) == {"H50.22.02", "H50.22.03"}  # not the other province unit
    counter = by_unit["H50.22.02"]
    assert counter[2:5] == ["4", "3", "0"] and counter[5] == "1"  # total, match, not found, mism.
    assert by_unit["H50.22.03"][2:5] == ["2", "0", "2"]
    october = rows_of(client.get("/dong-bo/dan-cu/bao-cao/", {"thang": "2026-10", "dang": "csv"}))
    assert [r[2] for r in october[1:]] == ["5"]


def test_a_leader_sees_only_their_unit_and_a_clerk_nothing(client, used):
    client.force_login(used["leader"])
    table = rows_of(client.get("/dong-bo/dan-cu/bao-cao/", {"thang": "2026-11", "dang": "csv"}))
    assert [r[0] for r in table[1:]] == ["H50.22.03"]
    client.force_login(used["clerk"])
    assert client.get("/dong-bo/dan-cu/bao-cao/").status_code == 403


def test_the_xlsx_download(client, used):
    client.force_login(used["office"])
    response = client.get("/dong-bo/dan-cu/bao-cao/", {"thang": "2026-11", "dang": "xlsx"})
    assert "su-dung-csdl-dan-cu-2026-11.xlsx" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[0][0] == "Sử dụng CSDLQG về dân cư tháng 11/2026"
    assert sorted(r[2] for r in values[2:]) == [2, 4]


def test_a_bad_month_falls_back_to_this_month():
    assert Month.parse("2026-13") == Month.parse("")
    assert str(Month.parse("2026-02")) == "2026-02"


def test_the_share_of_dossiers_using_population_data(used):
    counter = used["counter"]
    received = [DossierFactory(receiving_unit=counter) for _ in range(4)]
    lookup = PopulationLookup.objects.filter(result=Result.MATCH).first()
    for dossier in received[:3]:
        state = "verified" if dossier != received[2] else "unavailable"
        PopulationCheck.objects.create(
            dossier=dossier, applicant=dossier.applicant, lookup=lookup, state=state
        )
    period = Month(2026, 3)  # the factories' reception day
    (row,) = population_data_share(type(counter).objects.filter(pk=counter.pk), period)
    assert (row.received, row.verified, row.rate) == (4, 2, 50.0)
    behind = verified_dossiers(type(counter).objects.filter(pk=counter.pk), period)
    assert set(behind) == set(received[:2])
    assert population_data_share(type(counter).objects.none(), period) == []


def test_a_citizens_own_vneid_look_up_counts_for_the_counter_of_their_dossier(client, used):
    dossier = DossierFactory(receiving_unit=used["counter"], current_unit=used["counter"])
    online = PopulationLookup.objects.create(
        actor=None,
        unit=None,
        channel="vneid",
        id_number="014301012345",
        full_name="Lò Thị Hoa",
        birth_date="2001-06-15",
        dossier=dossier,
        result=Result.MATCH,
    )
    PopulationLookup.objects.filter(pk=online.pk).update(at=datetime(2026, 11, 12, tzinfo=ZONE))
    client.force_login(used["office"])
    table = rows_of(client.get("/dong-bo/dan-cu/bao-cao/", {"thang": "2026-11", "dang": "csv"}))
    assert table[0][-1] == "Công dân tự tra cứu (VNeID)"
    counter = {r[0]: r for r in table[1:]}["H50.22.02"]
    assert counter[2] == "5" and counter[3] == "4"  # the clerk's four and the citizen's one
    assert counter[-2] == "1" and counter[-1] == "1"  # one account; one citizen's own
    assert {r[0]: r for r in table[1:]}["H50.22.03"][-1] == "0"
