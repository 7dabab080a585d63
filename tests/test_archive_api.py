"""API v1 of the archive: records scoped and logged (a reason when outside the dossier's
units), the package as a zip, disposal batches through propose / approve / reject, fixity
results, the access log — and all of it in the OpenAPI schema."""

import io
import zipfile
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone
from rest_framework.test import APIClient

from archive import services
from dossiers.models import AuditEvent

from .archive_fixtures import returned_with_scans

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media", "every_bag_valid")]


@pytest.fixture
def sealed(district):
    dossier = returned_with_scans(district)
    return services.build_package(services.request_archiving(dossier.pk).pk)


def test_records_are_scoped_read_with_a_reason_and_downloaded(sealed, district, archive_staff):
    api = APIClient()
    api.force_authenticate(archive_staff["archivist"])
    listing = api.get("/api/v1/archive/records/", {"q": "thua so 128"}).json()
    assert [r["code"] for r in listing["results"]] == [sealed.code]
    refused = api.get(f"/api/v1/archive/records/{sealed.pk}/")
    assert refused.status_code == 400 and refused.json()["field"] == "reason"
    body = api.get(f"/api/v1/archive/records/{sealed.pk}/", {"reason": "Đối chiếu hồ sơ"}).json()
    assert body["state"] == "sealed" and len(body["files"]) == sealed.package_files
    package = api.get(
        f"/api/v1/archive/records/{sealed.pk}/package/", {"reason": "Bàn giao lưu trữ lịch sử"}
    )
    names = zipfile.ZipFile(io.BytesIO(b"".join(package.streaming_content))).namelist()
    assert f"{sealed.code}/tagmanifest-sha256.txt" in names
    reasons = set(AuditEvent.objects.filter(kind="access").values_list("action", "reason"))
    assert reasons == {
        ("archive.view", "Đối chiếu hồ sơ"),
        ("archive.package_download", "Bàn giao lưu trữ lịch sử"),
    }

    api.force_authenticate(district["land_specialist"])
    assert api.get("/api/v1/archive/records/").json()["count"] == 0
    assert api.get(f"/api/v1/archive/records/{sealed.pk}/").status_code == 404


def test_disposal_batches_through_the_api(sealed, district, archive_staff):
    archivist, head = APIClient(), APIClient()
    archivist.force_authenticate(archive_staff["archivist"])
    head.force_authenticate(archive_staff["head"])
    early = archivist.post(
        "/api/v1/archive/disposals/", {"records": [sealed.pk], "note": "x"}, format="json"
    )
    assert early.status_code == 409 and "chưa hết hạn" in early.json()["detail"]
    with time_machine.travel(timezone.now() + timedelta(days=365 * 11), tick=True):
        created = archivist.post(
            "/api/v1/archive/disposals/",
            {"records": [sealed.pk], "note": "Hết hạn lưu trữ"},
            format="json",
        )
        assert created.status_code == 201, created.json()
        batch = created.json()["id"]
        self_approval = archivist.post(f"/api/v1/archive/disposals/{batch}/approve/")
        assert self_approval.status_code == 403
        assert head.post(f"/api/v1/archive/disposals/{batch}/reject/", {}).status_code == 400
        rejected = head.post(
            f"/api/v1/archive/disposals/{batch}/reject/", {"reason": "Chưa đủ căn cứ"}
        )
        assert rejected.json()["state"] == "rejected"
        assert head.get(f"/api/v1/archive/disposals/{batch}/minute/").status_code == 404


def test_fixity_and_access_log_lists(sealed, archive_staff):
    services.check_package(sealed)
    api = APIClient()
    api.force_authenticate(archive_staff["archivist"])
    checks = api.get("/api/v1/archive/fixity/", {"code": sealed.code}).json()["results"]
    assert checks[0]["ok"] is True and checks[0]["files_checked"] == sealed.package_files
    assert api.get("/api/v1/archive/fixity/", {"ok": "false"}).json()["count"] == 0
    api.get(f"/api/v1/archive/records/{sealed.pk}/", {"reason": "Kiểm tra định kỳ"})
    log = api.get("/api/v1/archive/access-log/", {"code": sealed.code}).json()["results"]
    assert [(e["action"], e["reason"]) for e in log] == [("archive.view", "Kiểm tra định kỳ")]


def test_archive_endpoints_are_in_the_schema(client, district):
    client.force_login(district["clerk"])
    schema = client.get("/api/v1/schema/").content.decode()
    for path in (
        "/api/v1/archive/records/{id}/package/",
        "/api/v1/archive/disposals/{id}/approve/",
        "/api/v1/archive/fixity/",
        "/api/v1/archive/access-log/",
    ):
        assert path in schema
