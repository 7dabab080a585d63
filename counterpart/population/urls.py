from django.urls import path

from . import views

urlpatterns = [
    path("api/TraCuuThongTinCongDan", views.look_up, name="population-lookup"),
    path("control/faults", views.fault),
    path("control/lookups", views.lookups),
    path("control/reset", views.reset),
]
