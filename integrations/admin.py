from django.contrib import admin

from .models import InboundDossier


@admin.register(InboundDossier)
class InboundDossierAdmin(admin.ModelAdmin):
    """Where a person sees the dossiers taken in from DVCQG and why one was refused (a
    refused one is not pulled again until its row is deleted)."""

    list_display = ("national_code", "dossier", "received_via", "unit_code", "error", "received_at")
    list_filter = ("received_via",)
    search_fields = ("national_code", "dossier__code", "unit_code")
    readonly_fields = [f.name for f in InboundDossier._meta.fields]

    def has_add_permission(self, request):
        return False  # taken in from the platform, never typed in
