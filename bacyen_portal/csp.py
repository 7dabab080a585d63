"""django-csp's middleware, with the policy built once.

django-csp builds the Content-Security-Policy header from the settings on every response,
twice (enforced and report-only): 25 µs a page, a twentieth of the public status page's work
(bench/bench_status_page.py). A response that brings nothing of its own — no per-view
override, no nonce used — gets the same header every time, so it is built once per value of
the settings and kept. Everything else takes django-csp's own path.
"""

from csp import middleware
from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.utils import build_policy
from django.conf import settings

# What a view or decorator sets on a response to change or drop its policy.
PER_RESPONSE = (
    "_csp_config",
    "_csp_update",
    "_csp_replace",
    "_csp_exempt",
    "_csp_config_ro",
    "_csp_update_ro",
    "_csp_replace_ro",
    "_csp_exempt_ro",
)


class CSPMiddleware(middleware.CSPMiddleware):
    def __init__(self, get_response):
        super().__init__(get_response)
        self._built = (None, None, None)  # the two settings, and the headers built from them

    def _headers(self):
        """(enforced, report-only) headers for the current settings; None to take the slow path
        (URL prefixes excluded from the policy are django-csp's business)."""
        enforced = getattr(settings, "CONTENT_SECURITY_POLICY", None)
        report_only = getattr(settings, "CONTENT_SECURITY_POLICY_REPORT_ONLY", None)
        if any((config or {}).get("EXCLUDE_URL_PREFIXES") for config in (enforced, report_only)):
            return None
        built_enforced, built_report_only, headers = self._built
        if built_enforced is not enforced or built_report_only is not report_only:
            headers = (build_policy(), build_policy(report_only=True))
            self._built = (enforced, report_only, headers)
        return headers

    def process_response(self, request, response):
        headers = None
        if not settings.DEBUG and getattr(request, "_csp_nonce", None) is None:
            if not any(hasattr(response, name) for name in PER_RESPONSE):
                headers = self._headers()
        if headers is None:
            return super().process_response(request, response)
        for name, value in zip((HEADER, HEADER_REPORT_ONLY), headers, strict=True):
            if value and name not in response:
                response[name] = value
        # As django-csp does: a nonce asked for after the header is written is an error.
        request.csp_nonce = middleware.CheckableLazyObject(self._csp_nonce_post_response)
        return response
