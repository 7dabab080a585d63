"""Archiving on return: the sealed BagIt package (metadata, history, every scan, signed copy,
result and printed form, with its manifest), retention, faults that leave the dossier
returned with nothing half-written, and the search."""

import json
from datetime import timedelta

import pytest
from django.core.files.storage import default_storage
from django.test import override_settings
from django.utils import timezone

from archive import services
from archive.errors import PackagingError
from archive.models import ArchiveRecord, RetentionChange
from archive.queries import record_search
from dossiers.models import PrintedForm
from dossiers.services.engine import forms_deferred
from dossiers.workflow import State

from .archive_fixtures import (
    add_scan,
    disk_full_storage_settings,
    returned_with_scans,
    validate_bag,
    walk_to_returned,
)
from .workflow_fixtures import receive

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media", "every_bag_valid")]


def _archive(dossier):
    record = services.request_archiving(dossier.pk)
    return services.build_package(record.pk)


def _stored(prefix="archive"):
    """Every file under ``prefix`` on the storage."""
    found = []

    def walk(path):
        if not default_storage.exists(path):
            return
        dirs, files = default_storage.listdir(path)
        found.extend(f"{path}/{f}" for f in files)
        for d in dirs:
            walk(f"{path}/{d}")

    walk(prefix)
    return found


def test_returned_dossier_is_sealed_as_a_valid_bag_and_archived(district, tmp_path):
    dossier = returned_with_scans(district)
    record = _archive(dossier)

    dossier.refresh_from_db()
    assert record.state == ArchiveRecord.State.SEALED
    assert dossier.state == State.ARCHIVED
    assert dossier.events.last().action == "archive"
    paths = set(record.files.values_list("path", flat=True))
    # Every payload file in the one data/ folder (a new folder costs the disk a scan's time).
    assert all(p.count("/") == (1 if p.startswith("data/") else 0) for p in paths), paths
    scans = {p for p in paths if p[5:7].isdigit()}
    assert scans == {
        "data/01-phieu-yeu-cau-ban-goc.jpg",
        "data/01-phieu-yeu-cau-ban-tim-kiem.pdf",
        "data/02-du-thao-hop-dong-ban-goc.jpg",
        "data/02-du-thao-hop-dong-ban-tim-kiem.pdf",
        "data/02-du-thao-hop-dong-ban-ky-so.pdf",
        "data/03-ket-qua-ban-goc.jpg",
        "data/03-ket-qua-ban-tim-kiem.pdf",
        "data/03-ket-qua-ban-ky-so.pdf",
    }
    assert "data/mau01-01.pdf" in paths
    assert {
        "data/metadata.json",
        "data/index.html",
        "bagit.txt",
        "bag-info.txt",
        "manifest-sha256.txt",
        "tagmanifest-sha256.txt",
    } <= paths
    # The original's bytes are the ones digitization recorded.
    original = record.files.get(path="data/01-phieu-yeu-cau-ban-goc.jpg")
    assert original.sha256 == dossier.scanned_files.order_by("id")[0].sha256

    bag = validate_bag(record, tmp_path)
    assert bag.info["External-Identifier"] == dossier.code
    meta = json.loads((tmp_path / dossier.code / "data/metadata.json").read_text())
    assert meta["applicant"]["name"] == "Lò Văn Sinh"
    assert meta["procedure"]["national_code"] == dossier.procedure.national_code
    assert meta["dossier"]["deadline_outcome"]["code"] in ("early", "on_time")
    assert meta["retention"]["years"] == 10
    assert [e["action"] for e in meta["history"]] == [
        "receive",
        "assign",
        "propose_result",
        "approve",
        "return_result",
    ]
    index = (tmp_path / dossier.code / "data/index.html").read_text()
    assert dossier.code in index and "Quá trình xử lý" in index

    returned_on = timezone.localdate(dossier.returned_at)
    assert record.retention_until == returned_on.replace(year=returned_on.year + 10)
    assert record.package_sha256 == record.files.get(path="tagmanifest-sha256.txt").sha256


