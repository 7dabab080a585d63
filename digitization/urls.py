from django.urls import path

from . import views

app_name = "digitization"

urlpatterns = [
    path("ho-so/<str:code>/", views.dossier_scans, name="dossier-scans"),
    path("ho-so/<str:code>/tai-len/", views.upload_scans, name="upload"),
    path("tep/<int:pk>/", views.scan_file, name="scan-file"),
    path("tep/<int:pk>/nhan-dang-lai/", views.retry_scan, name="retry"),
    path("tep/<int:pk>/ky-so/", views.sign_scan, name="sign"),
    path("tep/<int:pk>/chu-ky/", views.signature_report, name="signature"),
    path("tep/<int:pk>/mo/<slug:kind>/", views.open_file, name="open-file"),
    path("ho-so/<str:code>/tai-su-dung/<int:pk>/", views.open_reused, name="open-reused"),
    path("tai-su-dung/", views.reuse_panel, name="reuse-panel"),
    path("the-can-cuoc/", views.id_card_panel, name="id-card-panel"),
    path("the-can-cuoc/doc/", views.read_id_card, name="id-card-read"),
    path("tim-kiem/", views.search, name="search"),
    path("khay/", views.tray, name="tray"),
    path("khay/<int:pk>/gan/", views.assign_scan, name="assign"),
]
