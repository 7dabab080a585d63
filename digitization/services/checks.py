"""Upload safety: what a file is (by content), how big, how many pixels and pages, read
without trusting it. No database writes; every refusal names the file and the problem in
Vietnamese."""

import hashlib
import os
import re
import subprocess
import tempfile
from dataclasses import dataclass

from django.conf import settings
from PIL import Image, UnidentifiedImageError

from core.errors import PortalError

from .. import filetypes
from ..programs import TESSERACT_MAX_SIDE

RENDER_DPI = 300


class UploadRefused(PortalError):  # noqa: N818 - a refusal, not a fault
    """A file refused at intake; str() is the Vietnamese reason, naming the file."""

    def __init__(self, name, problem):
        self.name = name
        self.problem = problem
        super().__init__(f"Tệp «{name}»: {problem}")


@dataclass
class CheckedUpload:
    name: str
    content_type: str
    sha256: str
    size: int
    pages: int
    signed: bool
    file: object  # the uploaded file, rewound

    @property
    def suffix(self):
        return filetypes.SUFFIX[self.content_type]


def _megabytes(n):
    return f"{n / 1_048_576:.0f} MB"


def check_upload(uploaded) -> CheckedUpload:
    """Check one uploaded file (a Django File). Raises UploadRefused."""
    name = os.path.basename(getattr(uploaded, "name", "") or "tệp không tên")[:200]
    uploaded.seek(0)
    head = uploaded.read(1024)
    if not head:
        raise UploadRefused(name, "tệp rỗng (0 byte): xin chọn lại đúng tệp đã quét.")
    content_type = filetypes.sniff(head)
    if content_type is None:
        raise UploadRefused(
            name,
            "không phải tệp PDF hoặc ảnh quét (JPEG, PNG, TIFF). Hệ thống nhận biết loại tệp "
            "theo nội dung, không theo phần mở rộng của tên tệp.",
        )
    digest, size = hashlib.sha256(head), len(head)
    for chunk in iter(lambda: uploaded.read(1 << 20), b""):
        digest.update(chunk)
        size += len(chunk)
        if size > settings.SCAN_MAX_BYTES:
            raise UploadRefused(
                name, f"dung lượng vượt quá giới hạn {_megabytes(settings.SCAN_MAX_BYTES)}."
            )
    if size <= len(head) and size < 64:
        raise UploadRefused(name, "tệp rỗng hoặc bị cắt cụt.")
    uploaded.seek(0)
    if content_type == filetypes.PDF:
        pages, signed = _check_pdf(name, uploaded)
    else:
        _check_complete(name, uploaded, content_type)
        pages, signed = _check_image(name, uploaded), False
    uploaded.seek(0)
    return CheckedUpload(name, content_type, digest.hexdigest(), size, pages, signed, uploaded)


# The marker every complete file of the kind ends with (trailing padding allowed).
_END_MARKERS = {filetypes.JPEG: b"\xff\xd9", filetypes.PNG: b"IEND"}


def _check_complete(name, uploaded, content_type):
    """A cut-off JPEG or PNG (an interrupted upload or scan) would be read half blank."""
    marker = _END_MARKERS.get(content_type)
    if marker is None:
        return
    uploaded.seek(0, os.SEEK_END)
    uploaded.seek(max(0, uploaded.tell() - 512))
    tail = uploaded.read()
    uploaded.seek(0)
    if marker not in tail:
        raise UploadRefused(name, "ảnh bị cắt cụt (tệp chưa được quét hoặc tải lên hết).")


def _check_image(name, uploaded) -> int:
    """Frames and pixels read from the header only, before any pixel is decoded."""
    try:
        with Image.open(uploaded) as image:
            frames = getattr(image, "n_frames", 1)
            if frames > settings.SCAN_MAX_PAGES:
                raise UploadRefused(name, _too_many_pages(frames))
            for index in range(frames):
                image.seek(index)
                width, height = image.size
                if width * height > settings.SCAN_MAX_PIXELS:
                    raise UploadRefused(name, _too_many_pixels(width, height, index + 1))
                if max(width, height) > TESSERACT_MAX_SIDE:
                    raise UploadRefused(name, _too_long(width, height, index + 1))
            image.seek(0)
            image.verify()
    except UploadRefused:
        raise
    except Image.DecompressionBombError:
        megapixels = settings.SCAN_MAX_PIXELS / 1_000_000
        raise UploadRefused(
            name,
            f"ảnh vượt quá giới hạn {megapixels:.0f} triệu điểm ảnh (ảnh nén bất thường); "
            "xin quét lại ở 300 DPI.",
        ) from None
    except UnidentifiedImageError:
        raise UploadRefused(name, "ảnh bị hỏng hoặc không đọc được.") from None
    except (OSError, SyntaxError, ValueError, EOFError):
        raise UploadRefused(name, "ảnh bị hỏng hoặc không đọc được.") from None
    return frames


