"""Who may read /readyz and /metrics: a client from OPS_ALLOWED_NETWORKS (the monitoring
host; the proxy's forwarded address is trusted as dossiers.services.audit.client_ip says), or
one that sends ``Authorization: Bearer <OPS_TOKEN>`` when a token is configured. Everyone
else gets a plain 403: these pages name the machine's parts."""

import hmac
import ipaddress
from functools import wraps

from asgiref.sync import iscoroutinefunction
from django.conf import settings
from django.http import HttpResponse

from dossiers.services.audit import client_ip


def ops_allowed(request) -> bool:
    token = settings.OPS_TOKEN
    sent = request.headers.get("Authorization", "")
    if token and hmac.compare_digest(sent.encode(), f"Bearer {token}".encode()):
        return True
    address = client_ip(request)
    if address is None:
        return False
    ip = ipaddress.ip_address(address)
    return any(ip in network for network in settings.OPS_ALLOWED_NETWORKS)


def _refused():
    return HttpResponse(
        "Chỉ máy giám sát được đọc trang này.", status=403, content_type="text/plain"
    )


def require_ops_access(view):
    """The view (sync or async) for the monitoring host only."""
    if iscoroutinefunction(view):

        @wraps(view)
        async def guarded_async(request, *args, **kwargs):
            if not ops_allowed(request):
                return _refused()
            return await view(request, *args, **kwargs)

        return guarded_async

    @wraps(view)
    def guarded(request, *args, **kwargs):
        if not ops_allowed(request):
            return _refused()
        return view(request, *args, **kwargs)

    return guarded
