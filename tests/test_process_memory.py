"""What every web process and worker carries from its start: the libraries only a few of
them use are loaded where they are used.

openpyxl (with numpy, about 34 MiB) makes and reads workbooks; vietnam-address-converter's
2025 mapping (about 49 MiB) reads old-map addresses; WeasyPrint (Pango, fonts) prints. The
OCR worker's peak memory (bench/bench_ocr.py, issue #20's limit of 250 MB) and the five web
processes' (bench/bench_load.py) start from this."""

from .fresh_python import run_json

LAZY = ("openpyxl", "vietnam_address_converter", "weasyprint")

# In a fresh interpreter, as the processes start: the web application, then a worker's tasks.
SCRIPT = """
import json, sys
import django

django.setup()
from bacyen_portal.wsgi import application  # noqa: F401
from django.urls import get_resolver

get_resolver().url_patterns  # every view module, as the first request loads them
web = sorted({name.split(".")[0] for name in sys.modules})
from bacyen_portal.celery import app

app.loader.import_default_modules()
worker = sorted({name.split(".")[0] for name in sys.modules})
print(json.dumps({"web": web, "worker": worker, "tasks": len(app.tasks)}))
"""


def test_web_processes_and_workers_start_without_the_libraries_few_of_them_use():
    loaded = run_json(SCRIPT, timeout=120)
    assert loaded["tasks"] > 10, "the worker's tasks were not imported"
    assert "django" in loaded["web"] and "celery" in loaded["worker"]
    for process in ("web", "worker"):
        assert not set(LAZY) & set(loaded[process]), (process, set(LAZY) & set(loaded[process]))