PDF_INFO_SECONDS = 20
PDF_INFO_MEMORY = 512 * 1_048_576
_PAGE_SIZE = re.compile(r"^Page\s+(\d+)\s+size:\s+([\d.]+) x ([\d.]+) pts", re.M)


def _check_pdf(name, uploaded) -> tuple[int, bool]:
    """Read a PDF in a separate pdfinfo process with a time and memory limit, so a hostile
    file can at worst fail its own check."""
    with tempfile.NamedTemporaryFile(suffix=".pdf") as copy:
        for chunk in iter(lambda: uploaded.read(1 << 20), b""):
            copy.write(chunk)
        copy.flush()
        limit = settings.SCAN_MAX_PAGES
        try:
            done = subprocess.run(
                # prlimit caps the child's memory (preexec_fn is unsafe in threaded servers).
                ["prlimit", f"--as={PDF_INFO_MEMORY}", "pdfinfo"]
                + ["-f", "1", "-l", str(limit + 1), copy.name],
                capture_output=True,
                timeout=PDF_INFO_SECONDS,
                env={"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LANG": "C.UTF-8"},
            )
        except subprocess.TimeoutExpired:
            raise UploadRefused(name, "PDF quá phức tạp, không đọc được trong thời hạn.") from None
        info = done.stdout.decode("utf-8", "replace")
        if done.returncode != 0 or "Pages:" not in info:
            if b"Incorrect password" in done.stderr:
                raise UploadRefused(name, "PDF có mật khẩu; xin gửi bản không đặt mật khẩu.")
            raise UploadRefused(name, "PDF bị hỏng, không đọc được.")
        if re.search(r"^Encrypted:\s+yes", info, re.M) and "print:yes" not in info:
            raise UploadRefused(name, "PDF bị khóa (mã hóa); xin gửi bản không đặt mật khẩu.")
        pages = int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))
        if pages == 0:
            raise UploadRefused(name, "PDF không có trang nào.")
        if pages > limit:
            raise UploadRefused(name, _too_many_pages(pages))
        for number, width_pt, height_pt in _PAGE_SIZE.findall(info):
            width = round(float(width_pt) / 72 * RENDER_DPI)
            height = round(float(height_pt) / 72 * RENDER_DPI)
            if width * height > settings.SCAN_MAX_PIXELS:
                raise UploadRefused(name, _too_many_pixels(width, height, int(number)))
            if max(width, height) > TESSERACT_MAX_SIDE:
                raise UploadRefused(name, _too_long(width, height, int(number)))
        copy.seek(0)
        signed = _looks_signed(copy)
    return pages, signed


def _looks_signed(stream) -> bool:
    """A signature dictionary carries /ByteRange; such a file is kept as it is (only its
    text is extracted), since OCR over it would break the signature."""
    tail = b""
    for chunk in iter(lambda: stream.read(1 << 20), b""):
        if b"/ByteRange" in tail + chunk:
            return True
        tail = chunk[-16:]
    return False


def _too_many_pages(pages):
    return f"có {pages} trang, vượt quá giới hạn {settings.SCAN_MAX_PAGES} trang; xin tách tệp."


def _too_many_pixels(width, height, page):
    megapixels = settings.SCAN_MAX_PIXELS / 1_000_000
    return (
        f"trang {page} có kích thước {width}×{height} điểm ảnh, vượt quá giới hạn "
        f"{megapixels:.0f} triệu điểm ảnh (có thể là ảnh nén bất thường); xin quét lại ở 300 DPI."
    )


def _too_long(width, height, page):
    return (
        f"trang {page} có kích thước {width:,}×{height:,} điểm ảnh; cạnh dài vượt quá "
        f"{TESSERACT_MAX_SIDE:,} điểm ảnh mà bộ nhận dạng chữ đọc được. Xin cắt thành nhiều "
        "trang hoặc quét lại từng trang."
    ).replace(",", ".")