def test_building_again_changes_nothing(district):
    record = _archive(returned_with_scans(district))
    files = sorted(_stored())
    again = services.build_package(record.pk)
    assert again.package_sha256 == record.package_sha256
    assert sorted(_stored()) == files


def test_vanished_file_leaves_the_dossier_returned_and_nothing_that_looks_complete(district):
    dossier = returned_with_scans(district)
    scan = dossier.scanned_files.order_by("id")[1]
    kept = scan.original.read()
    scan.original.close()
    default_storage.delete(scan.original.name)

    record = services.request_archiving(dossier.pk)
    with pytest.raises(PackagingError) as failure:
        services.build_package(record.pk)
    assert "Không tìm thấy «Bản gốc du-thao-hop-dong.jpg" in failure.value.message
    record.refresh_from_db()
    dossier.refresh_from_db()
    assert dossier.state == State.RETURNED
    assert record.state == ArchiveRecord.State.FAILED
    assert record.last_error == failure.value.message
    assert record.next_attempt_at > timezone.now()
    assert _stored() == []  # what the attempt wrote was removed
    assert record.files.count() == 0

    # The file comes back; the sweeper's retry seals the package.
    default_storage.save(scan.original.name, __import__("io").BytesIO(kept))
    assert services.sweep_packages(now=record.next_attempt_at) == [record.pk]
    record = services.build_package(record.pk)
    assert record.state == ArchiveRecord.State.SEALED and record.attempts == 2


def test_disk_full_while_writing_keeps_no_half_package(district):
    dossier = returned_with_scans(district)
    record = services.request_archiving(dossier.pk)
    with override_settings(STORAGES=disk_full_storage_settings(room=3)):
        with pytest.raises(PackagingError) as failure:
            services.build_package(record.pk)
        assert _stored() == []  # the three written and the one cut short are gone
    assert failure.value.message == "Kho lưu trữ đã hết dung lượng khi ghi gói lưu trữ."
    dossier.refresh_from_db()
    assert dossier.state == State.RETURNED
    record.refresh_from_db()
    assert (record.state, record.package_path) == (ArchiveRecord.State.FAILED, "")

    record = services.build_package(record.pk)  # the disk has room again
    assert record.state == ArchiveRecord.State.SEALED


def test_a_source_changed_since_scanning_is_refused(district):
    dossier = returned_with_scans(district)
    scan = dossier.scanned_files.order_by("id")[0]
    with default_storage.open(scan.original.name, "wb") as out:  # bit rot in the scans
        out.write(b"\xff\xd8\xff not the same bytes")
    record = services.request_archiving(dossier.pk)
    with pytest.raises(PackagingError, match="đã bị thay đổi so với lúc lưu"):
        services.build_package(record.pk)


def test_scans_still_being_recognised_postpone_archiving(district):
    dossier = receive(district)
    add_scan(dossier, component=dossier.components.first(), state="processing", searchable=False)
    walk_to_returned(district, dossier)
    record = services.request_archiving(dossier.pk)
    with pytest.raises(PackagingError, match="đang chờ nhận dạng"):
        services.build_package(record.pk)


def test_forms_deferred_at_the_counter_are_rendered_into_the_package(district):
    with forms_deferred():
        dossier = walk_to_returned(district, receive(district))
    assert not PrintedForm.objects.filter(dossier=dossier).exists()
    record = _archive(dossier)
    assert PrintedForm.objects.filter(dossier=dossier, code="01").count() == 1
    assert record.files.filter(path="data/mau01-01.pdf").exists()


def test_a_change_of_retention_applies_afterwards_and_is_recorded(district):
    procedure = district["procedure"]
    first = _archive(returned_with_scans(district))
    procedure.retention_years = 5
    procedure.save()
    second = _archive(walk_to_returned(district, receive(district)))
    first.refresh_from_db()
    assert (first.retention_years, second.retention_years) == (10, 5)
    change = RetentionChange.objects.get()
    assert (change.old_label, change.new_label) == ("10 năm", "5 năm")

    procedure.retention_years, procedure.retention_permanent = None, True
    procedure.save()
    third = _archive(walk_to_returned(district, receive(district)))
    assert third.retention_permanent and third.retention_until is None
    assert RetentionChange.objects.count() == 2


