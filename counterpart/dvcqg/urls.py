from django.urls import path

from . import control, views

urlpatterns = [
    path("api/LayToken", views.lay_token, name="dvcqg-token"),
    path("api/", views.integration, name="dvcqg-integration"),
    path("api/tep/<int:pk>", views.file, name="dvcqg-file"),
    path("control/faults", control.fault),
    path("control/messages", control.messages),
    path("control/stats", control.stats),
    path("control/reset", control.reset),
    path("control/expire-sessions", control.expire_sessions),
    path("control/offer", control.offer),
    path("control/push", control.push),
    path("control/offered", control.offered),
]
