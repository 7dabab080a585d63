"""The QĐ 766 score (issue #23 item 2) on a hand-built October 2026 (tests/score766_fixtures.py):
each sub-indicator's figures and points, a commune's redistribution against the province,
"chưa đo được" kept apart from lost points, the drill-down listing exactly the rows that lost
points, a bounded number of queries, a future period refused, and the readers' scope."""

import csv
import io

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from dossiers.models import AuditEvent
from feedback.models import Feedback
from reporting import periods, score766
from reporting.score766.compute import compute

from .score766_fixtures import PERIOD

pytestmark = pytest.mark.django_db
OCTOBER = periods.month(2026, 10)
COMMUNE_FACTOR = 100 / 86  # 100 − (4 + 8 + 2) points of province-only items
PAGE = "/bao-cao/766/"


def _items(result):
    return {i.code: i for i in result.items}


def test_each_sub_indicator_of_a_commune(score_province):
    items = _items(compute(score_province["ta_xua"], OCTOBER))
    figures = {code: (i.numerator, i.denominator) for code, i in items.items() if i.measured}
    assert figures == {
        "sync_realtime": (1, 4),  # d1 in time; d2 two hours late, d3 pending, d4 never
        "on_time": (2, 3),  # d1 on its due day, d3 early; d2 late
        "online": (1, 4),
        "online_payment": (1, 2),  # of the two with a fee, d1 paid online
        "satisfaction_handling": (1, 3),  # d2 rated 2, d3 has a PAKN
        "pakn_on_time": (1, 3),  # f1; f2 answered late, f3 not answered
        "pakn_satisfaction": (1, 2),  # f2 answered late counts as not satisfied
        "result_electronic": (0, 3),  # no signed result scanned
        "components_digitized": (4, 4),  # no paper component recorded: nothing missing
        "papers_cut": (1, 2),  # of the two verified, d1 had a paper waived
        "population_dossiers": (2, 4),
    }
    assert items["reuse"].status == "empty"  # no reusable document offered: nothing to count
    on_time = items["on_time"]
    assert on_time.max_points == pytest.approx(20 * COMMUNE_FACTOR, abs=0.01)
    assert on_time.points == pytest.approx(on_time.max_points * 2 / 3, abs=0.01)
    # Satisfaction's full points need the stage's target (95 % from 2026), not 100 %.
    handling = items["satisfaction_handling"]
    assert handling.target == 95
    assert handling.points == pytest.approx(6 * COMMUNE_FACTOR * (100 / 3) / 95, abs=0.01)


def test_commune_leaves_province_items_out_and_redistributes(score_province):
    commune = compute(score_province["ta_xua"], OCTOBER)
    province = compute(score_province["province"], OCTOBER)
    assert commune.level == "commune" and province.level == "province"
    left = {"publication_on_time", "publication_other", "population_procedures"}
    assert left.isdisjoint(_items(commune)) and left <= set(_items(province))
    assert "Thủ tục đã kết nối dữ liệu dân cư" in commune.left_out
    assert commune.max == pytest.approx(100, abs=0.05) and province.max == 100
    assert _items(province)["on_time"].max_points == 20
    for code, item in _items(commune).items():
        assert item.max_points == pytest.approx(
            _items(province)[code].max_points * COMMUNE_FACTOR, abs=0.01
        )
    # The province counts both communes: Xím Vàng's late x1 joins the finished.
    assert (_items(province)["on_time"].numerator, _items(province)["on_time"].denominator) == (
        2,
        4,
    )
    assert (
        _items(province)["population_procedures"].numerator,
        _items(province)["population_procedures"].denominator,
    ) == (1, 2)


def test_not_measurable_is_apart_from_lost(score_province, settings):
    result = compute(score_province["province"], OCTOBER)
    items = _items(result)
    for code in ("certified_copies", "publication_on_time", "publication_other"):
        assert items[code].status == "unmeasurable" and items[code].reason
        assert items[code].points == 0 and items[code].lost_points == 0
        assert items[code].numerator is None
    assert result.unmeasured == pytest.approx(
        sum(i.max_points for i in result.items if not i.measured), abs=0.01
    )
    assert result.lost == pytest.approx(result.measured_max - result.total, abs=0.01)
    assert result.total + result.lost + result.unmeasured == pytest.approx(100, abs=0.05)
    settings.DVCQG_BASE_URL = ""
    sync = _items(compute(score_province["province"], OCTOBER))["sync_realtime"]
    assert sync.status == "unmeasurable" and "DVCQG" in sync.reason


def test_score_is_bounded_in_queries_and_cached(score_province, django_assert_max_num_queries):
    # One aggregate per measurable sub-indicator (13) and nothing per row.
    with django_assert_max_num_queries(13):
        compute(score_province["province"], OCTOBER)
    first = score766.score(score_province["ta_xua"], OCTOBER)
    with django_assert_max_num_queries(0):
        again = score766.score(score_province["ta_xua"], OCTOBER)
    assert again.total == first.total
    # A PAKN answered on time changes the data version: the next read recomputes it.
    Feedback.objects.filter(pk=score_province["f3"].pk).update(answered_at=None)
    f3 = Feedback.objects.get(pk=score_province["f3"].pk)
    f3.answer, f3.answered_at = "Đã trả lời.", f3.due_at
    f3.save()
    moved = _items(score766.score(score_province["ta_xua"], OCTOBER))["pakn_on_time"]
    assert (moved.numerator, moved.denominator) == (2, 3)