def test_nightly_pass_archives_what_was_missed(district):
    dossier = returned_with_scans(district)  # the return's signal never ran (no commit here)
    assert not ArchiveRecord.objects.exists()
    assert services.archive_returned() == {"created": 1, "enqueued": 1}
    record = ArchiveRecord.objects.get(dossier=dossier)
    assert record.state == ArchiveRecord.State.PENDING
    assert services.sweep_packages(now=timezone.now() + timedelta(minutes=5)) == [record.pk]


def test_search_by_text_code_applicant_procedure_and_dates(district, archive_staff):
    record = _archive(returned_with_scans(district))
    other = _archive(walk_to_returned(district, receive(district)))
    archivist = archive_staff["archivist"]
    by_text = record_search(archivist, text="quyen su dung dat thua so 128")
    assert list(by_text) == [record]
    assert set(record_search(archivist, code=record.code[-4:])) >= {record}
    assert set(record_search(archivist, applicant="lo van sinh")) == {record, other}
    day = timezone.localdate(record.returned_at)
    assert set(
        record_search(
            archivist, procedure=district["procedure"], returned_from=day, returned_to=day
        )
    ) == {record, other}
    assert not record_search(archivist, returned_from=day + timedelta(days=1)).exists()
    # A specialist of another agency that never saw the dossiers finds nothing.
    assert not record_search(district["land_specialist"], text="thua so 128").exists()


def test_search_words_may_come_from_the_record_and_from_its_scans(district, archive_staff):
    """The record's words are kept with the record; its scans' OCR text is found where
    digitization keeps it (not copied into the archive), each word wherever it is."""
    record = _archive(returned_with_scans(district))
    archivist = archive_staff["archivist"]
    words = record.search.text
    assert "lo van sinh" in words and "thua" not in words  # no OCR text copied
    # The applicant from the record, the plot number from the first scan, a word of the
    # second scan: the three together find it; a word from nowhere finds nothing.
    assert list(record_search(archivist, text="Lò Văn Sinh 128 chung thuc")) == [record]
    assert not record_search(archivist, text="lo van sinh 129").exists()


def test_the_search_for_scan_words_can_use_the_page_index(district, archive_staff):
    """The OCR words are matched by the very expression of digitization's full-text index:
    with sequential scans off, PostgreSQL reaches the pages through that index."""
    from django.db import connection

    from digitization.search import dossiers_with_word

    _archive(returned_with_scans(district))
    pages = dossiers_with_word("thua")
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        sql, params = pages.query.sql_with_params()
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "scannedpage_folded_fts" in plan, plan
    assert list(pages) == [
        {"file__dossier_id": record.dossier_id} for record in ArchiveRecord.objects.all()
    ]


def test_a_dossier_archived_before_this_app_gets_its_package(district, tmp_path):
    from dossiers.services import mark_archived

    dossier = returned_with_scans(district)
    mark_archived(dossier.pk)  # the system's event, no actor (as the demo and imports do)
    assert services.archive_returned()["created"] == 1
    record = services.build_package(ArchiveRecord.objects.get(dossier=dossier).pk)
    assert record.state == ArchiveRecord.State.SEALED
    index = validate_bag(record, tmp_path).path + "/data/index.html"
    assert "Hệ thống" in open(index, encoding="utf-8").read()


def test_returns_replayed_in_bulk_wait_for_the_nightly_pass(
    district, django_capture_on_commit_callbacks
):
    from django.core.management import call_command

    with forms_deferred(), django_capture_on_commit_callbacks(execute=True):
        dossier = walk_to_returned(district, receive(district))  # a demo or an import
    record = ArchiveRecord.objects.get(dossier=dossier)
    assert record.state == ArchiveRecord.State.PENDING  # recorded, not packed in the replay
    call_command("archive_returned", stdout=__import__("io").StringIO())
    record.refresh_from_db()
    assert record.state == ArchiveRecord.State.SEALED
