"""python manage.py watch_scans [--once] [--every SECONDS] [--inbox DIR]

Watch the scanners' hot folders (SCAN_INBOX_DIR/<unit code>/) and take in what lands there.
The beat task digitization.collect_hot_folders does the same every 30 s in full mode."""

import time

from django.core.management.base import BaseCommand

from digitization.services.hot_folder import collect_all


class Command(BaseCommand):
    help = "Nhận tệp từ thư mục máy quét của từng quầy (SCAN_INBOX_DIR/<mã đơn vị>/)."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="quét một lần rồi dừng")
        parser.add_argument("--every", type=float, default=5.0, help="giây giữa hai lần quét")
        parser.add_argument("--inbox", help="thư mục gốc (mặc định SCAN_INBOX_DIR)")

    def handle(self, *args, **options):
        while True:
            done = collect_all(options["inbox"])
            if done.attached or done.unassigned or done.refused:
                self.stdout.write(
                    f"Đã gắn vào hồ sơ: {done.attached}; vào khay chưa gắn: {done.unassigned}; "
                    f"bị từ chối: {done.refused}"
                )
            if options["once"]:
                return
            time.sleep(options["every"])
