"""A web process prints forms all day: its memory must not grow with every form it prints.

WeasyPrint left about 0.2 MiB behind for each document it laid out with a font configuration
of its own (the 30-minute soak of bench/bench_load.py saw a web process grow by 14 %); the
forms now share one configuration per thread (dossiers.printing.font_configuration)."""

import threading

from dossiers import printing

from .fresh_python import run_json

# Run in a fresh interpreter: the test process's own memory is everything else's too.
SCRIPT = """
import gc, json, os
import django
import psutil

django.setup()
from dossiers import printing

process = psutil.Process()


def rss():
    gc.collect()
    return process.memory_info().rss


def print_forms(count):
    for _ in range(count):
        pdf = printing.render_pdf("dossiers/documents/_heading.html", {})
        assert pdf.startswith(b"%PDF"), pdf[:10]


print_forms(40)
first = rss()
print_forms(200)
print(json.dumps({"first": first, "last": rss()}))
"""


def test_printing_two_hundred_forms_does_not_grow_the_process():
    sizes = run_json(SCRIPT)
    growth = (sizes["last"] - sizes["first"]) / 2**20
    # With a font configuration per document: about 44 MiB for these 200 forms.
    assert growth < 6, f"+{growth:.1f} MiB after 200 forms"


def test_each_thread_keeps_one_font_configuration():
    mine = printing.font_configuration()
    assert printing.font_configuration() is mine
    theirs = []
    thread = threading.Thread(target=lambda: theirs.append(printing.font_configuration()))
    thread.start()
    thread.join()
    assert theirs and theirs[0] is not mine
