"""Dates as the counters write them (issue #21, item 4): every date input is a dd/mm/yyyy text
input parsed by the server, whatever the browser's language; the new appointment of the
apology letter (Mẫu 04) typed 01/11/2026 is 1 November 2026; report periods from selects."""

import re
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.urls import reverse

from core.dates import DAY_ERROR, MOMENT_ERROR, DayField, MomentField
from dossiers import services
from dossiers.models import Dossier
from reporting import periods

from .test_browser_journey import pdf_text
from .workflow_fixtures import receive

VN = ZoneInfo("Asia/Ho_Chi_Minh")
ROOT = Path(__file__).resolve().parent.parent


def test_a_day_is_read_day_first_and_a_wrong_one_says_how_to_write_it():
    field = DayField(required=False)
    assert field.clean("01/11/2026") == date(2026, 11, 1)
    assert field.clean("1/11/2026") == date(2026, 11, 1)
    assert field.clean("2026-11-01") == date(2026, 11, 1)  # links written before
    for wrong in ("11/31/2026", "31/02/2026", "hôm qua"):
        with pytest.raises(Exception) as caught:
            field.clean(wrong)
        assert caught.value.messages == [DAY_ERROR]


def test_a_moment_without_time_is_the_counters_closing_time_that_day():
    closing = settings.WORKING_HOURS[-1][1]
    field = MomentField(required=False, default_time=closing)
    assert field.clean("01/11/2026") == datetime.combine(date(2026, 11, 1), closing, tzinfo=VN)
    assert field.clean("01/11/2026 09:30") == datetime(2026, 11, 1, 9, 30, tzinfo=VN)


def test_the_widget_is_a_numeric_text_input_that_shows_the_day_first():
    html = DayField().widget.render("tu", date(2026, 11, 1), attrs={"id": "tu"})
    assert 'type="text"' in html and 'value="01/11/2026"' in html
    assert 'placeholder="dd/mm/yyyy"' in html and 'inputmode="numeric"' in html


def test_no_template_or_form_asks_the_browser_for_its_own_date_input():
    native = re.compile(r"""type=["']?(date|datetime-local|month)\b|DateInput\(""")
    found = [
        str(p.relative_to(ROOT))
        for pattern in ("**/templates/**/*.html", "**/forms.py", "**/admin*.py")
        for p in ROOT.glob(pattern)
        if ".venv" not in p.parts and native.search(p.read_text())
    ]
    assert found == []


def _assigned(district):
    dossier = receive(district, at=datetime(2026, 10, 26, 9, 0, tzinfo=VN))
    services.assign(dossier.pk, actor=district["clerk"], at=datetime(2026, 10, 26, 9, 5, tzinfo=VN))
    return Dossier.objects.get(pk=dossier.pk)


def test_typed_new_appointment_sets_that_day_and_a_mistyped_one_is_named(client, district):
    dossier = _assigned(district)
    client.force_login(district["leader"])
    url = reverse("dossier-action", args=[dossier.code, "extend"])
    page = client.post(
        url, {"reason": "Chờ xác minh", "new_appointment": "11/31/2026"}, follow=True
    )
    assert MOMENT_ERROR in page.content.decode()
    dossier.refresh_from_db()
    assert not dossier.was_extended
    client.post(url, {"reason": "Chờ xác minh", "new_appointment": "01/11/2026"})
    dossier.refresh_from_db()
    assert dossier.appointment_at.astimezone(VN).date() == date(2026, 11, 1)
    letter = client.get(f"/ho-so/{dossier.code}/mau-04.pdf")
    letter = pdf_text(b"".join(letter.streaming_content))
    assert "01/11/2026" in letter


@pytest.mark.parametrize(
    "picker, link",
    [
        ({"ky": "month", "nam": "2025", "thang": "3"}, {"month": "2025-03"}),
        ({"ky": "quarter", "nam": "2025", "quy": "2"}, {"quarter": "2025-Q2"}),
        ({"ky": "half", "nam": "2025", "nua": "2"}, {"half": "2025-H2"}),
        ({"ky": "year", "nam": "2025"}, {"year": "2025"}),
        (
            {"ky": "range", "from": "03/02/2025", "to": "28/02/2025"},
            {"from": "2025-02-03", "to": "2025-02-28"},
        ),
        # What the old picker sent: its kind and the text box.
        ({"ky": "month", "month": "2025-03"}, {"month": "2025-03"}),
    ],
)
def test_the_pickers_selects_name_the_same_period_as_the_links(picker, link):
    assert periods.parse(picker) == periods.parse(link)


def test_a_range_typed_wrong_says_how_to_write_a_day():
    with pytest.raises(periods.PeriodError, match="ngày/tháng/năm"):
        periods.parse({"ky": "range", "from": "02/30/2025", "to": "28/02/2025"})


def test_the_report_page_offers_selects_set_on_the_period_asked(client, district):
    from .factories import staff

    office = staff(district["counter"], "district_office", username="vp.test")
    client.force_login(office)
    asked = {"unit": "H50.22.02", "quarter": "2025-Q2"}
    html = client.get("/bao-cao/bang/", asked).content.decode()
    assert '<select id="rp-year" name="nam">' in html
    assert re.search(r'<option value="2"\s+selected>Quý 2</option>', html)
    assert re.search(r'<option value="2025"\s+selected>2025</option>', html)
    assert 'name="month"' not in html  # the text box is gone
