"""The external programs recognition runs (pdfinfo, pdftoppm, pdftotext, tesseract): each in
a subprocess with a timeout and ``OMP_THREAD_LIMIT=1``, its failure turned into a
``RecognitionError`` whose text is a short Vietnamese reason for the clerk."""

import os
import subprocess


class RecognitionError(Exception):
    """A file or page that cannot be recognised; ``str(exc)`` is the clerk's reason."""


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
        raise RecognitionError(f"{failure}: quá {timeout} giây") from exc
    except subprocess.CalledProcessError as exc:
        raise RecognitionError(failure) from exc
    except OSError as exc:  # the program is missing
        raise RecognitionError(f"{failure}: thiếu chương trình {args[0]}") from exc
