"""``manage.py backup_status [--json]``: the last good database backup (pgBackRest), the WAL
archive's range (how far a restore can go) and the last media snapshot; exits 1 when either
is missing or older than BACKUP_MAX_AGE_HOURS, for a monitor to alert on."""

import json
from datetime import UTC, datetime

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from operations.backup import (
    MANIFEST,
    BackupError,
    database_backups,
    media_snapshots,
    read_manifest,
)


class Command(BaseCommand):
    help = "Tình trạng sao lưu: bản sao lưu cơ sở dữ liệu và tệp gần nhất."

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true")

    def handle(self, *args, **options):
        now = datetime.now(UTC)
        status = {"database": None, "media": None, "problems": []}
        try:
            backups = database_backups()
        except BackupError as exc:
            backups = []
            status["problems"].append(str(exc))
        if backups:
            last = backups[-1]
            stopped = datetime.fromtimestamp(last["timestamp"]["stop"], UTC)
            status["database"] = {
                "label": last["label"],
                "type": last["type"],
                "finished": stopped.isoformat(),
                "age_hours": round((now - stopped).total_seconds() / 3600, 2),
                "bytes": last["info"]["size"],
                "wal_from": last["archive"]["start"],
                "wal_to": last["archive"]["stop"],
            }
        elif not status["problems"]:
            status["problems"].append("Chưa có bản sao lưu cơ sở dữ liệu nào.")
        snapshots = media_snapshots()
        if snapshots:
            last = snapshots[-1]
            taken = datetime.fromtimestamp((last / MANIFEST).stat().st_mtime, UTC)
            status["media"] = {
                "snapshot": last.name,
                "files": len(read_manifest(last)),
                "finished": taken.isoformat(),
                "age_hours": round((now - taken).total_seconds() / 3600, 2),
            }
        else:
            status["problems"].append("Chưa có bản sao lưu tệp nào.")
        limit = settings.BACKUP_MAX_AGE_HOURS
        for part, label in (("database", "cơ sở dữ liệu"), ("media", "tệp")):
            if status[part] and status[part]["age_hours"] > limit:
                status["problems"].append(f"Bản sao lưu {label} đã cũ hơn {limit} giờ.")
        if options["json"]:
            self.stdout.write(json.dumps(status, ensure_ascii=False))
        else:
            self._describe(status)
        if status["problems"]:
            raise CommandError(" ".join(status["problems"]))

    def _describe(self, status):
        db, media = status["database"], status["media"]
        if db:
            self.stdout.write(
                f"Cơ sở dữ liệu: {db['label']} ({db['type']}) xong lúc {db['finished']}, "
                f"{db['bytes'] / 1e6:.1f} MB; WAL {db['wal_from']} → {db['wal_to']}"
            )
        if media:
            self.stdout.write(
                f"Tệp: ảnh chụp {media['snapshot']}, {media['files']} tệp, lúc {media['finished']}"
            )
