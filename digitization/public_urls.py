"""The citizen's online pages and the submissions API (no login), at the site's root next to
the status page: bacyen_portal/urls.py includes them."""

from django.urls import path

from .api import PublicSubmissionView
from .views import online

urlpatterns = [
    path("nop-truc-tuyen/", online.procedures, name="online-procedures"),
    path("nop-truc-tuyen/da-nop/", online.submitted, name="online-submitted"),
    path("nop-truc-tuyen/<str:national_code>/", online.submit, name="online-submit"),
    path("bo-sung/", online.supplement, name="online-supplement"),
    path(
        "api/v1/public/submissions/", PublicSubmissionView.as_view(), name="api-public-submission"
    ),
]
