"""Fixity: the periodic check re-hashes packages a slice at a time, all within the cycle, and
reports a file altered by one byte and a file deleted — on the archive page and by mail to
the archivist."""

import pytest
from django.core.files.storage import default_storage

from archive import services
from archive.models import ArchiveRecord

from .archive_fixtures import returned_with_scans, walk_to_returned
from .workflow_fixtures import receive

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media", "every_bag_valid")]


def _archive(dossier):
    return services.build_package(services.request_archiving(dossier.pk).pk)


def test_one_byte_altered_and_one_file_deleted_are_both_reported(
    district, archive_staff, client, mailoutbox, django_capture_on_commit_callbacks
):
    record = _archive(returned_with_scans(district))
    assert services.check_package(record).ok
    altered = f"{record.package_path}/data/01-phieu-yeu-cau-ban-goc.jpg"
    path = default_storage.path(altered)
    with open(path, "r+b") as f:
        f.seek(100)
        byte = f.read(1)
        f.seek(100)
        f.write(bytes([byte[0] ^ 1]))
    default_storage.delete(f"{record.package_path}/data/03-ket-qua-ban-ky-so.pdf")
    ArchiveRecord.objects.filter(pk=record.pk).update(last_fixity_at=None)

    with django_capture_on_commit_callbacks(execute=True):  # the mail leaves after commit
        [check] = services.run_fixity_slice()
    assert not check.ok
    assert {(p["path"], p["status"]) for p in check.problems} == {
        ("data/01-phieu-yeu-cau-ban-goc.jpg", "changed"),
        ("data/03-ket-qua-ban-ky-so.pdf", "missing"),
    }
    record.refresh_from_db()
    assert record.fixity_ok is False

    [mail] = mailoutbox
    assert mail.to == ["luutru@example.vn"] and record.code in mail.body
    assert "bị thay đổi" in mail.body and "bị mất" in mail.body

    client.force_login(archive_staff["archivist"])
    page = client.get("/luu-tru/").content.decode()
    assert 'id="fixity-problems"' in page and record.code in page
    assert "ban-goc.jpg</span> — bị thay đổi" in page and "ban-ky-so.pdf</span> — bị mất" in page

    with django_capture_on_commit_callbacks(execute=True):
        services.run_fixity_slice()  # still broken: no second mail
    assert len(mailoutbox) == 1


def test_slices_cover_every_package_within_the_cycle(district, settings):
    records = [_archive(returned_with_scans(district))]
    records += [_archive(walk_to_returned(district, receive(district))) for _ in range(4)]
    settings.ARCHIVE_FIXITY_CYCLE_DAYS = 1
    settings.ARCHIVE_FIXITY_EVERY_MINUTES = 720  # two runs per cycle -> slices of 3
    first = services.run_fixity_slice()
    second = services.run_fixity_slice()
    assert len(first) == 3 and len(second) == 3
    checked = {c.record_id for c in first} | {c.record_id for c in second}
    assert checked == {r.pk for r in records}
    assert all(c.ok for c in first + second)
