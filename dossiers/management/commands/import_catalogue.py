from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from dossiers.services.catalogue import CatalogueError
from dossiers.services.national_import import import_national_file


class Command(BaseCommand):
    help = (
        "Nhập thủ tục từ tệp của Cổng Dịch vụ công quốc gia (bản ghi chi tiết .json hoặc tệp "
        "Excel .xlsx): tạo mới, cập nhật và ghi nhận mọi thay đổi thời hạn, phí, thành phần hồ "
        "sơ theo ngày áp dụng."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="Tệp .json hoặc .xlsx")
        parser.add_argument(
            "--dry-run", action="store_true", help="Chỉ in những gì sẽ thay đổi, không ghi gì."
        )
        parser.add_argument(
            "--effective-from",
            metavar="YYYY-MM-DD",
            help="Ngày áp dụng của các thay đổi (mặc định: hôm nay; bản ghi có ngày riêng "
            "thì theo ngày đó).",
        )

    def handle(self, *args, file, dry_run, effective_from, **options):
        try:
            day = date.fromisoformat(effective_from) if effective_from else None
        except ValueError as exc:
            raise CommandError(
                f"--effective-from '{effective_from}' không phải ngày dạng YYYY-MM-DD."
            ) from exc
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"Không tìm thấy tệp {file}.")
        try:
            report = import_national_file(
                path.name, path.read_bytes(), effective_from=day, dry_run=dry_run
            )
        except CatalogueError as exc:
            raise CommandError(f"{exc} Chưa nhập thủ tục nào.") from exc
        for line in report.lines:
            self.stdout.write(line)
        self.stdout.write(report.summary())
