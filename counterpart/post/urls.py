from django.urls import path

from . import control, views

urlpatterns = [
    path("api/CreateOrder", views.create_order, name="post-create-order"),
    path("api/Tracking", views.tracking, name="post-tracking"),
    path("tra-cuu/", views.tracking_page, name="post-tracking-page"),
    path("control/faults", control.fault),
    path("control/orders", control.listed),
    path("control/deliver", control.deliver),
    path("control/reset", control.reset),
]
