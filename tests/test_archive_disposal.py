"""Disposal: only records past retention are listed; an archivist proposes, only the area's
leader decides (a reason to reject); approved, the files are destroyed — a blob shared with a
live record is kept — and the disposal record with the manifests' checksums and its printed
minute remain."""

from datetime import timedelta

import pytest
import time_machine
from django.core.files.storage import default_storage
from django.utils import timezone

from archive import services
from archive.errors import ArchiveError
from archive.models import ArchiveRecord, DisposalBatch
from archive.queries import expired_records
from digitization.models import ScannedFile
from dossiers.services import WorkflowError
from dossiers.services.forms import open_form

from .archive_fixtures import add_scan, jpeg_bytes, returned_with_scans, walk_to_returned
from .test_browser_journey import pdf_text
from .workflow_fixtures import receive

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media", "every_bag_valid")]


def _archive(dossier):
    return services.build_package(services.request_archiving(dossier.pk).pk)


def _later(years=11):
    return time_machine.travel(timezone.now() + timedelta(days=365 * years), tick=True)


def _exists(name):
    return default_storage.exists(name)


def test_expired_records_are_proposed_approved_and_destroyed(district, archive_staff):
    dossier = returned_with_scans(district)
    record = _archive(dossier)
    stored = [s.original.name for s in dossier.scanned_files.all()]
    stored += [s.searchable_pdf.name for s in dossier.scanned_files.all()]
    stored += [s.signed_copy.pdf.name for s in dossier.scanned_files.exclude(signed_copy=None)]
    stored += [f.pdf.name for f in dossier.printed_forms.all()]
    package = [f"{record.package_path}/{p}" for p in record.files.values_list("path", flat=True)]
    assert all(map(_exists, stored + package))
    archivist, head = archive_staff["archivist"], archive_staff["head"]
    assert not expired_records(archivist).exists()  # 10 years are not over

    with _later():
        assert list(expired_records(archivist)) == [record]
        with pytest.raises(ArchiveError, match="Cần ghi lý do"):
            services.propose_disposal(actor=archivist, record_ids=[record.pk], note=" ")
        with pytest.raises(ArchiveError, match="Chỉ cán bộ lưu trữ"):
            services.propose_disposal(actor=head, record_ids=[record.pk], note="Hết hạn")
        batch = services.propose_disposal(
            actor=archivist,
            record_ids=[record.pk],
            note="Hết thời hạn lưu trữ 10 năm theo danh mục thời hạn lưu trữ.",
        )
        assert not expired_records(archivist).exists()  # proposed: off the list
        with pytest.raises(ArchiveError, match="Chỉ lãnh đạo UBND huyện Bắc Yên"):
            services.approve_disposal(batch.pk, actor=district["leader"])  # an agency's leader
        services.approve_disposal(batch.pk, actor=head, note="Đồng ý hủy.")
        batch = services.execute_disposal(batch.pk)

    record.refresh_from_db()
    assert record.state == ArchiveRecord.State.DISPOSED
    assert not any(map(_exists, stored + package))  # the files are gone
    item = batch.items.get()
    assert batch.state == DisposalBatch.State.EXECUTED
    assert item.package_sha256 == record.package_sha256
    assert len(item.manifest) == record.files.count() and item.kept == []
    assert item.files_destroyed == len(stored) + len(package)
    text = pdf_text(batch.minute.read())
    assert "BIÊN BẢN HỦY HỒ SƠ HẾT HẠN LƯU TRỮ" in text and dossier.code in text
    assert "Đồng ý hủy." in text
    # The dossier page's form link answers in Vietnamese, not with a crash.
    with pytest.raises(WorkflowError, match="không còn trong kho") as gone:
        open_form(dossier, "01", actor=district["clerk"])
    assert gone.value.status == 410


def test_a_blob_shared_with_a_live_record_is_kept(district, archive_staff):
    """Originals are content-addressed: the same paper scanned for two dossiers is one blob.
    Disposing of one dossier keeps it while another non-disposed row still references it."""
    shared = jpeg_bytes(seed=b"the same paper!!")
    first, second = receive(district), receive(district)
    add_scan(first, component=first.components.first(), data=shared, name="cccd.jpg")
    add_scan(second, component=second.components.first(), data=shared, name="cccd.jpg")
    tray = add_scan(None, data=shared, name="cccd.jpg", unit=district["justice"])
    first_record = _archive(walk_to_returned(district, first))
    second_record = _archive(walk_to_returned(district, second))
    blob = ScannedFile.objects.filter(dossier=first).get().original.name
    assert ScannedFile.objects.filter(original=blob).count() == 3

    archivist, head = archive_staff["archivist"], archive_staff["head"]
    with _later():
        batch = services.propose_disposal(
            actor=archivist, record_ids=[first_record.pk], note="Hết hạn lưu trữ"
        )
        services.approve_disposal(batch.pk, actor=head)
        batch = services.execute_disposal(batch.pk)
    assert _exists(blob)
    assert blob in batch.items.get().kept

    tray.delete()  # the tray's scan was attached elsewhere and removed
    with _later():
        batch = services.propose_disposal(
            actor=archivist, record_ids=[second_record.pk], note="Hết hạn lưu trữ"
        )
        services.approve_disposal(batch.pk, actor=head)
        services.execute_disposal(batch.pk)
    assert not _exists(blob)  # the last live reference went with the second dossier


def test_rejection_needs_a_reason_and_keeps_the_records(district, archive_staff):
    record = _archive(returned_with_scans(district))
    archivist, head = archive_staff["archivist"], archive_staff["head"]
    with _later():
        batch = services.propose_disposal(actor=archivist, record_ids=[record.pk], note="Hết hạn")
        with pytest.raises(ArchiveError, match="Cần ghi lý do không duyệt"):
            services.reject_disposal(batch.pk, actor=head, reason="")
        services.reject_disposal(batch.pk, actor=head, reason="Còn tranh chấp đất đai.")
        with pytest.raises(ArchiveError, match="Đợt hủy đã «Không duyệt»"):
            services.approve_disposal(batch.pk, actor=head)
        with pytest.raises(ArchiveError, match="Chỉ thực hiện hủy đợt đã được lãnh đạo duyệt"):
            services.execute_disposal(batch.pk)
        assert list(expired_records(archivist)) == [record]  # back on the list
    record.refresh_from_db()
    assert record.state == ArchiveRecord.State.SEALED


def test_unexpired_and_permanent_records_cannot_be_proposed(district, archive_staff):
    record = _archive(returned_with_scans(district))
    procedure = district["procedure"]
    procedure.retention_years, procedure.retention_permanent = None, True
    procedure.save()
    permanent = _archive(walk_to_returned(district, receive(district)))
    archivist = archive_staff["archivist"]
    with pytest.raises(ArchiveError, match="chưa hết hạn lưu trữ"):
        services.propose_disposal(actor=archivist, record_ids=[record.pk], note="Thử")
    with time_machine.travel(timezone.now() + timedelta(days=365 * 200), tick=True):
        assert list(expired_records(archivist)) == [record]
        with pytest.raises(ArchiveError, match=permanent.code):
            services.propose_disposal(actor=archivist, record_ids=[permanent.pk], note="Thử")
