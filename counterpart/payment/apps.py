from django.apps import AppConfig


class PaymentConfig(AppConfig):
    name = "counterpart.payment"
    label = "counterpart_payment"
