from django.apps import AppConfig
from django.db.models.signals import post_migrate


class ReportingConfig(AppConfig):
    """Monthly report, indicators against Plan 141, snapshots and exports (issue #8)."""

    name = "reporting"
    verbose_name = "Báo cáo"

    def ready(self):
        from . import receivers
        from .roles import grant_report_permissions

        receivers.connect()
        post_migrate.connect(grant_report_permissions, sender=self)
