"""The Jinja2 environment of the public status page and the archive's package index.

The status page is the portal's busiest page (the QR code on every receipt) and the one
measured against a bare Django view (bench/bench_status_page.py). Django's own template
language spent a fifth of its time rendering it; Jinja2 compiles the template to Python once
and renders it in a third of that. The index page written into every archival package
(``archive/package-index.html``, one per package in the nightly pass) is rendered here for the
same reason. Every other page stays a Django template. Autoescaping is on.
"""

import functools

from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from jinja2 import Environment


def moment(value):
    """A moment as the counters write it, in the district's time (``TIME_ZONE``; the public
    site never activates another): ``HH:MM dd/mm/yyyy`` (Django's ``|date:"H:i d/m/Y"``).
    ``timezone.localtime`` would look the active zone up in a context-local per call: a
    tenth of the status page's Python time, for six or more moments a page."""
    if not value:
        return ""
    return value.astimezone(timezone.get_default_timezone()).strftime("%H:%M %d/%m/%Y")


def day(value):
    """A date as the counters write it: ``dd/mm/yyyy`` (``|date:"d/m/Y"``)."""
    return value.strftime("%d/%m/%Y") if value else ""


def filesize(value):
    """A size as ``|filesizeformat`` writes it in Vietnamese (``585,9 KB``, ``512 byte``),
    without the translation machinery it calls for each number (most of the time of a package
    index listing a dozen files)."""
    size = float(value or 0)
    if size < 1024:
        return f"{int(size)}\xa0byte"
    for unit in ("KB", "MB", "GB", "TB", "PB"):
        size /= 1024
        if size < 1024 or unit == "PB":
            return f"{size:.1f}\xa0{unit}".replace(".", ",")
    return ""  # not reached


@functools.lru_cache(maxsize=32)
def static_url(path):
    """{% static %}: the manifest is read once per process, so is the answer."""
    return static(path)


@functools.lru_cache(maxsize=32)
def url(name):
    """{% url name %} for argument-less routes; the URLconf does not change in a process."""
    return reverse(name)


def environment(**options):
    options.pop("autoescape", None)  # always on, whatever the settings say
    env = Environment(autoescape=True, **options)
    env.globals["static"] = static_url
    env.globals["url"] = url
    env.filters["moment"] = moment
    env.filters["day"] = day
    env.filters["filesize"] = filesize
    return env
