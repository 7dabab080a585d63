"""Media on an S3-compatible store (issue #22, item 5): moto's server on loopback stands for
the province's object store; the portal and its workers use it through django-storages as the
README configures it (MEDIA_S3_*). The main browser journey, a scan read by a real OCR worker
and the archive's package export all go through it: every file lands in the bucket and none on
the local disk, and every download is answered by the portal after its permission check —
never a redirect to the store."""

import io
import socket
import subprocess
import sys
import time
import zipfile

import boto3
import pytest
from django.conf import settings
from django.urls import reverse

from archive.models import ArchiveRecord
from digitization.models import ScannedFile

from .scan_files import PAGE_ONE, image_bytes, upload
from .test_browser_journey import walk_one_dossier
from .workers import DedicatedWorker, free_port, purge_queue
from .workflow_fixtures import receive

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
BUCKET = "cong-mot-cua-media"
KEYS = {"aws_access_key_id": "kiem-thu", "aws_secret_access_key": "kiem-thu-bi-mat"}


@pytest.fixture
def object_store():
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 30
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                break
        except OSError:
            assert time.monotonic() < deadline, "moto server did not start"
            time.sleep(0.2)
    url = f"http://127.0.0.1:{port}"
    client = boto3.client("s3", endpoint_url=url, region_name="us-east-1", **KEYS)
    client.create_bucket(Bucket=BUCKET)
    yield url, client
    proc.terminate()
    proc.wait(timeout=10)


@pytest.fixture
def on_object_store(object_store, own_broker, settings):
    """This process (the live server) and two workers of their own (default, ocr) with media
    in the bucket; their own broker, so that no worker of the session with local media takes
    their tasks."""
    url, client = object_store
    media = {
        "MEDIA_S3_BUCKET": BUCKET,
        "MEDIA_S3_ENDPOINT_URL": url,
        "MEDIA_S3_REGION": "us-east-1",
        "MEDIA_S3_ACCESS_KEY_ID": KEYS["aws_access_key_id"],
        "MEDIA_S3_SECRET_ACCESS_KEY": KEYS["aws_secret_access_key"],
    }
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": BUCKET,
                "endpoint_url": url,
                "region_name": "us-east-1",
                "access_key": KEYS["aws_access_key_id"],
                "secret_key": KEYS["aws_secret_access_key"],
                "file_overwrite": False,
                "default_acl": None,
                "querystring_auth": True,
            },
        },
    }
    workers = [
        DedicatedWorker("default", broker_url=own_broker.url, **media).start(),
        DedicatedWorker("ocr", broker_url=own_broker.url, **media).start(),
    ]
    yield client
    for worker in workers:
        worker.stop()
    for queue in ("default", "ocr"):
        purge_queue(queue)


def _keys(client):
    pages = client.get_paginator("list_objects_v2").paginate(Bucket=BUCKET)
    return [item["Key"] for page in pages for item in page.get("Contents", [])]


def _local_files():
    root = settings.MEDIA_ROOT
    return {p for p in root.rglob("*") if p.is_file()} if root.exists() else set()


def test_the_journey_with_media_on_an_s3_compatible_store(
    on_object_store, live_server, browser, contexts, district, artifacts_dir, client
):
    local_before = _local_files()
    code, clerk = walk_one_dossier(live_server.url, browser, contexts, district, artifacts_dir)
    keys = _keys(on_object_store)
    assert any(key.startswith("forms/") and key.endswith(".pdf") for key in keys), keys
    record = ArchiveRecord.objects.get(code=code)
    assert record.state == ArchiveRecord.State.SEALED
    assert any(key.startswith(record.package_path) for key in keys)

    # A scan: uploaded to the bucket, read by the OCR worker from it, opened through the view.
    client.force_login(district["clerk"])
    dossier = receive(district)  # a dossier still at the counter takes scans
    component = dossier.components.order_by("id").first()
    answer = client.post(
        reverse("digitization:upload", args=[dossier.code]),
        {"component": component.pk, "files": [upload("giay-to.png", image_bytes(PAGE_ONE))]},
    )
    assert answer.status_code == 200
    scanned = ScannedFile.objects.get(dossier=dossier)
    deadline = time.monotonic() + 120
    while scanned.state != ScannedFile.State.DONE:
        assert time.monotonic() < deadline, (scanned.state, scanned.last_error)
        time.sleep(0.5)
        scanned.refresh_from_db()
    assert scanned.original.name in _keys(on_object_store)
    assert "BẮC YÊN" in scanned.page_set.get().text.upper()

    # Downloads: answered by the portal itself (no redirect, no address of the store).
    receipt = clerk.request.get(f"{live_server.url}/ho-so/{code}/mau-receipt.pdf")
    assert receipt.status == 200 and receipt.body().startswith(b"%PDF")
    page = clerk.content()
    assert "127.0.0.1:" + on_object_store.meta.endpoint_url.rsplit(":", 1)[1] not in page
    export = client.get(reverse("archive:export", args=[record.pk]))
    assert export.status_code == 200, export.content[:500]
    with zipfile.ZipFile(io.BytesIO(b"".join(export.streaming_content))) as package:
        names = package.namelist()
    assert any(name.endswith("manifest-sha256.txt") for name in names), names
    client.logout()
    anonymous = client.get(reverse("archive:export", args=[record.pk]))
    assert anonymous.status_code == 302 and "/dang-nhap/" in anonymous["Location"]

    assert _local_files() == local_before  # nothing of the journey on the local disk
