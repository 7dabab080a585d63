from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from archive import api as archive_api
from digitization.api import PublicSubmissionView
from dossiers import api as dossiers_api
from dossiers import views as dossiers_views
from dossiers.api.public import PublicRatingView, PublicStatusView
from dossiers.forms import LoginForm
from reporting import api as reporting_api

router = DefaultRouter()
dossiers_api.register(router)
reporting_api.register(router)
archive_api.register(router)

admin.site.site_header = "Cổng Một cửa Bắc Yên — Quản trị"
admin.site.site_title = "Quản trị Cổng Một cửa"
admin.site.index_title = "Danh mục và cấu hình"

urlpatterns = [
    path("", dossiers_views.home, name="home"),
    path(
        "dang-nhap/",
        auth_views.LoginView.as_view(
            authentication_form=LoginForm, redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("dang-xuat/", auth_views.LogoutView.as_view(), name="logout"),
    path("tra-cuu/", dossiers_views.public_status, name="public-status"),
    path("danh-gia/", dossiers_views.public_rating, name="public-rating"),
    path("", include("digitization.public_urls")),
    path("thu-tuc/", dossiers_views.procedure_list, name="catalogue"),
    path("tiep-nhan/", dossiers_views.reception, name="reception"),
    path("tiep-nhan/tim-thu-tuc/", dossiers_views.procedure_search, name="procedure-search"),
    path("tiep-nhan/tim-nguoi-nop/", dossiers_views.applicant_lookup, name="applicant-lookup"),
    path("ho-so/", dossiers_views.dossier_list, name="dossier-list"),
    path("ho-so/lien-thong/", dossiers_views.inbox, name="inbox"),
    path("ho-so/cho-duyet/", dossiers_views.approval_queue, name="approval-queue"),
    path("ho-so/so-theo-doi.pdf", dossiers_views.register_pdf, name="register-pdf"),
    path("ho-so/<str:code>/", dossiers_views.dossier_detail, name="dossier-detail"),
    path("ho-so/<str:code>/danh-gia/", dossiers_views.kiosk_rating, name="kiosk-rating"),
    path(
        "ho-so/<str:code>/mo-khoa-tra-cuu/",
        dossiers_views.unlock_public_lookup,
        name="unlock-public-lookup",
    ),
    path(
        "ho-so/<str:code>/thao-tac/<slug:action_code>/",
        dossiers_views.dossier_action,
        name="dossier-action",
    ),
    path(
        "ho-so/<str:code>/mau-<str:form_code>.pdf",
        dossiers_views.dossier_form_pdf,
        name="dossier-form",
    ),
    path("xep-hang/", include("counter.urls")),
    path("so-hoa/", include("digitization.urls")),
    path("bao-cao/", include("reporting.urls")),
    path("luu-tru/", include("archive.urls")),
    path("quan-tri/", admin.site.urls),
    path("api/v1/", include((router.urls, "api"))),
    path("api/v1/public/status/", PublicStatusView.as_view(), name="api-public-status"),
    path("api/v1/public/rating/", PublicRatingView.as_view(), name="api-public-rating"),
    path(
        "api/v1/public/submissions/", PublicSubmissionView.as_view(), name="api-public-submission"
    ),
    path("api/v1/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path(
        "api/v1/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"
    ),
    path("healthz", dossiers_views.healthz, name="healthz"),
]

handler400 = "dossiers.views.bad_request"
handler403 = "dossiers.views.permission_denied"
handler404 = "dossiers.views.page_not_found"
handler500 = "dossiers.views.server_error"
