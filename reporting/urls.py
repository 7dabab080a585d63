from django.urls import path

from . import live_stream, views, views_live, views_score

app_name = "reporting"

urlpatterns = [
    path("", views.dashboard_view, name="dashboard"),
    path("truc-tiep/", views_live.live_strip, name="live"),
    path("truc-tiep/luong/", live_stream.live_events, name="live-events"),
    path("ban-do/", views_live.map_view, name="map"),
    path("ban-do/so-lieu/", views_live.map_data, name="map-data"),
    path("bang/", views.table_view, name="table"),
    path("ho-so/", views.drilldown_view, name="drilldown"),
    path("ket-noi/", views.neighbours_view, name="neighbours"),
    path("xuat.<str:fmt>", views.export_view, name="export"),
    path("gui/", views.send_view, name="send"),
    path("da-gui/", views.snapshot_list, name="snapshots"),
    path("766/", views_score.score_view, name="score766"),
    path("766/mat-diem/", views_score.lost_view, name="score766_lost"),
    path("766/xuat.<str:fmt>", views_score.export_view, name="score766_export"),
    path("da-gui/<int:pk>/", views.snapshot_view, name="snapshot"),
    path("tien-do/<int:pk>/", views.job_progress, name="progress"),
]
