"""``manage.py backup [--type full|diff|incr] [--skip-database] [--skip-media]``: a pgBackRest
backup of the database, then a snapshot of the media folder with its SHA-256 manifest. Run
daily by the backup timer (README, "Production on Debian"); exits non-zero on a failure."""

import time

from django.core.management.base import BaseCommand, CommandError

from operations.backup import BackupError, pgbackrest, snapshot_media


class Command(BaseCommand):
    help = "Sao lưu cơ sở dữ liệu (pgBackRest) và tệp (ảnh chụp có mã băm SHA-256)."

    def add_arguments(self, parser):
        parser.add_argument("--type", default="incr", choices=["full", "diff", "incr"])
        parser.add_argument("--skip-database", action="store_true")
        parser.add_argument("--skip-media", action="store_true")

    def handle(self, *args, **options):
        try:
            if not options["skip_database"]:
                started = time.monotonic()
                pgbackrest("backup", f"--type={options['type']}")
                self.stdout.write(
                    f"Cơ sở dữ liệu: sao lưu {options['type']} xong trong "
                    f"{time.monotonic() - started:.1f} giây."
                )
            if not options["skip_media"]:
                started = time.monotonic()
                shot = snapshot_media()
                self.stdout.write(
                    f"Tệp: {shot.files} tệp, {shot.bytes / 1e6:.1f} MB ({shot.linked} không đổi) "
                    f"trong {time.monotonic() - started:.1f} giây → {shot.path}"
                )
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
