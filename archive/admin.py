"""Read-only views of the archive in the admin: rows are written by the archive's services."""

from django.contrib import admin

from dossiers.admin import ReadOnlyAdmin

from .models import ArchiveRecord, DisposalBatch, FixityCheck, RetentionChange


@admin.register(ArchiveRecord)
class ArchiveRecordAdmin(ReadOnlyAdmin):
    list_display = ("code", "unit", "state", "returned_at", "retention_until", "fixity_ok")
    list_filter = ("state", "fixity_ok", "retention_permanent")
    search_fields = ("code", "applicant_name")


@admin.register(FixityCheck)
class FixityCheckAdmin(ReadOnlyAdmin):
    list_display = ("record", "checked_at", "files_checked", "ok")
    list_filter = ("ok",)


@admin.register(DisposalBatch)
class DisposalBatchAdmin(ReadOnlyAdmin):
    list_display = ("number", "area", "state", "proposed_by", "decided_by", "executed_at")
    list_filter = ("state",)


@admin.register(RetentionChange)
class RetentionChangeAdmin(ReadOnlyAdmin):
    list_display = ("procedure", "changed_at", "old_label", "new_label")
