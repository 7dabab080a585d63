"""The national neighbours' page of the reports (issue #19, item 4): each share — population
data, online payment, received and returned by post — counted for the unit's sub-tree and
month, and each number opening exactly the dossiers behind it."""

import re

import pytest

from dossiers.models import Dossier
from integrations.models import Payment, PopulationCheck, PopulationLookup

pytestmark = pytest.mark.django_db
PAGE = "/bao-cao/ket-noi/?unit=H50.22&month=2025-03"


@pytest.fixture
def neighbours(march):
    d = march
    # b came by post; c's applicant was checked with CSDLQG; the procedure has a fee, paid
    # online for c only (and at the counter for f: not online).
    Dossier.objects.filter(pk=d["b"].pk).update(channel="post")
    lookup = PopulationLookup.objects.create(
        actor=d["clerk"],
        unit=d["counter"],
        id_number=d["c"].applicant.id_number or "014090001234",
        full_name=d["c"].applicant.name,
        birth_date="1990-01-01",
        dossier=d["c"],
        result="match",
    )
    PopulationCheck.objects.create(
        dossier=d["c"], applicant=d["c"].applicant, lookup=lookup, state="verified"
    )
    d["procedure"].fee_vnd = 20000
    d["procedure"].save(update_fields=["fee_vnd"])
    Dossier.objects.filter(pk__in=[d["c"].pk, d["f"].pk]).update(rules=None)
    for dossier, channel, ref in ((d["c"], "online", "TT-C"), (d["f"], "counter", "TT-F")):
        Payment.objects.create(
            dossier=dossier, amount=20000, reference=ref, state="paid", channel=channel
        )
    return d


ROW = re.compile(r'data-measure="(\w+)">.*?<td data-label="Tử số / mẫu số">(.*?)</td>', re.S)


def _rows(html):
    return dict(
        re.findall(
            r'data-measure="(\w+)">.*?<td data-label="Tử số / mẫu số">(.*?)</td>', html, re.S
        )
    )


def test_each_share_with_the_dossiers_behind_it(client, neighbours, django_assert_max_num_queries):
    d = neighbours
    client.force_login(d["office"])
    with django_assert_max_num_queries(20):
        page = client.get(PAGE)
    assert page.status_code == 200
    html = page.content.decode()
    received = Dossier.objects.filter(
        received_at__gte="2025-03-01", received_at__lt="2025-04-01"
    ).count()
    with_fee = received  # every dossier of the month is of the procedure that has a fee
    assert received == 5
    for key, expected in (
        ("population", f"1</a> / {received}"),
        ("online_payment", f"1</a> / {with_fee}"),
        ("received_by_post", f"1</a> / {received}"),
    ):
        assert expected in _rows(html)[key], (key, _rows(html)[key])
    assert "0 / " in _rows(html)["returned_by_post"]

    for key, code in (
        ("population", d["c"].code),
        ("online_payment", d["c"].code),
        ("received_by_post", d["b"].code),
    ):
        listed = client.get(f"{PAGE}&chi-so={key}").content.decode()
        assert code in listed
        others = {d[x].code for x in "bcdef"} - {code}
        assert not any(other in listed for other in others), key

    wrong = client.get(f"{PAGE}&chi-so=khong-co")
    assert wrong.status_code == 400 and "Không có chỉ số" in wrong.content.decode()


def test_a_clerk_reads_only_their_units_figures(client, neighbours):
    client.force_login(neighbours["specialist"])
    answer = client.get(PAGE)
    assert answer.status_code == 403
