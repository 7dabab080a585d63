"""The archive's pages: a reader outside the dossier's units states a reason before reading;
every read and download is in the access log (who, when, from where, why), which the
archivist filters and exports; the export is a zip bagit validates; the dossier page shows
the archive panel; scoping holds."""

import csv
import io
import zipfile

import bagit
import pytest

from archive import services
from archive.models import ArchiveRecord
from dossiers.models import AuditEvent

from .archive_fixtures import returned_with_scans, walk_to_returned
from .workflow_fixtures import receive

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media", "every_bag_valid")]


@pytest.fixture
def sealed(district):
    dossier = returned_with_scans(district)
    return services.build_package(services.request_archiving(dossier.pk).pk)


def test_archivist_states_a_reason_then_reads_and_exports(client, sealed, archive_staff, tmp_path):
    client.force_login(archive_staff["archivist"])
    url = f"/luu-tru/{sealed.pk}/"
    page = client.get(url)
    assert "Lý do truy cập" in page.content.decode()
    assert not AuditEvent.objects.filter(action="archive.view").exists()

    refused = client.post(url, {"reason": "ab"})
    assert "Lý do quá ngắn" in refused.content.decode()
    client.post(url, {"reason": "Thanh tra công vụ theo Quyết định 12/QĐ"}, REMOTE_ADDR="10.1.2.3")
    page = client.get(url, REMOTE_ADDR="10.1.2.3").content.decode()
    assert sealed.code in page and "tagmanifest-sha256.txt" in page
    view = AuditEvent.objects.get(action="archive.view")
    assert (view.actor_name, view.ip_address, view.reason) == (
        "luutru",
        "10.1.2.3",
        "Thanh tra công vụ theo Quyết định 12/QĐ",
    )
    assert view.kind == AuditEvent.Kind.ACCESS and view.data["code"] == sealed.code

    response = client.get(f"/luu-tru/{sealed.pk}/goi.zip")
    assert response["Content-Type"] == "application/zip"
    body = b"".join(response.streaming_content)
    zipfile.ZipFile(io.BytesIO(body)).extractall(tmp_path)
    bagit.Bag(str(tmp_path / sealed.code)).validate()
    download = AuditEvent.objects.get(action="archive.package_download")
    assert download.reason == view.reason


def test_the_receiving_clerk_reads_without_a_reason_others_not_at_all(client, sealed, district):
    client.force_login(district["clerk"])
    page = client.get(f"/luu-tru/{sealed.pk}/").content.decode()
    assert "tagmanifest-sha256.txt" in page
    assert AuditEvent.objects.get(action="archive.view").reason == ""
    client.force_login(district["land_specialist"])  # never saw the dossier
    assert client.get(f"/luu-tru/{sealed.pk}/").status_code == 404
    assert client.get(f"/luu-tru/{sealed.pk}/goi.zip").status_code == 404
    assert client.get("/luu-tru/het-han/").status_code == 403


def test_dossier_page_has_the_archive_panel(client, sealed, district):
    client.force_login(district["clerk"])
    page = client.get(f"/ho-so/{sealed.code}/").content.decode()
    assert f'hx-get="/luu-tru/ho-so/{sealed.code}/"' in page
    panel = client.get(f"/luu-tru/ho-so/{sealed.code}/").content.decode()
    assert "Đã lưu trữ" in panel and "lưu trữ 10 năm đến" in panel
    client.force_login(district["land_specialist"])
    assert client.get(f"/luu-tru/ho-so/{sealed.code}/").status_code == 404


def test_a_failed_package_shows_its_reason_and_a_retry_button(client, district, archive_staff):
    dossier = returned_with_scans(district)
    scan = dossier.scanned_files.first()
    scan.original.storage.delete(scan.original.name)
    record = services.request_archiving(dossier.pk)
    with pytest.raises(services.packaging.PackagingError):
        services.build_package(record.pk)
    client.force_login(district["clerk"])
    panel = client.get(f"/luu-tru/ho-so/{dossier.code}/").content.decode()
    assert "Chưa lập được gói: Không tìm thấy" in panel and "Thử lại" in panel
    client.force_login(archive_staff["archivist"])
    home = client.get("/luu-tru/").content.decode()
    assert 'id="failed-packages"' in home and dossier.code in home
    client.post(f"/luu-tru/{record.pk}/lap-lai/")
    assert AuditEvent.objects.filter(action="archive.retry", actor_name="luutru").exists()
    client.force_login(district["specialist"])  # neither archivist nor the counter's clerk
    client.post(f"/luu-tru/{record.pk}/lap-lai/")
    assert AuditEvent.objects.filter(action="archive.retry").count() == 1


def test_access_log_filters_and_exports(client, sealed, district, archive_staff):
    client.force_login(district["clerk"])
    client.get(f"/ho-so/{sealed.code}/")  # a read on the dossier page
    client.force_login(archive_staff["archivist"])
    client.post(f"/luu-tru/{sealed.pk}/", {"reason": "Kiểm tra hồ sơ khiếu nại"})
    client.get(f"/luu-tru/{sealed.pk}/")
    page = client.get("/luu-tru/nhat-ky/", {"code": sealed.code}).content.decode()
    assert "dossier.view" in page and "archive.view" in page and "Kiểm tra hồ sơ khiếu nại" in page
    only_reasons = client.get("/luu-tru/nhat-ky/", {"outside_only": "on"}).content.decode()
    # In words and codes (issue 21): the action's Vietnamese name (its key kept as data), the
    # dossier's code, never a database id.
    assert 'data-action="dossier.view"' not in only_reasons
    assert 'data-action="archive.view">Xem hồ sơ lưu trữ<' in only_reasons
    assert 'data-action="dossier.view">Xem hồ sơ<' in page
    assert f'<td class="mono">{sealed.dossier.code}</td>' in page
    assert f'<td class="mono">{sealed.dossier.pk}</td>' not in page
    response = client.get("/luu-tru/nhat-ky.csv", {"code": sealed.code})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:4] == ["Thời điểm", "Người truy cập", "Đơn vị", "Hành động"]
    assert {r[3] for r in rows[1:]} == {"dossier.view", "archive.view"}
    assert any(r[6] == "Kiểm tra hồ sơ khiếu nại" for r in rows[1:])


def test_archive_home_costs_a_fixed_number_of_queries(
    client, district, archive_staff, django_assert_max_num_queries
):
    for _ in range(3):
        dossier = walk_to_returned(district, receive(district))
        services.build_package(services.request_archiving(dossier.pk).pk)
    client.force_login(archive_staff["archivist"])
    with django_assert_max_num_queries(15):
        page = client.get("/luu-tru/", {"q": "lo van sinh"}).content.decode()
    assert page.count('class="mono" data-label="Mã"') == ArchiveRecord.objects.count() == 3
