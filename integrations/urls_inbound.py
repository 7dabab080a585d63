"""The national portal's way in, under /api/v1/ (bacyen_portal/urls.py includes it)."""

from django.urls import path

from .api_inbound import DvcqgPushView
from .views_post import tracking_push

urlpatterns = [
    path("integrations/dvcqg/ho-so/", DvcqgPushView.as_view(), name="dvcqg-push"),
    path("integrations/buu-chinh/hanh-trinh/", tracking_push, name="post-tracking-push"),
]
