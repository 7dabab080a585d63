from django.core.management.base import BaseCommand, CommandError

from dossiers.demo import DEMO_PASSWORD, load_demo
from dossiers.services.catalogue import CatalogueError


class Command(BaseCommand):
    help = (
        "Nạp huyện mẫu Bắc Yên: đơn vị, danh mục thủ tục, tài khoản cán bộ, hồ sơ "
        "(chạy lại an toàn)."
    )

    def handle(self, *args, **options):
        try:
            summary = load_demo()
        except CatalogueError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"Đơn vị: {summary['units']} · Thủ tục: {summary['procedures']} · "
            f"Điều chỉnh lịch: {summary['calendar_overrides']} · "
            f"Tài khoản: {len(summary['accounts'])} · Hồ sơ mới tạo: {summary['dossiers_created']}"
        )
        self.stdout.write(f"Mật khẩu chung của mọi tài khoản mẫu: {DEMO_PASSWORD}")
