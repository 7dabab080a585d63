from django.apps import AppConfig


class VneidConfig(AppConfig):
    name = "counterpart.vneid"
    label = "counterpart_vneid"
