"""``manage.py restore_media [--snapshot NAME]``: copy a media snapshot (the latest by default)
into MEDIA_ROOT and check every file against its SHA-256 manifest."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from operations.backup import BackupError, restore_media


class Command(BaseCommand):
    help = "Khôi phục tệp từ một ảnh chụp sao lưu và kiểm tra mã băm từng tệp."

    def add_arguments(self, parser):
        parser.add_argument("--snapshot", default="")

    def handle(self, *args, **options):
        chosen = None
        if options["snapshot"]:
            chosen = Path(settings.BACKUP_DIR) / "media" / options["snapshot"]
            if not chosen.is_dir():
                raise CommandError(f"Không có ảnh chụp «{options['snapshot']}».")
        try:
            snapshot, count = restore_media(chosen)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Đã khôi phục {count} tệp từ {snapshot.name}; mã băm khớp.")
