"""The live strip and the map's figures as server-sent events (issue #23, item 4).

bench/bench_live.py measured both ways of keeping 20 dashboards live for a minute: polling
the cached fragment every 3 s cost 1.5–2.8× the gunicorn CPU (three runs) and 12× the queries of one
stream per dashboard (about 2,750 against 230 a minute): each poll signs the reader in again
(session, user, unit, roles). So the pages hold one stream each: the reader is checked once
when it opens; then every second the stream reads the live figures' cache key (one Redis
read, no query) and sends the fragment again when it changed. A stream ends after
``LIFETIME_S`` (the browser's EventSource reconnects by itself, and the reader is checked
again), and says something every ``HEARTBEAT_S`` so that a closed tab ends its stream.

A stream holds its server slot for as long as the page is open: gunicorn's sync workers give
it one slot each (the bench: 8 of 20 dashboards served, the rest of the site waiting), so in
production this path goes to gunicorn's gevent worker (``-k gevent``) and the pages use it
when ``LIVE_STREAM`` is on (README); elsewhere (the embedded mode, a compose setup without the
route) they poll the fragments of views_live.py, as does a browser without EventSource.
"""

import time

from django.conf import settings
from django.db import connections
from django.http import Http404, StreamingHttpResponse
from django.template.loader import render_to_string

from . import access, database, live
from .views import _unit_and_period, report_page
from .views_live import map_markers

CHECK_EVERY_S = 1.0
HEARTBEAT_S = 15.0
LIFETIME_S = 300.0
RETRY_MS = 2000
OUTAGE_RETRY_MS = 30000  # the shared cache down: a stream would recompute every second


def _event(name: str, html: str) -> str:
    lines = "".join(f"data: {line}\n" for line in html.splitlines())
    return f"event: {name}\n{lines}\n"


def _close_connections():
    """Close this thread's database connections (a stream keeps its thread for minutes; the
    connection would stay open all that time), never one inside a transaction."""
    for connection in connections.all(initialized_only=True):
        if not connection.in_atomic_block:
            connection.close()


def events(unit, scope, *, template, markers=False, lifetime=LIFETIME_S):
    """The stream's text: the fragment now, then again each time its cache key changes;
    a comment line every HEARTBEAT_S. Closes its database connection after each compute (a
    long response keeps its thread, and would keep the connection)."""
    # The reader's checks left a connection open; a stream would keep it for minutes.
    _close_connections()
    yield f"retry: {RETRY_MS}\n\n"
    seen, last_said = "", time.monotonic()
    deadline = last_said + lifetime
    while time.monotonic() < deadline:
        # The stream runs after its view returned: it falls back to the primary itself.
        context = database.read_or_primary(live.fragment, unit, scope, seen=seen)
        if context is not None:
            seen = context["digest"]
            if markers:
                context["markers"] = map_markers(context["live"])
            html = render_to_string(template, context)
            _close_connections()
            yield _event("live", html)
            last_said = time.monotonic()
            if not seen:
                # No shared cache to say when the figures change: rather than computing them
                # every second, end the stream and let the browser come back in a while.
                yield f"retry: {OUTAGE_RETRY_MS}\n\n"
                return
        elif time.monotonic() - last_said >= HEARTBEAT_S:
            yield ": ping\n\n"
            last_said = time.monotonic()
        time.sleep(CHECK_EVERY_S)


@report_page
def live_events(request):
    """``/bao-cao/truc-tiep/luong/?unit=…[&ban-do=1]``: the strip's (or the map's) stream;
    404 unless LIVE_STREAM is on (a stream would hold a sync worker's slot for minutes)."""
    if not settings.LIVE_STREAM:
        raise Http404("Số liệu trực tiếp không dùng luồng sự kiện ở máy chủ này.")
    unit, _ = _unit_and_period(request)
    scope = access.scope(request.user)
    on_map = request.GET.get("ban-do") == "1"
    template = "reporting/_map_data.html" if on_map else "reporting/_live.html"
    stream = events(unit, scope, template=template, markers=on_map)
    response = StreamingHttpResponse(stream, content_type="text/event-stream; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    response["X-Accel-Buffering"] = "no"  # nginx passes each event on at once
    return response
