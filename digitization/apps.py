from django.apps import AppConfig


class DigitizationConfig(AppConfig):
    """Scanned files, OCR, searchable PDFs, signing and the applicant's store (issue #5)."""

    name = "digitization"
    verbose_name = "Số hóa"

    def ready(self):
        from dossiers import hooks

        if "digitization:dossier-scans" not in hooks.DOSSIER_PANELS:
            hooks.DOSSIER_PANELS.append("digitization:dossier-scans")
