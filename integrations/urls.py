from django.urls import path

from . import views, views_payment, views_population, views_post

app_name = "integrations"
urlpatterns = [
    path("", views.reconciliation, name="reconciliation"),
    path("gui-lai-tat-ca/", views.resend_all, name="resend-all"),
    path("ho-so/<str:code>/", views.dossier_sync, name="dossier-sync"),
    path("ho-so/<str:code>/gui-lai/", views.resend_dossier, name="resend-dossier"),
    path("dan-cu/tiep-nhan/", views_population.reception_panel, name="population-reception"),
    path("dan-cu/tra-cuu/", views_population.lookup, name="population-lookup"),
    path("dan-cu/ho-so/<str:code>/", views_population.dossier_panel, name="population-dossier"),
    path("dan-cu/bao-cao/", views_population.usage_report, name="population-usage"),
    path("ho-so/<str:code>/le-phi/", views_payment.counter_panel, name="dossier-fee"),
    path("doi-soat-thanh-toan/", views_payment.reconciliation, name="payment-reconciliation"),
    path("buu-chinh/chon/", views_post.choice_panel, name="postal-choice"),
    path("buu-chinh/ho-so/<str:code>/", views_post.dossier_panel, name="postal-panel"),
    path("buu-chinh/ho-so/<str:code>/gui-lai/", views_post.resend, name="postal-resend"),
]
