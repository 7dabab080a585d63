from django.contrib import admin, messages

from . import kiosk
from .models import KioskDevice, ServiceArea, Ticket


@admin.register(KioskDevice)
class KioskDeviceAdmin(admin.ModelAdmin):
    """Kiosk devices (counter/kiosk.py): registering one, or ticking «Cấp mã mới», shows its
    token once; only the token's hash is kept."""

    list_display = ("name", "unit", "is_active", "last_seen_at", "pending_dossier")
    list_filter = ("unit", "is_active")
    fields = ("unit", "name", "is_active", "last_seen_at", "pending_dossier")
    readonly_fields = ("last_seen_at", "pending_dossier")
    actions = ["new_tokens"]

    def save_model(self, request, obj, form, change):
        token = kiosk.new_token(obj) if not change else None
        super().save_model(request, obj, form, change)
        if token:
            self._show(request, obj, token)

    @admin.action(description="Cấp mã thiết bị mới (thu hồi mã cũ)")
    def new_tokens(self, request, queryset):
        for device in queryset:
            token = kiosk.new_token(device)
            device.save(update_fields=["token_hash"])
            self._show(request, device, token)

    def _show(self, request, device, token):
        messages.warning(
            request,
            f"Mã thiết bị «{device.name}»: {token} — nhập trên thiết bị tại /xep-hang/thiet-bi/. "
            "Mã chỉ hiện một lần.",
        )


@admin.register(ServiceArea)
class ServiceAreaAdmin(admin.ModelAdmin):
    list_display = ("unit", "letter", "name")
    list_filter = ("unit",)


@admin.register(Ticket)
class TicketAdmin(admin.ModelAdmin):
    list_display = (
        "label",
        "day",
        "issued_at",
        "called_at",
        "served_to",
        "desk",
        "clerk",
        "dossier",
    )
    list_filter = ("area__unit", "day")
    date_hierarchy = "day"
