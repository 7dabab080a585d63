"""The district office edits units, the catalogue and the calendar here."""

from datetime import date

from django.contrib import admin
from django.forms.models import BaseInlineFormSet
from django.utils import timezone
from django.utils.html import format_html

from . import queries
from .admin_import import NationalImportMixin
from .models import (
    AuditEvent,
    CalendarOverride,
    DocumentType,
    Field,
    Notification,
    Procedure,
    ProcedureComponent,
    ProcedureRevision,
    ProcedureStep,
    StaffProfile,
    Succession,
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


class InForceFilter(admin.SimpleListFilter):
    """The tree as of a date: today's map, the district map of 30/6/2025, or what has ended."""

    title = "hiệu lực"
    parameter_name = "hieu_luc"

    def lookups(self, request, model_admin):
        return [
            ("today", "Đang có hiệu lực"),
            ("2025-06-30", "Bản đồ cấp huyện (30/6/2025)"),
            ("ended", "Đã chấm dứt"),
        ]

    def queryset(self, request, queryset):
        if self.value() == "today":
            return queryset & queries.units_in_force(timezone.localdate())
        if self.value() == "2025-06-30":
            return queryset & queries.units_in_force(date(2025, 6, 30))
        if self.value() == "ended":
            return queryset.filter(valid_to__lt=timezone.localdate())
        return queryset


class LabelledInlineFormSet(BaseInlineFormSet):
    """Each field of a tabular row named for screen readers (``aria-label`` "Tên giấy tờ, dòng
    2"): Django writes the name once, in the column's header, and none on the fields, which
    are then announced as unlabelled (axe: label, select-name)."""

    def add_fields(self, form, index):
        super().add_fields(form, index)
        row = f", dòng {index + 1}" if index is not None else ""
        for field in form.fields.values():
            widget = getattr(field.widget, "widget", field.widget)  # inside the "+" wrapper
            widget.attrs["aria-label"] = f"{str(field.label).capitalize()}{row}"


class LabelledTabularInline(admin.TabularInline):
    formset = LabelledInlineFormSet


class SuccessionInline(LabelledTabularInline):
    model = Succession
    fk_name = "predecessor"
    extra = 0
    autocomplete_fields = ("successor",)
    verbose_name = "đơn vị kế thừa"
    verbose_name_plural = "đơn vị kế thừa"


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ("tree_name", "code", "statistical_code", "level", "has_counter", "validity")
    list_filter = (InForceFilter, "level", "is_remote", "has_counter")
    search_fields = ("name", "code", "statistical_code")
    autocomplete_fields = ("parent",)
    inlines = [SuccessionInline]
    list_per_page = 200

    @admin.display(description="đơn vị", ordering="path")
    def tree_name(self, unit):
        depth = unit.path.count("/") - 2
        return format_html("{}{}", "\u2003" * depth, unit.name)

    @admin.display(description="hiệu lực")
    def validity(self, unit):
        start = f"{unit.valid_from:%d/%m/%Y}" if unit.valid_from else "…"
        end = f"{unit.valid_to:%d/%m/%Y}" if unit.valid_to else "nay"
        return f"{start} – {end}"


@admin.register(Succession)
class SuccessionAdmin(admin.ModelAdmin):
    list_display = ("predecessor", "kind", "successor", "date", "basis")
    list_filter = ("kind", "date")
    search_fields = ("predecessor__name", "successor__name", "basis")
    autocomplete_fields = ("predecessor", "successor")


@admin.register(Field)
class FieldAdmin(admin.ModelAdmin):
    list_display = ("name", "code")
    search_fields = ("name",)


@admin.register(DocumentType)
class DocumentTypeAdmin(admin.ModelAdmin):
    list_display = ("name", "code")
    search_fields = ("name",)


class ComponentInline(LabelledTabularInline):
    model = ProcedureComponent
    extra = 0
    autocomplete_fields = ("reusable_type",)


class StepInline(LabelledTabularInline):
    model = ProcedureStep
    extra = 0


class RevisionInline(LabelledTabularInline):
    """The rules by effective date, as the imports recorded them: read only."""

    model = ProcedureRevision
    extra = 0
    fields = ("effective_from", "time_label", "fee_vnd", "changed", "basis", "imported_by")
    readonly_fields = fields
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description="thời hạn")
    def time_label(self, obj):
        return obj.time_label


@admin.register(Procedure)
class ProcedureAdmin(NationalImportMixin, admin.ModelAdmin):
    list_display = (
        "national_code",
        "name",
        "field",
        "level_label",
        "time_label",
        "online_level",
        "retention_label",
        "verification",
    )
    list_filter = (
        "verified",
        "field",
        "level",
        "levels",
        "online_level",
        "boundary_free",
        "is_active",
    )
    search_fields = ("national_code", "name", "search_name")
    list_select_related = ("field", "level")
    filter_horizontal = ("handling_units",)
    inlines = [ComponentInline, StepInline, RevisionInline]

    @admin.display(description="thời hạn")
    def time_label(self, obj):
        return obj.time_label

    @admin.display(description="lưu trữ")
    def retention_label(self, obj):
        return obj.retention_label

    @admin.display(description="cấp")
    def level_label(self, obj):
        return obj.level_label

    @admin.display(description="xác minh", ordering="verified")
    def verification(self, obj):
        if obj.verified:
            return "Đã xác minh"
        return format_html('<strong title="{}">chưa xác minh</strong>', obj.data_note or "")


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
