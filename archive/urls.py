from django.urls import path

from .views import access_log, disposal, records

app_name = "archive"

urlpatterns = [
    path("", records.home, name="home"),
    path("<int:pk>/", records.record_detail, name="record"),
    path("<int:pk>/goi.zip", records.export, name="export"),
    path("<int:pk>/lap-lai/", records.retry, name="retry"),
    path("ho-so/<str:code>/", records.panel, name="panel"),
    path("het-han/", disposal.expired, name="expired"),
    path("huy/", disposal.batches, name="batches"),
    path("huy/<int:pk>/", disposal.batch_detail, name="batch"),
    path("huy/<int:pk>/quyet-dinh/", disposal.decide, name="decide"),
    path("huy/<int:pk>/bien-ban.pdf", disposal.minute, name="minute"),
    path("nhat-ky/", access_log.access_log, name="access-log"),
    path("nhat-ky.csv", access_log.access_log_csv, name="access-log-csv"),
]
