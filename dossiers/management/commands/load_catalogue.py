from django.core.management.base import BaseCommand, CommandError

from dossiers.services.catalogue import CatalogueError, import_catalogue, read_json


class Command(BaseCommand):
    help = "Nạp hoặc cập nhật danh mục thủ tục từ một tệp JSON (mặc định: tệp đi kèm)."

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", default="dossiers/data/catalogue.json")

    def handle(self, *args, file, **options):
        try:
            summary = import_catalogue(read_json(file))
        except CatalogueError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Đã nạp {summary['procedures']} thủ tục, {summary['fields']} lĩnh vực.")
