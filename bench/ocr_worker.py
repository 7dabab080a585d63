"""The OCR pipeline as one worker process runs it, for bench_ocr: `python -m bench.ocr_worker
MANIFEST OUT`. Loads Django like the Celery worker, then recognises the pages of the manifest
one at a time (render, deskew, clean, Tesseract, one-page PDF), joins each file's searchable
PDF, and writes the texts, the wall and CPU times (its own and its children's) and its peak
memory as JSON."""

import json
import os
import resource
import sys
import time


def cpu_seconds() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def peak_rss_kb() -> int:
    """This process's peak RSS. /proc's VmHWM counts this program only: getrusage's maxrss
    also counts the parent's pages this process was forked with before it exec'd Python."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def main(manifest_path: str, out_path: str) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bacyen_portal.settings")
    import django

    django.setup()
    from digitization.recognition import join_pages, recognize_page, warm_up

    began, cpu = time.perf_counter(), cpu_seconds()
    warm_up()  # once per process, as a worker's first page would
    warm = {"seconds": time.perf_counter() - began, "cpu": cpu_seconds() - cpu}

    with open(manifest_path, encoding="utf-8") as stream:
        manifest = json.load(stream)
    pages = []
    for item in manifest:
        began, cpu = time.perf_counter(), cpu_seconds()
        result = recognize_page(item["path"], item["number"], item["content_type"])
        joined = join_pages([result.pdf])
        pages.append(
            {
                "seconds": time.perf_counter() - began,
                "cpu": cpu_seconds() - cpu,
                "text": result.text,
                "skew": result.skew,
                "turned": result.turned,
                "pdf_bytes": len(joined),
                "steps": result.steps,
            }
        )
    rss_kb = peak_rss_kb()
    with open(out_path, "w", encoding="utf-8") as stream:
        json.dump({"pages": pages, "rss_self_kb": rss_kb, "warm_up": warm}, stream)


if __name__ == "__main__":
    main(*sys.argv[1:3])
