"""``manage.py archive_returned``: the nightly pass by hand (the embedded mode has no
scheduler): every returned dossier gets its record, and every pending or failed package is
built now, in this process."""

from django.core.management.base import BaseCommand

from archive.errors import ArchiveError
from archive.models import ArchiveRecord
from archive.services import archive_returned, build_packages
from archive.services.packaging import BATCH


class Command(BaseCommand):
    help = "Lập gói lưu trữ cho mọi hồ sơ đã trả kết quả chưa được lưu trữ."

    def handle(self, *args, **options):
        summary = archive_returned(enqueue_now=False)
        waiting = ArchiveRecord.objects.filter(state__in=("pending", "failed"))
        ids = list(waiting.order_by("id").values_list("pk", flat=True))
        sealed = failed = 0
        for start in range(0, len(ids), BATCH):
            outcome = build_packages(ids[start : start + BATCH])
            sealed += len(outcome.sealed)
            failed += len(outcome.errors)
            for pk, exc in outcome.errors.items():
                message = exc.message if isinstance(exc, ArchiveError) else repr(exc)
                self.stderr.write(f"{pk}: {message}")
        self.stdout.write(
            f"Hồ sơ mới vào kho: {summary['created']} · Gói đã niêm phong: {sealed} · Lỗi: {failed}"
        )
