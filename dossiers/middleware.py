"""Public pages that skip the staff middleware.

The citizens' status page is the portal's busiest page (a QR code on every receipt) and reads
nothing of a staff member's world: no session, no login, no CSRF token (its form is a GET), no
messages, no language negotiation (the public site is Vietnamese), no login lock-out. A view
marked with :func:`lean_public_page` is called straight from here for GET and HEAD requests,
after the middleware above this one in ``settings.MIDDLEWARE`` — the security headers
(SecurityMiddleware, X-Frame-Options, Content-Security-Policy) — and before the staff
middleware below it. Any other method goes down the whole chain, so a POST still meets the
CSRF check. bench/bench_status_page.py measured the skipped middleware at about a fifth of
the page's time.

What CommonMiddleware would have done for the page is done here: its length goes in a
``Content-Length`` header. Without one, gunicorn frames the body in chunks and ends it with
a separate write: one more system call per page (and under load each one hands the GIL to
another thread), and bytes of framing on a slow connection.
"""

from django.urls import Resolver404, get_resolver

SAFE_METHODS = frozenset({"GET", "HEAD"})


def lean_public_page(view):
    """Mark a view as needing none of the staff middleware (see the module's docstring). The
    view must not read ``request.session``, ``request.user`` or messages, and must answer
    safe methods only with nothing that depends on who asks."""
    view.lean_public_page = True
    return view


class LeanPublicPagesMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method in SAFE_METHODS:
            try:
                match = get_resolver().resolve(request.path_info)
            except Resolver404:
                match = None
            if match is not None and getattr(match.func, "lean_public_page", False):
                request.resolver_match = match
                response = match.func(request, *match.args, **match.kwargs)
                if not response.streaming and "Content-Length" not in response:
                    response["Content-Length"] = str(len(response.content))
                return response
        return self.get_response(request)
