"""The notification inbox: every signed-in user reads and clears their own notifications."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import get_object_or_404, redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import ListView

from . import notifications
from .models import Notification


class InboxView(LoginRequiredMixin, ListView):
    """Any signed-in user: their own notifications, unread first."""

    template_name = "accounts/inbox.html"
    paginate_by = 30

    def get_queryset(self):
        return notifications.inbox(self.request.user)


class OpenNotificationView(LoginRequiredMixin, View):
    """Any signed-in user, own notifications only: mark it read and go where it points."""

    def post(self, request, pk):
        notification = get_object_or_404(Notification, pk=pk, recipient=request.user)
        notifications.mark_read(user=request.user, notification_ids=[notification.pk])
        target = notification.link
        if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
            target = "accounts:inbox"
        return redirect(target or "accounts:inbox")


class MarkAllReadView(LoginRequiredMixin, View):
    """Any signed-in user: mark all their notifications read."""

    def post(self, request):
        changed = notifications.mark_read(user=request.user)
        messages.success(
            request, _("%(count)s notification(s) marked as read.") % {"count": changed}
        )
        return redirect("accounts:inbox")
