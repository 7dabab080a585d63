"""Read-only views of the archive in the admin: rows are written by the archive's services."""

from django.contrib import admin

from .models import ArchiveRecord, DisposalBatch, FixityCheck, RetentionChange


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ArchiveRecord)
class ArchiveRecordAdmin(ReadOnly):
    list_display = ("code", "unit", "state", "returned_at", "retention_until", "fixity_ok")
    list_filter = ("state", "fixity_ok", "retention_permanent")
    search_fields = ("code", "applicant_name")


@admin.register(FixityCheck)
class FixityCheckAdmin(ReadOnly):
    list_display = ("record", "checked_at", "files_checked", "ok")
    list_filter = ("ok",)


@admin.register(DisposalBatch)
class DisposalBatchAdmin(ReadOnly):
    list_display = ("number", "area", "state", "proposed_by", "decided_by", "executed_at")
    list_filter = ("state",)


@admin.register(RetentionChange)
class RetentionChangeAdmin(ReadOnly):
    list_display = ("procedure", "changed_at", "old_label", "new_label")
