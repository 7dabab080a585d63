from django.core.management.base import BaseCommand, CommandError

from dossiers.demo import DEMO_PASSWORD, load_demo
from dossiers.services.catalogue import CatalogueError


class Command(BaseCommand):
    help = (
        "Nạp dữ liệu mẫu tỉnh Sơn La (huyện Bắc Yên trước 1/7/2025, sáp nhập vào các xã "
        "ngày đó): đơn vị, danh mục thủ tục, tài khoản cán bộ, hồ sơ (chạy lại an toàn)."
    )

    def handle(self, *args, **options):
        try:
            summary = load_demo()
        except CatalogueError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            # Today's catalogue replaces the district's list (loaded first for the years
            # before the merge): its procedures are the ones in force.
            f"Đơn vị: {summary['units']} · Thủ tục đang áp dụng: {summary['todays_procedures']} · "
            f"Điều chỉnh lịch: {summary['calendar_overrides']} · "
            f"Tài khoản: {len(summary['accounts'])} · Hồ sơ mới tạo: {summary['dossiers_created']}"
        )
        self.stdout.write(f"Mật khẩu chung của mọi tài khoản mẫu: {DEMO_PASSWORD}")
