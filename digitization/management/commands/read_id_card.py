"""``manage.py read_id_card FILE...``: read identity cards with the reception page's code.

One JSON object per line and file: ``file``, ``source`` (qr | mrz | none), ``id_number``,
``old_id_number``, ``full_name``, ``birth_date`` and ``issue_date`` (YYYY-MM-DD), ``sex``,
``address``, ``extra`` (the newer card's further QR fields), ``warnings``, ``error``. The exit
status is 1 when any file gave no reading.
"""

import json
from pathlib import Path

from django.core.management.base import BaseCommand

from digitization.id_card import MAX_FILE_BYTES, CardReading, read_card


class Command(BaseCommand):
    help = (
        "Đọc thẻ căn cước / CCCD từ ảnh (mã QR, hoặc dòng MRZ mặt sau) bằng đúng mã của trang "
        "tiếp nhận; in mỗi tệp một dòng JSON."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", metavar="FILE", help="ảnh JPEG, PNG, TIFF")

    def handle(self, *args, **options):
        unread = 0
        for name in options["files"]:
            reading = self.read(Path(name))
            unread += reading.source == "none"
            line = {"file": name, **reading.as_json()}
            self.stdout.write(json.dumps(line, ensure_ascii=False))
        if unread:
            raise SystemExit(1)

    def read(self, path: Path) -> CardReading:
        try:
            size = path.stat().st_size
            if size > MAX_FILE_BYTES:
                return CardReading("none", error="Tệp ảnh thẻ lớn quá 15 MB.")
            return read_card(path.read_bytes())
        except OSError as exc:
            return CardReading("none", error=f"Không đọc được tệp: {exc.strerror}")
