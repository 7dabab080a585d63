from django.contrib import admin

from .models import AnswerNotice, Feedback, LeaderAlert


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


@admin.register(AnswerNotice)
class AnswerNoticeAdmin(admin.ModelAdmin):
    """The senders' notices; the SMS rows are the local channel's delivery (an operator reads
    them here until a gateway adapter sends them)."""

    list_display = ("feedback", "channel", "state", "attempts", "queued_at", "sent_at")
    list_filter = ("state", "channel")
