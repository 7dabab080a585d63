from django.urls import path

from . import views, views_post

app_name = "integrations"
urlpatterns = [
    path("", views.reconciliation, name="reconciliation"),
    path("gui-lai-tat-ca/", views.resend_all, name="resend-all"),
    path("ho-so/<str:code>/", views.dossier_sync, name="dossier-sync"),
    path("ho-so/<str:code>/gui-lai/", views.resend_dossier, name="resend-dossier"),
    path("buu-chinh/chon/", views_post.choice_panel, name="postal-choice"),
    path("buu-chinh/ho-so/<str:code>/", views_post.dossier_panel, name="postal-panel"),
    path("buu-chinh/ho-so/<str:code>/gui-lai/", views_post.resend, name="postal-resend"),
]
