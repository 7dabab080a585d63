"""A leader's dashboard reads their own unit (issue 21: "an agency leader's dashboard shows
zeros while the agency holds 10 dossiers, 7 overdue"): an agency receives nothing itself, so
its reports count the dossiers it holds or was handed — the same scope as its dossier lists —
and its headline on-time figure stands beside the overdue ones still in progress."""

import pytest

from dossiers import queries

pytestmark = pytest.mark.django_db

MONTH = "/bao-cao/?month=2025-03"


def test_an_agency_leaders_dashboard_counts_what_the_agency_handles(client, march):
    client.force_login(march["leader"])  # Phòng Tư pháp: handled A, B, C, D, F; E never
    page = client.get(MONTH)
    assert page.status_code == 200
    total = page.context["data"]["fields"]["total"]["cells"]
    lists = {d.pk for d in queries.scoped_dossiers(march["leader"])}
    assert {march[k].pk for k in "abcdf"} <= lists and march["e"].pk not in lists
    assert total["overdue"] == 1  # D, in progress past its due day at 31/3
    assert total["finished"] == 3  # A, B, C
    drill = client.get("/bao-cao/ho-so/?month=2025-03&o=overdue")
    assert drill.status_code == 200
    assert [d.code for d in drill.context["page"].object_list] == [march["d"].code]
    html = page.content.decode()
    assert 'data-overdue-beside="1"' in html


def test_the_district_office_still_counts_by_receiving_unit(client, march):
    client.force_login(march["office"])
    page = client.get("/bao-cao/?unit=H50.22.02&month=2025-03")
    total = page.context["data"]["fields"]["total"]["cells"]
    assert total["received"] == 6 and total["overdue"] == 1


def test_sending_a_report_asks_to_confirm_first(client, march):
    client.force_login(march["office"])
    html = client.get("/bao-cao/bang/?unit=H50.22.02&month=2025-03").content.decode()
    form = html[
        html.index('action="/bao-cao/gui/"') : html.index("</form>", html.index("/bao-cao/gui/"))
    ]
    details = form[form.index('<details class="confirm-send">') :]
    assert "<summary" in details and 'type="submit"' in details  # the button is inside
    assert 'type="submit"' not in form[: form.index("<details")]
