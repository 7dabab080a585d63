"""``manage.py ocr FILE... --out DIR``: recognise files with the pipeline's own code.

One UTF-8 ``DIR/<name without extension>.txt`` per input; a PDF's or multi-page TIFF's pages
in order, separated by a form feed. A file that cannot be read gets a Vietnamese message on
stderr and the others are still processed; the exit status is 1 when any failed.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from digitization import filetypes
from digitization.recognition import RecognitionError, recognize_file

PAGE_SEPARATOR = "\f"


class Command(BaseCommand):
    help = (
        "Nhận dạng chữ (OCR tiếng Việt) các tệp PDF/ảnh bằng đúng mã của quy trình số hoá; "
        "ghi mỗi tệp ra DIR/<tên tệp>.txt (UTF-8, các trang cách nhau bởi ký tự sang trang)."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", metavar="FILE", help="tệp PDF, JPEG, PNG, TIFF")
        parser.add_argument("--out", required=True, metavar="DIR", help="thư mục ghi tệp .txt")

    def handle(self, *args, **options):
        out = Path(options["out"])
        try:
            out.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise CommandError(f"Không tạo được thư mục {out}: {exc.strerror}") from exc
        failed = 0
        seen = {}
        for name in options["files"]:
            target = out / f"{Path(name).stem}.txt"
            if target in seen:
                self.stderr.write(
                    f"{name}: trùng tên kết quả {target.name} với {seen[target]}, bỏ qua"
                )
                failed += 1
                continue
            seen[target] = name
            try:
                text = self.recognise(Path(name))
            except RecognitionError as exc:
                self.stderr.write(f"{name}: {exc}")
                failed += 1
                continue
            target.write_text(text, encoding="utf-8")
            self.stdout.write(f"{name} → {target}")
        if failed:
            raise CommandError(f"{failed}/{len(options['files'])} tệp không nhận dạng được.")

    def recognise(self, path: Path) -> str:
        if not path.is_file():
            raise RecognitionError("Không tìm thấy tệp")
        try:
            content_type = filetypes.sniff_path(path)
        except OSError as exc:
            raise RecognitionError("Không đọc được tệp") from exc
        if content_type is None:
            raise RecognitionError("Tệp không phải PDF hay ảnh JPEG, PNG, TIFF")
        pages = recognize_file(path, content_type)
        return PAGE_SEPARATOR.join(page.text for page in pages)
