from django.urls import path

from . import views, views_payment

app_name = "integrations"
urlpatterns = [
    path("", views.reconciliation, name="reconciliation"),
    path("gui-lai-tat-ca/", views.resend_all, name="resend-all"),
    path("ho-so/<str:code>/", views.dossier_sync, name="dossier-sync"),
    path("ho-so/<str:code>/gui-lai/", views.resend_dossier, name="resend-dossier"),
    path("ho-so/<str:code>/le-phi/", views_payment.counter_panel, name="dossier-fee"),
    path("doi-soat-thanh-toan/", views_payment.reconciliation, name="payment-reconciliation"),
]
