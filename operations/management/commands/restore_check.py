"""``manage.py restore_check [--json]``: whether a restored instance is whole — the row count
of every table, every media file against the latest snapshot's manifest, a full fixity pass of
the archive's sealed packages, and every sent report regenerated and compared with what was
sent. Exits 1 naming what is wrong."""

import json
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from archive.models import ArchiveRecord
from archive.services.fixity import check_packages
from operations.backup import media_snapshots, read_manifest, verify_media
from reporting.models import Snapshot
from reporting.queries import snapshot_changes


class Command(BaseCommand):
    help = "Kiểm tra một hệ thống vừa khôi phục: số dòng, mã băm tệp, toàn vẹn lưu trữ, báo cáo."

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true")

    def handle(self, *args, **options):
        problems = []
        counts = {}
        with connection.cursor() as cursor:
            for model in apps.get_models():
                table = model._meta.db_table
                if model._meta.managed and not model._meta.proxy and table not in counts:
                    cursor.execute(f'SELECT count(*) FROM "{table}"')  # noqa: S608 - model names
                    counts[table] = cursor.fetchone()[0]
        snapshots = media_snapshots()
        files = 0
        if snapshots:
            missing = verify_media(Path(settings.MEDIA_ROOT), snapshots[-1])
            files = len(read_manifest(snapshots[-1])) - len(missing)
            problems += missing[:20]
        sealed = ArchiveRecord.objects.filter(state=ArchiveRecord.State.SEALED)
        checks, broken = check_packages(sealed)
        problems += [f"gói lưu trữ {c.record_id} không toàn vẹn" for c in broken]
        reports = 0
        for snapshot in Snapshot.objects.select_related("unit"):
            changes = snapshot_changes(snapshot)
            reports += 1
            if changes:
                problems.append(f"báo cáo {snapshot.pk} khác {len(changes)} ô so với bản đã gửi")
        result = {
            "rows": counts,
            "files_ok": files,
            "packages_checked": len(checks),
            "reports_compared": reports,
            "problems": problems,
        }
        if options["json"]:
            self.stdout.write(json.dumps(result, ensure_ascii=False))
        else:
            self.stdout.write(
                f"{sum(counts.values())} dòng trong {len(counts)} bảng · {files} tệp khớp mã băm · "
                f"{len(checks)} gói lưu trữ toàn vẹn đã kiểm · {reports} báo cáo đã so"
            )
        if problems:
            raise CommandError("; ".join(problems[:20]))
