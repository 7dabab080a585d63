from django.contrib import admin

from .models import ServiceArea, Ticket


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
