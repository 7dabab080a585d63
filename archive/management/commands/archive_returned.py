"""``manage.py archive_returned``: the nightly pass by hand (the embedded mode has no
scheduler): every returned dossier gets its record, and every pending or failed package is
built now, in this process."""

from django.core.management.base import BaseCommand

from archive.errors import PackagingError
from archive.models import ArchiveRecord
from archive.services import archive_returned, build_package


class Command(BaseCommand):
    help = "Lập gói lưu trữ cho mọi hồ sơ đã trả kết quả chưa được lưu trữ."

    def handle(self, *args, **options):
        summary = archive_returned(enqueue_now=False)
        waiting = ArchiveRecord.objects.filter(state__in=("pending", "failed"))
        sealed = failed = 0
        for pk in waiting.order_by("id").values_list("pk", flat=True):
            try:
                build_package(pk)
                sealed += 1
            except PackagingError as exc:
                failed += 1
                self.stderr.write(f"{pk}: {exc.message}")
        self.stdout.write(
            f"Hồ sơ mới vào kho: {summary['created']} · Gói đã niêm phong: {sealed} · Lỗi: {failed}"
        )
