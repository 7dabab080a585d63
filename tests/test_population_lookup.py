"""The look-up in CSDLQG về dân cư against the real counterpart over HTTP: a match and its
record, every fault (unknown number, mismatch, down, slow, not connected, rate limit, no
purpose), each logged once with a Vietnamese message; the identity number never in a URL,
a log line or the audit trail."""

import logging
import time

import pytest
from django.test import override_settings

from dossiers.models import AuditEvent
from integrations import population
from integrations.adapters import population as adapter
from integrations.models import PopulationCheck, PopulationLookup
from tests.factories import ApplicantFactory, DossierFactory, UnitFactory, staff
from tests.population_fixtures import HOA, SUNG, UNKNOWN

pytestmark = pytest.mark.django_db
Result = PopulationLookup.Result


@pytest.fixture
def clerk(db):
    return staff(UnitFactory(code="H50.22.09", name="UBND xã Tà Xùa"), "clerk")


def ask(clerk, person=HOA, **kwargs):
    fields = {
        "actor": clerk,
        "id_number": person["id_number"],
        "full_name": person["name"],
        "birth_date": person["birth"],
        "reason": "Tiếp nhận hồ sơ thủ tục 1.001193",
        "procedure_code": "1.001193",
    }
    return population.look_up(**{**fields, **kwargs})


def test_a_match_brings_the_record_and_is_logged(population_db, clerk):
    row = ask(clerk)
    assert row.result == Result.MATCH
    assert row.record["full_name"] == "Lò Thị Hoa"
    assert row.record["sex"] == "Nữ"
    assert row.record["birth_date"] == "2001-06-15"
    assert row.record["ethnicity"] == "Mông"
    assert "Tà Xùa" in row.record["permanent_address"]
    saved = PopulationLookup.objects.get()
    assert (saved.actor, saved.unit, saved.id_number) == (clerk, clerk.staff.unit, HOA["id_number"])
    assert saved.reason == "Tiếp nhận hồ sơ thủ tục 1.001193"
    # The counterpart got the number in the body, with the officer and the procedure.
    (asked,) = population_db.population_control("GET", "lookups")
    assert asked["SoDinhDanh"] == HOA["id_number"]
    assert asked["MaCanBo"] == clerk.username and asked["MaDVC"] == "1.001193"
    assert HOA["id_number"] not in asked["path"] + asked["query_string"]
    audit = AuditEvent.objects.get(action="population.lookup")
    assert audit.data["result"] == "match" and HOA["id_number"] not in str(audit.data)


def test_an_old_map_address_is_shown_with_todays_commune(population_db, province):
    row = ask(province["clerk_ta_xua"], SUNG)
    assert row.result == Result.MATCH
    assert row.record["permanent_address"] == (
        "Bản Phổng, thị trấn Bắc Yên, huyện Bắc Yên, tỉnh Sơn La"  # as the database holds it
    )
    assert row.record["permanent_today"] == "Bản Phổng, xã Bắc Yên, tỉnh Sơn La"
    text = "Bản Suối Rút, xã Tà Xùa, tỉnh Sơn La"  # already on today's map: unchanged
    assert population.todays_address(text) == text
    assert population.todays_address("Bản Nào Đó, tỉnh Lai Châu") == "Bản Nào Đó, tỉnh Lai Châu"


def test_an_unknown_number_is_told_and_logged(population_db, clerk):
    row = ask(clerk, {**HOA, "id_number": UNKNOWN})
    assert row.result == Result.NOT_FOUND
    assert row.message == "Không tìm thấy số định danh cá nhân này trong CSDLQG về dân cư."
    assert row.record == {}
    assert PopulationLookup.objects.filter(result=Result.NOT_FOUND).count() == 1


@pytest.mark.parametrize(
    "change, named",
    [
        ({"name": "Lò Thị Hoà Bình"}, "họ và tên"),
        ({"birth": "16/06/2001"}, "ngày tháng năm sinh"),
    ],
)
def test_a_name_or_birth_date_that_does_not_match_says_which(population_db, clerk, change, named):
    row = ask(clerk, {**HOA, **change})
    assert row.result == Result.MISMATCH
    assert named in row.message and "không khớp" in row.message
    assert row.record.get("full_name") is None  # nothing of the person is given away


