from django.apps import AppConfig


class ArchiveConfig(AppConfig):
    """Archive records, retention, packages, fixity and disposal (issue #7)."""

    name = "archive"
    verbose_name = "Lưu trữ điện tử"

    def ready(self):
        from dossiers import hooks

        from . import receivers  # noqa: F401  (signal receivers)

        if "archive:panel" not in hooks.DOSSIER_PANELS:  # the archive record on the dossier page
            hooks.DOSSIER_PANELS.append("archive:panel")
