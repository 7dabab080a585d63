from django.apps import AppConfig


class ArchiveConfig(AppConfig):
    """Archive records, retention, packages, fixity and disposal (issue #7)."""

    name = "archive"
    verbose_name = "Lưu trữ điện tử"

    def ready(self):
        from dossiers import panels

        from . import receivers  # noqa: F401  (signal receivers)

        panels.register("archive:panel", "Lưu trữ điện tử")
