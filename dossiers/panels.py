"""Panels that higher apps show on the dossier page, without the dossiers app importing them
(design.md: the higher app serves the panel at its own URL).

An app registers, in its ``AppConfig.ready``, the URL name of an htmx partial that takes the
dossier's code; the dossier page lists them and loads each one after it renders. The partial
does its own scoping and access logging.
"""

from django.urls import reverse

_PANELS: dict[str, str] = {}  # URL name -> heading shown while it loads


def register(url_name: str, title: str) -> None:
    """Show the partial at ``url_name`` (one argument: the dossier's code) on every dossier page."""
    _PANELS[url_name] = title


def panels_for(dossier) -> list[tuple[str, str]]:
    """(URL, heading) of each registered panel for this dossier, in registration order."""
    return [(reverse(name, args=[dossier.code]), title) for name, title in _PANELS.items()]
