from django.apps import AppConfig


class IntegrationsConfig(AppConfig):
    """The national platforms: DVCQG sync and inbound dossiers, VNeID (issue #18)."""

    name = "integrations"
    verbose_name = "Kết nối nền tảng quốc gia"

    def ready(self):
        from dossiers import hooks

        from . import receivers  # noqa: F401 - connects the receivers

        if "integrations:dossier-sync" not in hooks.DOSSIER_PANELS:
            hooks.DOSSIER_PANELS.append("integrations:dossier-sync")
