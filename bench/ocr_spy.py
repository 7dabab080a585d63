"""`python ocr_spy.py REAL_PROGRAM ARGS...`: runs the program and appends its name and peak
RSS (KiB) to ``$OCR_BENCH_RSS_LOG``. bench_ocr puts scripts named ``tesseract`` and
``pdftoppm`` that call this first on the worker's PATH: getrusage(RUSAGE_CHILDREN) in the
worker itself would report the worker's own size, since a child forked from a big process
starts with its pages."""

import os
import sys

real, args = sys.argv[1], sys.argv[2:]
pid = os.posix_spawn(real, [real, *args], dict(os.environ))
_, status, usage = os.wait4(pid, 0)
with open(os.environ["OCR_BENCH_RSS_LOG"], "a", encoding="utf-8") as log:
    log.write(f"{os.path.basename(real)} {usage.ru_maxrss}\n")
sys.exit(os.waitstatus_to_exitcode(status))