def test_drilldown_lists_exactly_the_rows_that_lost_points(client, score_province):
    d = score_province
    client.force_login(d["office"])
    expected = {
        "on_time": {d["d2"].code},
        "satisfaction_handling": {d["d2"].code, d["d3"].code},
        "sync_realtime": {d["d2"].code, d["d3"].code, d["d4"].code},
        "online_payment": {d["d2"].code},
        "pakn_on_time": {d["f2"].code, d["f3"].code},
        "pakn_satisfaction": {d["f2"].code},
    }
    dossiers = {d[k].code for k in ("d1", "d2", "d3", "d4", "x1")}
    pakn = {d[k].code for k in ("f1", "f2", "f3")}
    for code, lost in expected.items():
        every = pakn if code.startswith("pakn") else dossiers
        page = client.get(f"{PAGE}mat-diem/?unit=H50.30&{PERIOD}&chi-so={code}")
        assert page.status_code == 200, code
        html = page.content.decode()
        assert {c for c in every if c in html} == lost, code
    assert AuditEvent.objects.filter(action="score766.lost", actor=d["office"]).count() == 6
    bad = client.get(f"{PAGE}mat-diem/?unit=H50.30&{PERIOD}&chi-so=certified_copies")
    assert bad.status_code == 400 and "Không có chỉ số thành phần" in bad.content.decode()


def test_drilldown_refuses_what_cannot_be_measured_here_and_future_periods(
    client, score_province, settings
):
    client.force_login(score_province["office"])
    future = client.get(f"{PAGE}mat-diem/?unit=H50.30&month=2027-03&chi-so=on_time")
    assert future.status_code == 400 and "chưa bắt đầu" in future.content.decode()
    settings.DVCQG_BASE_URL = ""  # no national portal: the sync figure is not measured
    sync = client.get(f"{PAGE}mat-diem/?unit=H50.30&{PERIOD}&chi-so=sync_realtime")
    assert sync.status_code == 400 and score_province["d2"].code not in sync.content.decode()


def test_page_shows_groups_trend_and_exports(client, score_province, django_assert_max_num_queries):
    client.force_login(score_province["office"])
    with django_assert_max_num_queries(13 * 12 + 25):  # 12 periods' scores, the page's own
        page = client.get(f"{PAGE}?unit=H50.30&{PERIOD}")
    assert page.status_code == 200
    html = page.content.decode()
    result = score766.score(score_province["ta_xua"], OCTOBER, scope=None)
    assert f'data-score-total="{result.total}"' in html
    assert 'data-item="certified_copies" data-status="unmeasurable"' in html
    assert "chưa đo được" in html and "data-commune" in html
    assert html.count("data-trend=") == 12 and "<svg" in html
    xlsx = client.get(f"{PAGE}xuat.xlsx?unit=H50.30&{PERIOD}")
    ws = load_workbook(io.BytesIO(xlsx.content)).active
    by_code = {row[1]: row for row in ws.iter_rows(min_row=5, values_only=True) if row[1]}
    assert by_code["on_time"][3:5] == (2, 3)
    assert by_code["certified_copies"][9] == "chưa đo được"
    rows = list(
        csv.reader(
            io.StringIO(
                client.get(f"{PAGE}xuat.csv?unit=H50.30&{PERIOD}").content.decode("utf-8-sig")
            )
        )
    )
    assert any(r[1:2] == ["pakn_on_time"] and r[3:5] == ["1", "3"] for r in rows)


def test_future_period_is_refused_in_vietnamese(client, score_province):
    client.force_login(score_province["office"])
    page = client.get(f"{PAGE}?unit=H50&month=2027-03")
    assert page.status_code == 400
    assert "chưa bắt đầu" in page.content.decode()
    api = client.get("/api/v1/score766/?unit=H50&month=2027-03")
    assert api.status_code == 400
    with pytest.raises(periods.PeriodError):
        score766.score(score_province["province"], periods.month(2027, 3))


def test_a_month_without_records_says_so(client, score_province):
    client.force_login(score_province["office"])
    html = client.get(f"{PAGE}?unit=H50.30&month=2026-09").content.decode()
    assert "data-empty" in html and "để tính điểm" in html
    # November's trend runs from December 2025: only October has records (November none).
    trend = client.get(f"{PAGE}?unit=H50.30&month=2026-11").content.decode()
    assert trend.count("chưa có số liệu</td>") == 11


def test_a_commune_leader_reads_only_their_commune(client, score_province):
    client.force_login(score_province["leader"])
    assert client.get(f"{PAGE}?unit=H50.30&{PERIOD}").status_code == 200
    other = client.get(f"{PAGE}?unit=H50.33&{PERIOD}")
    assert other.status_code == 403 and "nằm ngoài phạm vi" in other.content.decode()
    assert client.get(f"{PAGE}mat-diem/?unit=H50.33&{PERIOD}&chi-so=on_time").status_code == 403
    assert client.get(f"/api/v1/score766/?unit=H50.33&{PERIOD}").status_code == 403
    own = client.get(f"/api/v1/score766/?unit=H50.30&{PERIOD}").json()
    assert own["unit_code"] == "H50.30" and own["level"] == "commune"
    assert {i["code"] for g in own["groups"] for i in g["items"]} >= {"pakn_on_time"}


def test_command_prints_the_score_with_its_formula_table(score_province):
    out = io.StringIO()
    call_command("score766", unit="H50", period="2026-10", communes=True, stdout=out)
    text = out.getvalue()
    assert "Điểm 766 · UBND tỉnh Sơn La (H50) · Tháng 10/2026" in text
    assert "| Mức độ hài lòng | Phản ánh, kiến nghị được xử lý đúng hạn | 1/3 |" in text
    assert "UBND xã Tà Xùa:" in text
