from django.apps import AppConfig


class FeedbackConfig(AppConfig):
    """PAKN and sentiment (feedback/__init__.py says why it is an app of its own)."""

    name = "feedback"
    verbose_name = "Phản ánh, kiến nghị"

    def ready(self):
        from dossiers import hooks

        from . import receivers  # noqa: F401  (signal receivers)
        from .views.panel import status_line

        if "feedback:dossier-panel" not in hooks.DOSSIER_PANELS:
            hooks.DOSSIER_PANELS.append("feedback:dossier-panel")
        if status_line not in hooks.PUBLIC_STATUS_LINES:
            hooks.PUBLIC_STATUS_LINES.append(status_line)
