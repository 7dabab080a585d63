"""The Jinja2 environment of the archive's package index, and nothing else.

The index page written into every archival package (``archive/package-index.html``, one per
package in the nightly pass) is rendered here: a file inside a package, not a page of the site,
moved off Django's template engine when the archive bench found the nightly pass spending its
time there (``|filesizeformat``'s translation lookups per number). Every page of the site,
public or staff, is a Django template on the one base layout of its side. Autoescaping is on.
"""

from django.utils import timezone
from jinja2 import Environment


def moment(value):
    """A moment as the counters write it, in the district's time (``TIME_ZONE``; the public
    site never activates another): ``HH:MM dd/mm/yyyy`` (Django's ``|date:"H:i d/m/Y"``).
    ``timezone.localtime`` would look the active zone up in a context-local per call."""
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


def environment(**options):
    options.pop("autoescape", None)  # always on, whatever the settings say
    env = Environment(autoescape=True, **options)
    env.filters["moment"] = moment
    env.filters["day"] = day
    env.filters["filesize"] = filesize
    return env
