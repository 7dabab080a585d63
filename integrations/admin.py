from django.contrib import admin

from .models import InboundDossier, Shipment


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


@admin.register(Shipment)
class ShipmentAdmin(admin.ModelAdmin):
    """The orders handed to the postal service (read only: the clerk resends from the
    dossier page once the address is corrected)."""

    list_display = ("order_code", "tracking_code", "state", "status_label", "delivered_at")
    list_filter = ("state",)
    search_fields = ("order_code", "tracking_code", "dossier__code")
    readonly_fields = [f.name for f in Shipment._meta.fields]

    def has_add_permission(self, request):
        return False  # written by «Gửi kết quả qua bưu chính»
