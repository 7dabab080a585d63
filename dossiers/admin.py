"""The district office edits units, the catalogue and the calendar here."""

from django.contrib import admin

from .models import (
    AuditEvent,
    CalendarOverride,
    DocumentType,
    Field,
    Notification,
    Procedure,
    ProcedureComponent,
    ProcedureStep,
    StaffProfile,
    Unit,
    UnitLevel,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Rows the portal writes and nobody edits, even a superuser (the audit trail, the outbox,
    the archive's records): listed and opened, never added, changed or deleted here."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(UnitLevel)
class UnitLevelAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "rank", "is_area")


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "level", "parent", "is_remote", "has_counter", "active_until")
    list_filter = ("level", "is_remote", "has_counter")
    search_fields = ("name", "code")
    autocomplete_fields = ("parent",)


@admin.register(Field)
class FieldAdmin(admin.ModelAdmin):
    list_display = ("name", "code")
    search_fields = ("name",)


@admin.register(DocumentType)
class DocumentTypeAdmin(admin.ModelAdmin):
    list_display = ("name", "code")
    search_fields = ("name",)


class ComponentInline(admin.TabularInline):
    model = ProcedureComponent
    extra = 0
    autocomplete_fields = ("reusable_type",)


class StepInline(admin.TabularInline):
    model = ProcedureStep
    extra = 0


@admin.register(Procedure)
class ProcedureAdmin(admin.ModelAdmin):
    list_display = (
        "national_code",
        "name",
        "field",
        "level",
        "time_label",
        "online_level",
        "retention_label",
    )
    list_filter = ("field", "level", "online_level", "boundary_free", "is_active")
    search_fields = ("national_code", "name", "search_name")
    filter_horizontal = ("handling_units",)
    inlines = [ComponentInline, StepInline]

    @admin.display(description="thời hạn")
    def time_label(self, obj):
        return obj.time_label

    @admin.display(description="lưu trữ")
    def retention_label(self, obj):
        return obj.retention_label


@admin.register(CalendarOverride)
class CalendarOverrideAdmin(admin.ModelAdmin):
    list_display = ("date", "kind", "reason", "created_by")
    list_filter = ("kind",)
    date_hierarchy = "date"

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(StaffProfile)
class StaffProfileAdmin(admin.ModelAdmin):
    list_display = ("user", "unit", "title")
    list_filter = ("unit",)
    search_fields = ("user__username", "user__first_name", "user__last_name")
    autocomplete_fields = ("unit",)


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    # The trail is append-only, even for superusers in the admin.
    list_display = (
        "at",
        "kind",
        "action",
        "actor_name",
        "unit",
        "object_type",
        "object_id",
        "ip_address",
    )
    list_filter = ("kind", "action")
    search_fields = ("actor_name", "object_id", "reason")
    date_hierarchy = "at"


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    """The outbox: what each applicant was (or is to be) told, by which channel, and whether
    it left. SMS and Zalo stay here until a gateway adapter exists. Read-only: rows are written
    by the dossier services and updated by the sending task only."""

    list_display = (
        "queued_at",
        "dossier_code",
        "event",
        "channel",
        "recipient",
        "state",
        "attempts",
        "sent_at",
        "delivered_by",
    )
    list_filter = ("state", "channel", "event", ("queued_at", admin.DateFieldListFilter))
    search_fields = ("dossier__code", "recipient")
    date_hierarchy = "queued_at"
    list_select_related = ("dossier",)
    fields = (
        "dossier_code",
        "event",
        "channel",
        "recipient",
        "subject",
        "body",
        "state",
        "attempts",
        "last_error",
        "delivered_by",
        "queued_at",
        "started_at",
        "sent_at",
    )
    readonly_fields = fields

    @admin.display(description="mã hồ sơ", ordering="dossier__code")
    def dossier_code(self, obj):
        return obj.dossier.code
