"""Fill deploy/nginx/cong-mot-cua.conf from the portal's own settings, so that nginx and Django
agree on the upload limit, the static and media folders and the protected files' location.

    set -a; . /etc/cong-mot-cua/portal.env; set +a
    .venv/bin/python deploy/render.py > /etc/nginx/sites-available/cong-mot-cua

nginx's own values come from the environment too: NGINX_SERVER_NAME (default: the first of
ALLOWED_HOSTS), NGINX_HTTPS_PORT (443), NGINX_HTTP_PORT (80), NGINX_LISTEN_ADDRESS (all
addresses), TLS_CERT / TLS_KEY (certificate and key files), WEB_BIND (gunicorn's address,
127.0.0.1:8000), LIVE_BIND (the live dashboards' event streams, gunicorn's gevent worker,
127.0.0.1:8001), NGINX_LOOKUP_RATE (30r/m per client on the public look-ups) and
NGINX_LOOKUP_BURST (10)."""

import os
import sys
from pathlib import Path
from string import Template

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


def values(env=os.environ) -> dict:
    """What the template needs: the portal's values from ``env`` where it sets them, else from
    the portal's settings (the same defaults Django uses)."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bacyen_portal.settings")
    # Only once the checkout is on the path and the settings module is named.
    from django.conf import settings

    def portal(name):
        return env.get(name) or str(getattr(settings, name))

    prefix = portal("PROTECTED_FILES_ACCEL_PREFIX")
    if not prefix.startswith("/") or not prefix.endswith("/"):
        raise SystemExit(
            "PROTECTED_FILES_ACCEL_PREFIX phải có dạng /ten-thu-muc/ (ví dụ /_protected/) khi "
            "chạy sau nginx."
        )
    allowed_hosts = env.get("ALLOWED_HOSTS", "").split(",")[0] or settings.ALLOWED_HOSTS[0]
    address = env.get("NGINX_LISTEN_ADDRESS", "")
    https_port = env.get("NGINX_HTTPS_PORT", "443")
    http_port = env.get("NGINX_HTTP_PORT", "80")

    def listen(port):
        return f"{address}:{port}" if address else port

    upload_kb = int(portal("SCAN_MAX_BYTES")) // 1024 + 1024  # the scan and the form around it
    return {
        "WEB_BIND": env.get("WEB_BIND", "127.0.0.1:8000"),
        "LIVE_BIND": env.get("LIVE_BIND", "127.0.0.1:8001"),
        "SERVER_NAME": env.get("NGINX_SERVER_NAME", allowed_hosts),
        "HTTP_LISTEN": listen(http_port),
        "HTTPS_LISTEN": listen(https_port),
        "HTTPS_PORT_SUFFIX": "" if https_port == "443" else f":{https_port}",
        "TLS_CERT": env["TLS_CERT"],
        "TLS_KEY": env["TLS_KEY"],
        "CLIENT_MAX_BODY_SIZE": f"{upload_kb}k",
        "STATIC_ROOT": portal("STATIC_ROOT").rstrip("/"),
        "MEDIA_ROOT": portal("MEDIA_ROOT").rstrip("/"),
        "ACCEL_PREFIX": prefix,
        "ERROR_PAGES": str(HERE / "nginx" / "errors"),
        "PROXY_PARAMS": str(HERE / "nginx" / "proxy-params.conf"),
        "LOOKUP_RATE": env.get("NGINX_LOOKUP_RATE", "30r/m"),
        "LOOKUP_BURST": env.get("NGINX_LOOKUP_BURST", "10"),
    }


class _Braced(Template):
    """Only ``${NAME}`` in capitals is ours: nginx's own ``$host``, ``$request_uri`` stay."""

    flags = 0
    pattern = r"\$(?:(?P<escaped>(?!))|(?P<named>(?!))|\{(?P<braced>[A-Z_]+)\}|(?P<invalid>(?!)))"


def render(env=os.environ) -> str:
    """The site file, every ${...} filled (a missing one raises KeyError)."""
    template = _Braced((HERE / "nginx" / "cong-mot-cua.conf").read_text())
    return template.substitute(values(env))


if __name__ == "__main__":
    sys.stdout.write(render())
