"""The database work of archiving and of fixity is a fixed number of statements per batch,
however many packages it holds, and a fixed number per fixity slice: a regression to
per-file or per-row ORM work fails here. Batches seal each package alone: one that fails
leaves the others sealed."""

import pytest
from django.core.files.storage import default_storage
from django.db import connection
from django.test.utils import CaptureQueriesContext

from archive import services
from archive.errors import PackagingError
from archive.models import ArchiveRecord, FixityCheck
from dossiers.workflow import State

from .archive_fixtures import returned_with_scans, walk_to_returned
from .workflow_fixtures import receive

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media", "every_bag_valid")]

# A dossier just returned, packed alone: claim 2, load 5, seal 9 (lock the records still
# claimed, their UPDATEs sent at once, their search words, their files' rows, the dossiers'
# move: lock, event, update, audit; the seal's audit) and the savepoints of the two nested
# transactions. The OCR text is not read: the archive's search finds it in digitization's
# page index.
ONE_PACKAGE = 20


def _files(path):
    """Every file under ``path`` on the storage (the folders a discarded attempt leaves are
    empty)."""
    if not default_storage.exists(path):
        return []
    folders, files = default_storage.listdir(path)
    return [f"{path}/{f}" for f in files] + [x for d in folders for x in _files(f"{path}/{d}")]


def _records(dossiers):
    return [services.request_archiving(d.pk, enqueue_now=False).pk for d in dossiers]


def _statements(ids):
    with CaptureQueriesContext(connection) as queries:
        outcome = services.build_packages(ids)
    assert not outcome.errors and len(outcome.sealed) == len(ids)
    return [q["sql"] for q in queries.captured_queries]


def test_a_package_alone_takes_a_fixed_number_of_statements(district):
    [pk] = _records([returned_with_scans(district)])
    assert len(_statements([pk])) == ONE_PACKAGE


def test_a_batch_of_packages_takes_the_statements_of_one(district):
    first = _records([returned_with_scans(district)])
    batch = _records(
        [returned_with_scans(district)]
        + [walk_to_returned(district, receive(district)) for _ in range(3)]
    )
    alone, four = _statements(first), _statements(batch)
    assert len(four) == len(alone), "\n".join(four)
    # The records' seals are one UPDATE each, sent together: not per-file or per-dossier work.
    [seals] = [sql for sql in four if 'UPDATE "archive_archiverecord" SET "state"' in sql]
    assert seals.startswith("4 times: ")
    assert ArchiveRecord.objects.filter(state="sealed").count() == 5


def test_a_fixity_slice_takes_the_same_statements_for_one_package_or_many(district):
    services.build_packages(_records([returned_with_scans(district)]))
    with CaptureQueriesContext(connection) as one:
        assert [c.ok for c in services.run_fixity_slice(limit=1)] == [True]
    services.build_packages(
        _records([walk_to_returned(district, receive(district)) for _ in range(3)])
    )
    ArchiveRecord.objects.update(last_fixity_at=None)
    with CaptureQueriesContext(connection) as four:
        checks = services.run_fixity_slice(limit=4)
    assert [c.ok for c in checks] == [True] * 4
    assert len(four) == len(one) <= 6
    assert FixityCheck.objects.count() == 5


def test_a_package_that_fails_in_a_batch_leaves_the_others_sealed(district):
    broken, *fine = [returned_with_scans(district) for _ in range(3)]
    scan = broken.scanned_files.order_by("id")[0]
    default_storage.delete(scan.searchable_pdf.name)
    ids = _records([broken, *fine])

    outcome = services.build_packages(ids)

    assert set(outcome.sealed) == set(ids[1:])
    assert isinstance(outcome.errors[ids[0]], PackagingError)
    assert "Không tìm thấy «Bản PDF tìm kiếm được" in outcome.errors[ids[0]].message
    failed = ArchiveRecord.objects.get(pk=ids[0])
    assert failed.state == ArchiveRecord.State.FAILED and failed.files.count() == 0
    broken.refresh_from_db()
    assert broken.state == State.RETURNED
    # Nothing of the failed attempt is left on the storage; the others are whole bags.
    assert _files(f"archive/packages/{failed.returned_at.year}/{failed.code}") == []
    for dossier in fine:
        dossier.refresh_from_db()
        assert dossier.state == State.ARCHIVED


def test_a_batch_invalidates_the_reports_once_not_once_per_dossier(district):
    """The dossiers' move to ``archived`` reaches the reports' cache (a report read before
    must not be served again), as one bump for the batch's events and one for its dossiers,
    not two round trips to Redis per dossier."""
    from reporting import cache

    ids = _records([walk_to_returned(district, receive(district)) for _ in range(4)])
    before = cache.version()
    _statements(ids)
    assert cache.version() == before + 2
