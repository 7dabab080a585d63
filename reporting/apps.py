from django.apps import AppConfig


class ReportingConfig(AppConfig):
    """Monthly report, indicators against Plan 141, snapshots and exports (issue #8)."""

    name = "reporting"
    verbose_name = "Báo cáo"
