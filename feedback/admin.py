from django.contrib import admin

from .models import Feedback, LeaderAlert


@admin.register(Feedback)
class FeedbackAdmin(admin.ModelAdmin):
    """Read-only: PAKN change through their services (answers, ratings are audited)."""

    list_display = ("code", "kind", "unit", "state", "received_at", "due_at", "answered_at")
    list_filter = ("state", "kind", "channel")
    search_fields = ("code",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(LeaderAlert)
class LeaderAlertAdmin(admin.ModelAdmin):
    list_display = ("feedback", "leader", "state", "attempts", "queued_at", "sent_at")
    list_filter = ("state",)
