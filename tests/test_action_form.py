"""The dossier page's one action form (issue 21): the action chosen first, each with its own
labelled text box; transfer targets grouped by level, sorted, none chosen; irreversible actions
(workflow.ACTIONS' ``confirm``) run only after a confirmation step that needs no JavaScript."""

import re

import pytest

from dossiers import services
from dossiers.models import Dossier
from dossiers.workflow import ACTIONS, State

from .factories import UnitFactory
from .workflow_fixtures import receive

pytestmark = pytest.mark.django_db


def test_one_form_the_action_first_each_text_box_labelled(client, district):
    dossier = receive(district)
    services.assign(dossier.pk, actor=district["clerk"])
    client.force_login(district["specialist"])
    html = client.get(f"/ho-so/{dossier.code}/").content.decode()
    assert html.count('<form method="post" action="/ho-so/') == 1
    radios = re.findall(r'type="radio" name="action" value="([a-z_]+)"', html)
    assert {"transfer", "propose_result", "request_supplement", "decline"} <= set(radios)
    assert not re.search(r'name="action"[^>]*checked', html)  # nothing chosen for them
    labels = re.findall(r'<label for="([a-z_]+)-reason">([^<]+)</label>', html)
    assert len(labels) == len({label for _, label in labels}) >= 4  # each its own words
    assert not re.search(r">\s*(Lý do|Ghi chú)\s*<", html)
    for code, label in labels:
        assert label.startswith(ACTIONS[code].text_label)


def test_transfer_targets_are_grouped_by_level_sorted_with_none_chosen(client, district):
    UnitFactory(
        code="H50.22.10",
        name="Chi nhánh Văn phòng đăng ký đất đai",
        parent=district["land"].parent,
        level=district["land"].level,
        has_counter=False,
    )
    dossier = receive(district)
    services.assign(dossier.pk, actor=district["clerk"])
    client.force_login(district["specialist"])
    html = client.get(f"/ho-so/{dossier.code}/").content.decode()
    select = re.search(r'<select id="transfer-to_unit".*?</select>', html, re.S).group(0)
    groups = re.findall(r'<optgroup label="([^"]+)">(.*?)</optgroup>', select, re.S)
    assert [g for g, _ in groups] == ["Huyện", "Cơ quan chuyên môn"]  # by rank
    agencies = re.findall(r">([^<]+)</option>", groups[1][1])
    assert agencies == sorted(agencies) and "Phòng Tư pháp" not in agencies  # it holds it
    assert re.search(r'<option value="" selected>— Chọn đơn vị nhận —</option>', select)
    assert select.count("selected") == 1


def _ready(district):
    dossier = receive(district)
    services.assign(dossier.pk, actor=district["clerk"])
    services.propose_result(dossier.pk, actor=district["specialist"])
    services.approve(dossier.pk, actor=district["leader"])
    return dossier


def test_returning_the_result_asks_to_confirm_first(client, district):
    dossier = _ready(district)
    client.force_login(district["clerk"])
    url = f"/ho-so/{dossier.code}/thao-tac/"
    first = client.post(url, {"action": "return_result", "return_result-reason": "Ông Sinh nhận"})
    assert first.status_code == 200
    page = first.content.decode()
    assert "Xác nhận: Trả kết quả" in page and "không thể hoàn tác" in page
    assert 'name="return_result-reason" value="Ông Sinh nhận"' in page
    assert Dossier.objects.get(pk=dossier.pk).state == State.RESULT_READY
    done = client.post(
        url, {"action": "return_result", "confirmed": "1", "return_result-reason": "Ông Sinh nhận"}
    )
    assert done.status_code == 302
    dossier.refresh_from_db()
    assert dossier.state == State.RETURNED
    assert dossier.events.filter(action="return_result", note="Ông Sinh nhận").count() == 1
    # The action's own address asks too: no way round the confirmation.
    other = _ready(district)
    direct = client.post(f"/ho-so/{other.code}/thao-tac/return_result/", {})
    assert (
        direct.status_code == 200 and Dossier.objects.get(pk=other.pk).state == State.RESULT_READY
    )


def test_no_action_chosen_or_one_not_allowed_is_a_message_not_a_page(client, district):
    dossier = receive(district)
    client.force_login(district["clerk"])
    url = f"/ho-so/{dossier.code}/thao-tac/"
    empty = client.post(url, {}, follow=True)
    assert "Chọn một thao tác" in empty.content.decode()
    early = client.post(url, {"action": "return_result"}, follow=True)
    assert "Không thể «Trả kết quả»" in early.content.decode()
    assert client.post(url, {"action": "no_such"}).status_code == 404
    assert Dossier.objects.get(pk=dossier.pk).state == State.RECEIVED


def test_a_transfer_through_the_one_form_reads_its_own_fields(client, district):
    dossier = receive(district)
    services.assign(dossier.pk, actor=district["clerk"])
    client.force_login(district["specialist"])
    client.post(
        f"/ho-so/{dossier.code}/thao-tac/",
        {
            "action": "transfer",
            "transfer-to_unit": district["land"].code,
            "transfer-reason": "Xác nhận hiện trạng",
            "send_back-reason": "not this one",
            "assign-to_unit": district["finance"].code,
        },
    )
    dossier.refresh_from_db()
    assert dossier.current_unit == district["land"]
    assert dossier.events.get(action="transfer").note == "Xác nhận hiện trạng"
