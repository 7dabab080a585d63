"""Faults against the real OCR worker, Redis and PostgreSQL (issue #5): a worker killed in
the middle of a page, Redis stopped for 30 s while files are uploaded, a batch with a file
that cannot be read."""

import hashlib
import io
import time

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from digitization.models import ScannedFile, ScannedPage
from digitization.tasks import sweep_scans

from .ocr_worker import reset_broker_connections
from .scan_files import PAGE_ONE, PAGE_TWO, corrupt_tiff, image_bytes, pdf_bytes, upload
from .workflow_fixtures import receive

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.worker]


def wait_for(predicate, timeout=120.0, every=0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(every)
    raise AssertionError(f"not within {timeout} s")


@pytest.fixture
def workers(ocr_workers):
    return ocr_workers


def _upload(client, dossier, *files):
    component = dossier.components.order_by("id").first()
    return client.post(
        reverse("digitization:upload", args=[dossier.code]),
        {"component": component.pk, "files": list(files)},
    )


def _sha(scanned):
    with scanned.original.open("rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def test_worker_killed_in_the_middle_of_a_page(district, client, workers):
    client.force_login(district["clerk"])
    dossier = receive(district)
    pages = [PAGE_ONE, PAGE_TWO, PAGE_ONE + ["trang ba"], PAGE_TWO + ["trang bốn"]]
    data = pdf_bytes(*pages, dpi=300)
    assert _upload(client, dossier, upload("bon-trang.pdf", data)).status_code == 200
    scanned = ScannedFile.objects.get(dossier=dossier)
    first = workers()
    # Page 1 committed, page 2 under way: kill the worker with its pool and Tesseract.
    wait_for(lambda: ScannedPage.objects.filter(file=scanned).count() >= 1, every=0.05)
    time.sleep(0.3)
    first.kill()
    scanned.refresh_from_db()
    done_before = ScannedPage.objects.filter(file=scanned).count()
    assert scanned.state == "processing" and 1 <= done_before < 4
    # A new worker; once the dead worker's lease has run out the sweeper hands the file on.
    workers()

    def lease_over():
        row = ScannedFile.objects.get(pk=scanned.pk)
        return row.state == "done" or (row.lease_until and row.lease_until < timezone.now())

    wait_for(lease_over, timeout=30)
    sweep_scans.apply().get()
    wait_for(lambda: ScannedFile.objects.get(pk=scanned.pk).state == "done")
    scanned.refresh_from_db()
    numbers = list(ScannedPage.objects.filter(file=scanned).values_list("number", flat=True))
    assert sorted(numbers) == [1, 2, 3, 4]  # each page done exactly once
    assert scanned.attempts >= 2, scanned.attempts
    assert _sha(scanned) == scanned.sha256 == hashlib.sha256(data).hexdigest()
    assert len(PdfReader(io.BytesIO(scanned.searchable_pdf.read())).pages) == 4


def test_redis_down_for_30_seconds_while_uploading(district, client, workers, own_broker, settings):
    settings.OCR_SWEEP_AFTER_SECONDS = 0
    client.force_login(district["clerk"])
    workers(broker_url=own_broker.url)
    own_broker.stop()
    try:
        dossiers = [receive(district) for _ in range(2)]
        started = time.monotonic()
        for number, dossier in enumerate(dossiers):
            lines = PAGE_ONE + [f"Hồ sơ số {number}"]
            response = _upload(client, dossier, upload(f"h{number}.png", image_bytes(lines)))
            assert response.status_code == 200
            assert "Đã nhận 1 tệp" in response.content.decode()
        assert time.monotonic() - started < 10  # the clerk is not kept waiting
        assert set(ScannedFile.objects.values_list("state", flat=True)) == {"pending"}
        time.sleep(30)
    finally:
        own_broker.start()
        reset_broker_connections()
    assert set(ScannedFile.objects.values_list("state", flat=True)) == {"pending"}
    # The beat sweeper's run; the worker reconnects to the broker by itself.
    assert sweep_scans.apply().get() == 2
    wait_for(lambda: set(ScannedFile.objects.values_list("state", flat=True)) == {"done"})
    for scanned in ScannedFile.objects.all():
        assert _sha(scanned) == scanned.sha256
        assert "BẮC YÊN" in scanned.page_set.get().text.upper()


def test_an_unreadable_file_fails_and_the_rest_of_the_batch_is_done(district, client, workers):
    client.force_login(district["clerk"])
    workers()
    dossier = receive(district)
    response = _upload(
        client,
        dossier,
        corrupt_tiff(),
        upload("tot.png", image_bytes(PAGE_ONE)),
        upload("hop-dong.pdf", pdf_bytes(PAGE_TWO)),
    )
    assert response.status_code == 200
    wait_for(lambda: not ScannedFile.objects.filter(state__in=["pending", "processing"]).exists())
    states = dict(ScannedFile.objects.values_list("original_name", "state"))
    assert states == {"hong.tif": "failed", "tot.png": "done", "hop-dong.pdf": "done"}
    failed = ScannedFile.objects.get(original_name="hong.tif")
    assert failed.last_error.startswith("Ảnh bị hỏng, không đọc được trang 1")
    panel = client.get(reverse("digitization:dossier-scans", args=[dossier.code])).content.decode()
    assert "Ảnh bị hỏng, không đọc được trang 1" in panel
    # A broken file: the clerk is told to scan it again, not offered a retry that cannot help.
    assert "xin quét lại" in panel and "Nhận dạng lại</button>" not in panel
