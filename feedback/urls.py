"""The PAKN pages (bacyen_portal/urls.py mounts them at /pakn/) and its API (api_urls)."""

from django.urls import path

from . import api, views
from .views.panel import dossier_panel

app_name = "feedback"

urlpatterns = [
    path("gui/", views.send, name="send"),
    path("ki-ot/<str:unit_code>/", views.kiosk, name="kiosk"),
    path("tra-cuu/", views.status, name="status"),
    path("danh-gia/", views.rate, name="rate"),
    path("cong-khai/", views.public_answers, name="public"),
    path("lanh-dao/", views.leader_queue, name="queue"),
    path("lanh-dao/chat-luong/", views.quality, name="quality"),
    path("lanh-dao/ds/<slug:tab>/", views.leader_queue, name="queue-tab"),
    path("lanh-dao/<str:code>/", views.feedback_detail, name="detail"),
    path("ho-so/<str:code>/", dossier_panel, name="dossier-panel"),
]

api_urls = (
    [
        path("pakn/", api.SendView.as_view(), name="send"),
        path("pakn/status/", api.StatusView.as_view(), name="status"),
        path("pakn/rating/", api.RatingView.as_view(), name="rating"),
        path("pakn/public/", api.PublicListView.as_view(), name="public"),
        path("pakn/queue/", api.QueueView.as_view(), name="queue"),
        path("pakn/<str:code>/answer/", api.AnswerView.as_view(), name="answer"),
    ],
    "feedback-api",
)
