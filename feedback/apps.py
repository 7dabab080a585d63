from django.apps import AppConfig


class FeedbackConfig(AppConfig):
    """PAKN and sentiment (feedback/__init__.py says why it is an app of its own)."""

    name = "feedback"
    verbose_name = "Phản ánh, kiến nghị"

    def ready(self):
        from . import receivers  # noqa: F401  (signal receivers)
