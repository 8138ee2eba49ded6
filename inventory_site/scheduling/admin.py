from django.contrib import admin

from .models import ScheduledSend


@admin.register(ScheduledSend)
class ScheduledSendAdmin(admin.ModelAdmin):
    """What the scheduled tasks sent, to whom: written by the tasks, read-only here."""

    list_display = ["kind", "period", "recipient", "sent_at"]
    list_filter = ["kind"]
    date_hierarchy = "period"
    list_select_related = ["recipient"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
