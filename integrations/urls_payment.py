"""The public payment pages and the platform's callback (bacyen_portal/urls.py: thanh-toan/)."""

from django.urls import path

from . import views_payment

urlpatterns = [
    path("", views_payment.pay, name="payment-pay"),
    path("ket-qua/", views_payment.returned, name="payment-return"),
    path("bien-lai/<str:reference>/", views_payment.receipt, name="payment-receipt"),
    path("api/ket-qua/", views_payment.callback, name="payment-callback"),
]
