"""The site's routes: each app's urls.py, the admin, the API router and its schema.
Only what belongs to no app is written here."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from archive import api as archive_api
from dossiers import api as dossiers_api
from feedback.urls import api_urls as feedback_api_urls
from integrations import api as integrations_api
from reporting import api as reporting_api

from . import health, metrics

router = DefaultRouter()
dossiers_api.register(router)
reporting_api.register(router)
archive_api.register(router)
integrations_api.register(router)

admin.site.site_header = "Cổng Một cửa tỉnh Sơn La — Quản trị"
admin.site.site_title = "Quản trị Cổng Một cửa"
admin.site.index_title = "Danh mục và cấu hình"


class AdminScriptsCatalog(JavaScriptCatalog):
    """The admin's script messages with the project's own (locale/vi/djangojs.po) merged last:
    Django's catalogue for the admin's scripts misses "%(sel)s of %(cnt)s selected" and the
    calendar's days, and the admin's own view reads only its app's catalogue."""

    def get_paths(self, packages):
        return [*super().get_paths(packages), *map(str, settings.LOCALE_PATHS)]


urlpatterns = [
    # For the operators' monitor (bacyen_portal/health.py, metrics.py).
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("metrics", metrics.metrics, name="metrics"),
    path("", include("dossiers.urls")),
    path("", include("digitization.public_urls")),
    path("vneid/", include("integrations.urls_vneid")),
    path("thanh-toan/", include("integrations.urls_payment")),
    path("xep-hang/", include("counter.urls")),
    path("pakn/", include("feedback.urls")),
    path("so-hoa/", include("digitization.urls")),
    path("bao-cao/", include("reporting.urls")),
    path("luu-tru/", include("archive.urls")),
    path("dong-bo/", include("integrations.urls")),
    # Before the admin's own jsi18n, which it replaces at the same address.
    path(
        "quan-tri/jsi18n/",
        AdminScriptsCatalog.as_view(packages=["django.contrib.admin"]),
        name="admin-jsi18n",
    ),
    path("quan-tri/", admin.site.urls),
    path("api/v1/", include("integrations.urls_inbound")),
    path("api/v1/", include(feedback_api_urls)),
    path("api/v1/", include((router.urls, "api"))),
    path("api/v1/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path(
        "api/v1/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"
    ),
]

handler400 = "dossiers.views.bad_request"
handler403 = "dossiers.views.permission_denied"
handler404 = "dossiers.views.page_not_found"
handler500 = "dossiers.views.server_error"
