from django.apps import AppConfig


class ArchiveConfig(AppConfig):
    """Archive records, retention, packages, fixity and disposal (issue #7)."""

    name = "archive"
    verbose_name = "Lưu trữ điện tử"
