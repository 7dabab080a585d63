from django.apps import AppConfig


class CounterConfig(AppConfig):
    """The counter queue (issue #6): numbered tickets per service area, called by the clerks,
    shown on the counter's display. An app of its own because it owns a part of the trade the
    dossier does not: the wait before a dossier exists. It reads units and dossiers from
    `dossiers` and writes only its own tables."""

    name = "counter"
    verbose_name = "Xếp hàng tại quầy"

    def ready(self):
        from . import receivers  # noqa: F401  (signal receivers)
