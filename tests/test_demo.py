"""The demo district: units of both maps, accounts per role, dossiers in every state."""

import re
from collections import Counter

import pytest
from django.contrib.auth import get_user_model

from dossiers.demo import DEMO_PASSWORD, load_demo
from dossiers.models import Dossier, StaffProfile, Unit
from dossiers.roles import Role
from dossiers.workflow import State


@pytest.fixture
def demo(db):
    return load_demo()


def test_demo_district_maps_accounts_and_dossiers(demo, client):
    # Loading the demo takes ~10 s; one test checks all it made, another its idempotency.
    _both_maps_of_bac_yen()
    _accounts_cover_every_role_and_log_in(client)
    _dossiers_in_every_state_with_valid_codes()


def _both_maps_of_bac_yen():
    assert Unit.objects.get(code="H50.22").name == "UBND huyện Bắc Yên"
    district_communes = Unit.objects.filter(parent__code="H50.22", level__code="commune")
    assert district_communes.count() == 16
    two_level = Unit.objects.filter(parent__code="H50", level__code="commune")
    assert two_level.exists() and all(u.valid_from for u in two_level)
    assert Unit.objects.filter(is_remote=True).exists()


def _accounts_cover_every_role_and_log_in(client):
    users = get_user_model().objects.all()
    roles = Counter(g for u in users for g in u.groups.values_list("name", flat=True))
    assert set(roles) == {r.value for r in Role}
    assert StaffProfile.objects.count() == users.count()  # every staff member in a unit
    response = client.post("/dang-nhap/", {"username": "motcua.huyen1", "password": DEMO_PASSWORD})
    assert response.status_code == 302
    assert "Bộ phận Một cửa huyện Bắc Yên" in client.get("/").content.decode()


def _dossiers_in_every_state_with_valid_codes():
    states = Counter(Dossier.objects.values_list("state", flat=True))
    assert set(states) == set(State.values)
    assert 300 <= sum(states.values()) <= 600
    pattern = re.compile(r"^[A-Z0-9.]+-\d{6}-\d{4}$")
    for code, unit_code in Dossier.objects.values_list("code", "receiving_unit__code"):
        assert pattern.match(code), code
        assert code.startswith(unit_code + "-")
    spread = Dossier.objects.exclude(received_at=None).values_list("received_at", flat=True)
    assert (max(spread) - min(spread)).days > 600  # about 24 months


def test_demo_is_idempotent(demo):
    counts = (Unit.objects.count(), get_user_model().objects.count(), Dossier.objects.count())
    again = load_demo()
    assert again["dossiers_created"] == 0
    users = get_user_model().objects.count()
    assert counts == (Unit.objects.count(), users, Dossier.objects.count())
