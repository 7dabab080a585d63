from django.contrib import admin

from .models import InboundDossier, Payment, PaymentReconciliation, Shipment


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


@admin.register(Payment)
class PaymentAdmin(admin.ModelAdmin):
    """Fee payments as recorded: written by the payment service and the platform's callback
    only (integrations/payments.py), never typed in here."""

    list_display = ("reference", "dossier", "amount", "state", "channel", "receipt_number")
    list_filter = ("state", "channel")
    search_fields = ("reference", "dossier__code", "receipt_number", "transaction_id")
    readonly_fields = [f.name for f in Payment._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(PaymentReconciliation)
class PaymentReconciliationAdmin(admin.ModelAdmin):
    list_display = ("day", "platform_count", "portal_count", "error")
    readonly_fields = [f.name for f in PaymentReconciliation._meta.fields]

    def has_add_permission(self, request):
        return False


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
