from django.urls import path

from . import control, views

urlpatterns = [
    path("api/init", views.init, name="payment-init"),
    path("api/statement", views.statement, name="payment-statement"),
    path("trang/<str:token>/", views.page, name="payment-page"),
    path("control/faults", control.faults),
    path("control/received", control.received),
    path("control/pay", control.pay),
    path("control/resend", control.resend),
    path("control/statement", control.statement),
    path("control/reset", control.reset),
]
