"""Reporting over API v1: the table, the indicators, sent reports; scope and bad input give
Vietnamese bodies; the endpoints are in the OpenAPI schema, which validates without warnings."""

import pytest
from rest_framework.test import APIClient

from reporting.models import Target
from reporting.plan141 import load as load_targets

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(march):
    client = APIClient()
    client.force_authenticate(march["office"])
    return client


def test_report_table_over_the_api(api):
    body = api.get("/api/v1/reports/?unit=H50.22.02&month=2025-03").json()
    assert body["unit"] == "H50.22.02" and body["period"]["label"] == "Tháng 03/2025"
    assert body["total"]["cells"]["received"] == 6
    assert body["total"]["cells"]["overdue"] == 1
    by_unit = api.get("/api/v1/reports/?unit=H50.22&month=2025-03&group_by=unit").json()
    assert {r["label"] for r in by_unit["rows"]} >= {"Bộ phận Một cửa huyện"}


def test_indicators_with_targets(api):
    load_targets(Target)
    body = {
        m["code"]: m for m in api.get("/api/v1/indicators/?unit=H50.22.02&month=2025-03").json()
    }
    assert body["on_time"]["value"] == pytest.approx(66.67)
    assert body["online"]["target"] == 50.0 and body["online"]["met"] is False  # 1 of 5 online
    digitized = body["dossier_digitization"]  # measured: nothing of March was scanned
    assert digitized["measurable"] is True and digitized["value"] == 0


def test_bad_input_and_scope(api, march):
    response = api.get("/api/v1/reports/?unit=H50.22.02&month=2099-02")
    assert response.status_code == 400 and "chưa bắt đầu" in response.json()["detail"]
    response = api.get("/api/v1/reports/?unit=H50.22.02&from=2025-03-05&to=2025-03-01")
    assert response.status_code == 400 and response.json()["field"] == "to"
    clerk = APIClient()
    clerk.force_authenticate(march["clerk"])
    assert clerk.get("/api/v1/indicators/?month=2025-03").status_code == 403
    assert clerk.get("/api/v1/snapshots/").json()["count"] == 0


def test_send_and_compare_over_the_api(api):
    created = api.post(
        "/api/v1/snapshots/", {"unit": "H50.22.02", "month": "2025-03"}, format="json"
    )
    assert created.status_code == 201
    pk = created.json()["id"]
    assert api.get(f"/api/v1/snapshots/{pk}/changes/").json() == []
    again = api.post("/api/v1/snapshots/", {"unit": "H50.22.02", "month": "2025-03"}, format="json")
    assert again.status_code == 409


def test_reporting_endpoints_are_in_the_schema(tmp_path):
    from django.core.management import call_command

    out = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))
    text = out.read_text()
    for path in ("/api/v1/reports/", "/api/v1/indicators/", "/api/v1/snapshots/{id}/changes/"):
        assert path in text
