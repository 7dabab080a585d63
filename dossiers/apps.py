from django.apps import AppConfig
from django.db.models.signals import post_migrate


class DossiersConfig(AppConfig):
    name = "dossiers"
    verbose_name = "Một cửa: đơn vị, thủ tục, hồ sơ"

    def ready(self):
        from . import checks, receivers  # noqa: F401  (the legal data check; login audit receivers)
        from .roles import ensure_roles

        post_migrate.connect(ensure_roles, sender=self)
