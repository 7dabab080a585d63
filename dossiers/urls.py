"""The dossiers app's pages and its public API end-points, at the site's root
(bacyen_portal/urls.py includes them; names stay un-namespaced, as every template uses them)."""

from django.contrib.auth import views as auth_views
from django.urls import path

from . import views
from .api.public import PublicRatingView, PublicStatusView, PublicStopRequestView
from .forms import LoginForm

urlpatterns = [
    path("", views.home, name="home"),
    path(
        "dang-nhap/",
        auth_views.LoginView.as_view(
            authentication_form=LoginForm, redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("dang-xuat/", auth_views.LogoutView.as_view(), name="logout"),
    path("tra-cuu/", views.public_status, name="public-status"),
    path("ho-so-cua-toi/", views.my_dossiers, name="my-dossiers"),
    path("ho-so-cua-toi/xem/", views.my_dossier, name="my-dossier"),
    path("danh-gia/", views.public_rating, name="public-rating"),
    path("dung-giai-quyet/", views.public_stop, name="public-stop"),
    path("thu-tuc/", views.procedure_list, name="catalogue"),
    path("tiep-nhan/", views.reception, name="reception"),
    path("tiep-nhan/tim-thu-tuc/", views.procedure_search, name="procedure-search"),
    path("tiep-nhan/tim-nguoi-nop/", views.applicant_lookup, name="applicant-lookup"),
    path("ho-so/", views.dossier_list, name="dossier-list"),
    path("ho-so/lien-thong/", views.inbox, name="inbox"),
    path("ho-so/cho-duyet/", views.approval_queue, name="approval-queue"),
    path("ho-so/so-theo-doi.pdf", views.register_pdf, name="register-pdf"),
    path("ho-so/<str:code>/", views.dossier_detail, name="dossier-detail"),
    path("ho-so/<str:code>/danh-gia/", views.kiosk_rating, name="kiosk-rating"),
    path(
        "ho-so/<str:code>/mo-khoa-tra-cuu/",
        views.unlock_public_lookup,
        name="unlock-public-lookup",
    ),
    path("ho-so/<str:code>/thao-tac/", views.dossier_action, name="dossier-act"),
    path(
        "ho-so/<str:code>/thao-tac/<slug:action_code>/",
        views.dossier_action,
        name="dossier-action",
    ),
    path("ho-so/<str:code>/mau-<str:form_code>.pdf", views.dossier_form_pdf, name="dossier-form"),
    path("api/v1/public/status/", PublicStatusView.as_view(), name="api-public-status"),
    path("api/v1/public/rating/", PublicRatingView.as_view(), name="api-public-rating"),
    path(
        "api/v1/public/stop-requests/",
        PublicStopRequestView.as_view(),
        name="api-public-stop-request",
    ),
]
