"""The district office edits the plan's targets here; sent reports are read-only."""

from django import forms
from django.contrib import admin

from dossiers.models import UnitLevel

from .models import ReportJob, Snapshot, Target


class TargetForm(forms.ModelForm):
    level_code = forms.ChoiceField(label="cấp đơn vị", required=False)

    class Meta:
        model = Target
        fields = ["indicator", "level_code", "for_remote_units", "year", "value", "source"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        levels = [("", "Mọi cấp")] + [(lv.code, lv.name) for lv in UnitLevel.objects.all()]
        self.fields["level_code"].choices = levels


@admin.register(Target)
class TargetAdmin(admin.ModelAdmin):
    form = TargetForm
    list_display = ("indicator", "level_code", "for_remote_units", "year", "value", "source")
    list_filter = ("indicator", "level_code", "year")
    list_editable = ("value",)


@admin.register(Snapshot)
class SnapshotAdmin(admin.ModelAdmin):
    list_display = ("unit", "period_kind", "start", "end", "sent_at", "sent_by")
    readonly_fields = [f.name for f in Snapshot._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ReportJob)
class ReportJobAdmin(admin.ModelAdmin):
    list_display = ("key", "state", "progress", "queued_at", "finished_at")
    readonly_fields = [f.name for f in ReportJob._meta.fields]
