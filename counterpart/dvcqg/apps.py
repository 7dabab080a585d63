from django.apps import AppConfig


class DvcqgConfig(AppConfig):
    name = "counterpart.dvcqg"
    label = "counterpart_dvcqg"
