"""Settings of the local counterpart (a separate process; see counterpart/__init__.py)."""

import os
import secrets
from pathlib import Path

from counterpart.vneid.keys import signing_key

# Beside the portal's own var/ (the checkout's), unless told otherwise.
DEFAULT_DIR = Path(__file__).resolve().parent.parent / "var" / "counterpart"
DATA_DIR = Path(os.environ.get("COUNTERPART_DIR") or DEFAULT_DIR)
DATA_DIR.mkdir(parents=True, exist_ok=True)

SECRET_KEY = os.environ.get("COUNTERPART_SECRET_KEY") or secrets.token_urlsafe(32)
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
# Who may use the control endpoints (faults, what was recorded, dossiers to offer).
CONTROL_TOKEN = os.environ.get("COUNTERPART_CONTROL_TOKEN", "counterpart-control")
# The portal's account on the counterpart DVCQG (LayToken) and the portal's unit code.
DVCQG_USERNAME = os.environ.get("COUNTERPART_DVCQG_USERNAME", "sonla")
DVCQG_PASSWORD = os.environ.get("COUNTERPART_DVCQG_PASSWORD", "sonla-local")
# Where the counterpart pushes dossiers submitted on it, and the shared secret it signs with.
PORTAL_PUSH_URL = os.environ.get("COUNTERPART_PUSH_URL", "")
PUSH_SECRET = os.environ.get("COUNTERPART_PUSH_SECRET", "counterpart-push-secret")
# Where VNeID sends the citizen back after login (the portal's callbacks, space- or
# comma-separated). Loopback callbacks match on any port (RFC 8252 §7.3; "localhost" too, see
# OAUTH2_PROVIDER below): the tests' live servers take a random port.
VNEID_REDIRECT_URIS = os.environ.get(
    "COUNTERPART_VNEID_REDIRECT_URIS",
    "http://127.0.0.1:8000/vneid/callback/ http://localhost:8000/vneid/callback/",
)
# The portal's OpenID client on the counterpart VNeID (the portal's VNEID_CLIENT_ID/_SECRET).
VNEID_CLIENT_ID = os.environ.get("COUNTERPART_VNEID_CLIENT_ID", "cong-mot-cua-son-la")
VNEID_CLIENT_SECRET = os.environ.get("COUNTERPART_VNEID_CLIENT_SECRET") or "cong-mot-cua-local"
# The portal's access token on the counterpart population database (the portal's POPULATION_TOKEN).
POPULATION_TOKEN = os.environ.get("COUNTERPART_POPULATION_TOKEN") or "dan-cu-local"
# The portal's partner account on the counterpart payment platform (its checksum secret).
PAYMENT_PARTNER_CODE = os.environ.get("COUNTERPART_PAYMENT_PARTNER_CODE", "SONLA-MOTCUA")
PAYMENT_SECRET = os.environ.get("COUNTERPART_PAYMENT_SECRET", "counterpart-payment-secret")

# The postal counterpart: the portal's account token, where it pushes tracking updates and
# the secret it signs them with (the portal's POST_TOKEN and POST_CALLBACK_SECRET).
POST_TOKEN = os.environ.get("COUNTERPART_POST_TOKEN", "cong-mot-cua-local")
POST_PUSH_URL = os.environ.get("COUNTERPART_POST_PUSH_URL", "")
POST_CALLBACK_SECRET = os.environ.get("COUNTERPART_POST_CALLBACK_SECRET", "counterpart-post-secret")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "oauth2_provider",
    "counterpart.dvcqg",
    "counterpart.vneid",
    "counterpart.population",
    "counterpart.payment",
    "counterpart.post",
]
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
]
ROOT_URLCONF = "counterpart.urls"
WSGI_APPLICATION = "counterpart.wsgi.application"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ]
        },
    }
]
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(DATA_DIR / "counterpart.sqlite3"),
        "OPTIONS": {"timeout": 20, "transaction_mode": "IMMEDIATE"},
    }
}
# The counterpart VNeID: django-oauth-toolkit as an OpenID provider, ID tokens signed RS256
# with a key made once in DATA_DIR, PKCE (S256) required of every client.
OAUTH2_PROVIDER = {
    "OIDC_ENABLED": True,
    "OIDC_RSA_PRIVATE_KEY": signing_key(DATA_DIR),
    "PKCE_REQUIRED": True,
    "ALLOW_LOCALHOST_LOOPBACK": True,
    "OAUTH2_VALIDATOR_CLASS": "counterpart.vneid.validator.VneidValidator",
    "SCOPES": {
        "openid": "Định danh OpenID",
        "profile": "Họ tên, ngày sinh",
        "email": "Thư điện tử",
        "phone": "Số điện thoại",
        "address": "Nơi cư trú",
        "so_dinh_danh": "Số định danh cá nhân",
    },
    "DEFAULT_SCOPES": ["openid"],
    "ACCESS_TOKEN_EXPIRE_SECONDS": 600,
    "AUTHORIZATION_CODE_EXPIRE_SECONDS": 60,
}
LOGIN_URL = "/vneid/dang-nhap/"
# Its own cookie names: on 127.0.0.1 beside the portal (make run), the browser would otherwise
# send one site's session cookie to the other (cookies ignore the port).
SESSION_COOKIE_NAME = "counterpart_sessionid"
CSRF_COOKIE_NAME = "counterpart_csrftoken"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
LANGUAGE_CODE = "vi"
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_TZ = True
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
