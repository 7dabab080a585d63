from django.apps import AppConfig


class DigitizationConfig(AppConfig):
    """Scanned files, OCR, searchable PDFs, signing and the applicant's store (issue #5)."""

    name = "digitization"
    verbose_name = "Số hóa"

    def ready(self):
        from dossiers import hooks

        from . import receivers  # noqa: F401 - connects the receivers

        if "digitization:dossier-scans" not in hooks.DOSSIER_PANELS:
            hooks.DOSSIER_PANELS.append("digitization:dossier-scans")
        if "digitization:reuse-panel" not in hooks.RECEPTION_PANELS:
            hooks.RECEPTION_PANELS.append("digitization:reuse-panel")
        if "digitization:id-card-panel" not in hooks.RECEPTION_APPLICANT_PANELS:
            hooks.RECEPTION_APPLICANT_PANELS.append("digitization:id-card-panel")
