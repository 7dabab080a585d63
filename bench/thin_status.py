"""The reference of ``bench_status_page``: the thinnest Django view that does the status
page's essential work — look the dossier's row up by code in the same PostgreSQL, render a
template of the same size — served by gunicorn exactly like the portal.

One module is its settings, its URLconf and its WSGI entry point:
``DJANGO_SETTINGS_MODULE=bench.thin_status gunicorn bench.thin_status:application``.
No apps, no middleware, no ORM model: one SQL statement through Django's connection (kept
open as the portal's are) and Django's template engine. ``THIN_TEMPLATE_DIR`` holds
``status.html``, written by the benchmark from a page the portal rendered.
"""

import os

import environ
from django.db import connection
from django.http import HttpResponse
from django.template.loader import get_template
from django.urls import path

env = environ.Env()

SECRET_KEY = os.environ.get("SECRET_KEY", "bench-only")  # signs nothing here
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
INSTALLED_APPS = []
MIDDLEWARE = []
ROOT_URLCONF = __name__
USE_TZ = True
TIME_ZONE = "Asia/Ho_Chi_Minh"
DATABASES = {"default": env.db("DATABASE_URL")}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [os.environ.get("THIN_TEMPLATE_DIR", "/nonexistent")],
    }
]

ROW = (
    "SELECT code, state, received_at, appointment_at FROM dossiers_dossier "
    "WHERE code = %s AND check_code = %s"
)


def status(request):
    with connection.cursor() as cursor:
        cursor.execute(ROW, [request.GET.get("ma", ""), request.GET.get("kt", "")])
        row = cursor.fetchone()
    if row is None:
        return HttpResponse("Không tìm thấy hồ sơ.", status=404)
    code, state, received_at, appointment_at = row
    context = {
        "code": code,
        "state": state,
        "received_at": received_at,
        "appointment_at": appointment_at,
    }
    return HttpResponse(get_template("status.html").render(context))


urlpatterns = [path("tra-cuu/", status)]


def __getattr__(name):
    # gunicorn asks for `application` once the module (the settings) is fully imported.
    if name == "application":
        from django.core.wsgi import get_wsgi_application

        return get_wsgi_application()
    raise AttributeError(name)
