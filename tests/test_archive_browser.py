"""Done-when of issue #7 in Chromium, with the real Celery worker: the clerk returns a dossier,
the worker seals its package and the dossier page shows it in the archive; the clock moves
past the retention period; the archivist (stating a reason) finds the record and proposes its
disposal, the district's leader approves, the worker destroys the files, and the disposal
record and its printed minute remain."""

import subprocess
from datetime import timedelta

import pytest
from django.core.files.storage import default_storage
from django.utils import timezone

from archive.models import ArchiveRecord, DisposalBatch
from archive.retention import retention_until
from dossiers.models import Dossier
from dossiers.services import take_action

from .archive_fixtures import add_scan
from .test_browser_journey import act, login, pdf_text, reload_until
from .workflow_fixtures import receive

pytestmark = [pytest.mark.browser, pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def _move_past_retention(record):
    """The clock moves 11 years on for this record: its return (and so its retention) is
    dated 11 years back, in the database every process reads."""
    back = timedelta(days=365 * 11 + 3)
    returned = record.returned_at - back
    Dossier.objects.filter(pk=record.dossier_id).update(returned_at=returned)
    until = retention_until(timezone.localdate(returned), record.retention_years, False)
    ArchiveRecord.objects.filter(pk=record.pk).update(returned_at=returned, retention_until=until)


def test_return_archive_propose_approve_dispose(
    live_server, browser, contexts, district, archive_staff, celery_worker_process, artifacts_dir
):
    base = live_server.url
    d = district
    dossier = receive(d)
    first = dossier.components.order_by("id").first()
    add_scan(dossier, component=first, name="phieu-yeu-cau.jpg", text="Phiếu yêu cầu chứng thực")
    add_scan(dossier, role="result", name="ket-qua.jpg", signed=True)
    take_action("assign", dossier.pk, actor=d["clerk"])
    take_action("propose_result", dossier.pk, actor=d["specialist"])
    take_action("approve", dossier.pk, actor=d["leader"])

    clerk = login(contexts, browser, base, "motcua")
    clerk.goto(f"{base}/ho-so/{dossier.code}/")
    act(clerk, "Trả kết quả")
    reload_until(clerk, "Đã lưu trữ")  # the worker sealed the package; the panel says so
    clerk.get_by_text("Xem hồ sơ lưu trữ").wait_for()
    clerk.screenshot(path=str(artifacts_dir / "archive-dossier-panel.png"), full_page=True)
    record = ArchiveRecord.objects.get(dossier=dossier)
    assert record.state == "sealed" and Dossier.objects.get(pk=dossier.pk).state == "archived"
    stored = [f"{record.package_path}/{p}" for p in record.files.values_list("path", flat=True)]
    stored += [s.original.name for s in dossier.scanned_files.all()]
    assert all(default_storage.exists(name) for name in stored)

    _move_past_retention(record)
    archivist = login(contexts, browser, base, "luutru")
    archivist.get_by_role("link", name="Lưu trữ").click()
    archivist.get_by_role("link", name=dossier.code).click()
    archivist.get_by_label("Lý do truy cập").fill("Rà soát hồ sơ hết hạn lưu trữ")
    archivist.get_by_role("button", name="Xem hồ sơ").click()
    archivist.get_by_text("tagmanifest-sha256.txt").wait_for()
    archivist.screenshot(path=str(artifacts_dir / "archive-record.png"), full_page=True)
    archivist.get_by_role("link", name="Hết hạn lưu trữ").click()
    archivist.get_by_label(f"Chọn {dossier.code}").check()
    archivist.get_by_label("Lý do, căn cứ đề nghị hủy").fill(
        "Hết thời hạn lưu trữ 10 năm theo danh mục thời hạn lưu trữ hồ sơ TTHC."
    )
    archivist.get_by_role("button", name="Đề nghị hủy các hồ sơ đã chọn").click()
    archivist.wait_for_url("**/luu-tru/huy/*/")
    assert "Chờ lãnh đạo duyệt" in archivist.locator("#batch-state").inner_text()
    batch = DisposalBatch.objects.get()

    leader = login(contexts, browser, base, "lanhdao.huyen")
    leader.goto(f"{base}/luu-tru/huy/{batch.pk}/")
    leader.get_by_label("Ý kiến (bắt buộc khi không duyệt)").fill("Đồng ý hủy theo đề nghị.")
    with leader.expect_navigation():
        leader.get_by_role("button", name="Duyệt hủy").click()
    reload_until(leader, "Biên bản hủy (PDF)")  # the worker destroyed the files
    leader.screenshot(path=str(artifacts_dir / "archive-disposal-batch.png"), full_page=True)

    record.refresh_from_db()
    assert record.state == "disposed"
    assert not any(default_storage.exists(name) for name in stored)  # the files are gone
    item = DisposalBatch.objects.get().items.get()  # the disposal record remains
    assert item.code == dossier.code and item.package_sha256 == record.package_sha256
    href = leader.locator("#minute").get_attribute("href")
    pdf = leader.request.get(f"{base}{href}").body()
    (artifacts_dir / "archive-bien-ban-huy.pdf").write_bytes(pdf)
    text = pdf_text(pdf)
    assert "BIÊN BẢN HỦY HỒ SƠ HẾT HẠN LƯU TRỮ" in text and dossier.code in text
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            "60",
            "-singlefile",
            str(artifacts_dir / "archive-bien-ban-huy.pdf"),
            str(artifacts_dir / "archive-bien-ban-huy"),
        ],
        check=True,
    )
