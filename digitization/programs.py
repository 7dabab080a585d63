"""The external programs recognition runs (pdfinfo, pdftoppm, pdftotext, tesseract): each in
a subprocess with a timeout and ``OMP_THREAD_LIMIT=1``, its failure turned into a
``RecognitionError`` whose text is a short Vietnamese reason for the clerk."""

import os
import re
import subprocess

# The longest side Tesseract takes: it refuses a page of 32,768 pixels ("Image too large"),
# measured with Debian 12's Tesseract 5.3 on a 100 × 32,768 blank PNG (100 × 32,767 is read).
TESSERACT_MAX_SIDE = 32_767


def file_fault(message) -> "RecognitionError":
    """The file itself cannot be read: recognising it again cannot help."""
    return RecognitionError(message, retry_helps=False)


class RecognitionError(Exception):
    """A file or page that cannot be recognised; ``str(exc)`` is the clerk's reason.
    ``retry_helps`` says whether recognising again may succeed (a time-out, a missing program,
    storage, anything not known to be the file's fault) or cannot (a broken or oversized page:
    ``file_fault``): the clerk gets a retry button only when it may help."""

    def __init__(self, message, *, retry_helps=True):
        super().__init__(message)
        self.retry_helps = retry_helps


def env() -> dict:
    variables = dict(os.environ)
    variables["OMP_THREAD_LIMIT"] = "1"
    variables.setdefault("LC_ALL", "C.UTF-8")
    return variables


def run(args, timeout, failure: str) -> subprocess.CompletedProcess:
    try:
        return subprocess.run(
            args,
            capture_output=True,
            timeout=timeout,
            env=env(),
            check=True,
            stdin=subprocess.DEVNULL,
        )
    except subprocess.TimeoutExpired as exc:
        raise RecognitionError(f"{failure}: quá {timeout} giây", retry_helps=True) from exc
    except subprocess.CalledProcessError as exc:
        cause = _cause(exc.stderr)
        raise RecognitionError(f"{failure}{cause}", retry_helps=not cause) from exc
    except OSError as exc:  # the program is missing
        raise RecognitionError(
            f"{failure}: thiếu chương trình {args[0]}", retry_helps=True
        ) from exc


def _cause(stderr) -> str:
    """The program's own reason, in the clerk's words, when it is one we know."""
    text = (stderr or b"").decode("utf-8", "replace")
    too_large = re.search(r"Image too large: \((\d+), (\d+)\)", text)
    if too_large:
        width, height = (int(n) for n in too_large.groups())
        return (
            f": trang có kích thước {width:,}×{height:,} điểm ảnh, cạnh dài vượt quá "
            f"{TESSERACT_MAX_SIDE:,} điểm ảnh mà bộ nhận dạng chữ xử lý được; xin cắt hoặc quét "
            "lại thành nhiều trang"
        ).replace(",", ".")
    return ""