@pytest.mark.parametrize("fault", [{"mode": "down"}, {"mode": "slow", "delay_seconds": 4}])
def test_a_database_down_or_slow_lets_the_clerk_go_on_by_hand(population_db, clerk, fault):
    population_db.population_control("POST", "faults", json={**fault, "count": 1})
    row = ask(clerk)
    assert row.result == Result.UNAVAILABLE
    assert "CSDLQG về dân cư không phản hồi" in row.message
    assert "tiếp nhận như bình thường" in row.message
    if fault["mode"] == "slow":
        # The slow database still answers after the portal gave up: wait for that answer, so
        # that it lands in this test's counterpart log and not in the next one's.
        deadline = time.monotonic() + 15
        while not population_db.population_control("GET", "lookups"):
            assert time.monotonic() < deadline, "the slow look-up never finished"
            time.sleep(0.2)
    # The dossier received by hand says so.
    applicant = ApplicantFactory(id_number=HOA["id_number"], name=HOA["name"])
    dossier = DossierFactory(applicant=applicant, receiving_unit=clerk.staff.unit)
    check = population.check_dossier(dossier, row)
    assert check.state == PopulationCheck.State.UNAVAILABLE
    assert check.get_state_display() == "Chưa xác thực – CSDLQG không phản hồi"
    # Once the fault is over the next look-up matches again.
    assert ask(clerk).result == Result.MATCH


def test_not_connected_is_told_and_nothing_is_sent(population_db, clerk):
    with override_settings(POPULATION_BASE_URL=""):
        adapter.registry.cache_clear()
        row = ask(clerk)
    adapter.registry.cache_clear()
    assert row.result == Result.NOT_CONFIGURED
    assert "Chưa kết nối CSDLQG về dân cư" in row.message
    assert population_db.population_control("GET", "lookups") == []


def test_a_look_up_without_dossier_or_reason_is_refused_unsent(population_db, clerk):
    with pytest.raises(population.PopulationError) as refused:
        ask(clerk, reason="   ")
    assert "phải gắn với một hồ sơ hoặc ghi rõ lý do" in refused.value.message
    assert not PopulationLookup.objects.exists()
    assert population_db.population_control("GET", "lookups") == []


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("id_number", "01430101234", "đúng 12 chữ số"),
        ("birth_date", "31/02/2001", "Ngày sinh không hợp lệ"),
        ("full_name", " ", "họ và tên"),
    ],
)
def test_bad_input_is_refused_in_vietnamese(population_db, clerk, field, value, message):
    with pytest.raises(population.PopulationError) as refused:
        ask(clerk, **{field: value})
    assert message in refused.value.message
    assert not PopulationLookup.objects.exists()


def test_the_hourly_limit_of_an_account(population_db, clerk, settings):
    settings.POPULATION_LOOKUPS_PER_HOUR = 2
    assert ask(clerk).result == Result.MATCH
    assert ask(clerk).result == Result.MATCH
    with pytest.raises(population.PopulationError) as refused:
        ask(clerk)
    assert refused.value.status == 429
    assert "2 lần trong một giờ" in refused.value.message
    assert PopulationLookup.objects.filter(result=Result.LIMITED).count() == 1
    assert len(population_db.population_control("GET", "lookups")) == 2  # the third not sent
    other = staff(clerk.staff.unit, "clerk")
    assert ask(other).result == Result.MATCH  # the limit is per account


def test_the_identity_number_is_in_no_log_line(population_db, clerk, caplog):
    caplog.set_level(logging.DEBUG)
    start = population_db.log_path.stat().st_size if population_db.log_path.exists() else 0
    ask(clerk)
    ask(clerk, {**HOA, "name": "Người Khác"})
    population_db.population_control("POST", "faults", json={"mode": "down", "count": 1})
    ask(clerk)
    lines = [caplog.text, *(r.getMessage() for r in caplog.records)]
    with open(population_db.log_path, encoding="utf-8", errors="replace") as log:
        log.seek(start)
        lines.append(log.read())
    assert len(caplog.records) > 0  # the capture heard the HTTP calls
    assert not [line for line in lines if HOA["id_number"] in line]
    assert not [
        e.data
        for e in AuditEvent.objects.filter(action="population.lookup")
        if HOA["id_number"] in str(e.data)
    ]


def test_a_database_that_keeps_failing_is_not_asked_for_a_while(population_db, clerk, settings):
    settings.POPULATION_BREAKER_FAILURES = 2
    settings.POPULATION_BREAKER_RESET_SECONDS = 60
    adapter.breaker.cache_clear()
    population_db.population_control("POST", "faults", json={"mode": "down"})
    assert [ask(clerk).result for _ in range(2)] == [Result.UNAVAILABLE] * 2
    population_db.population_control("POST", "faults", json={"mode": "none"})
    row = ask(clerk)  # the database is back, but the circuit is open: not asked
    assert row.result == Result.UNAVAILABLE
    assert "tạm ngừng tra cứu 60 giây" in row.message
    assert population_db.population_control("GET", "lookups") == []
    adapter.breaker.cache_clear()
