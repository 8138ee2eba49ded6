"""Notifications: the in-app inbox (the bell) and the email that follows each message.

`notify` is called inside the transaction that caused the news, so a rolled-back change leaves
no message behind; the emails go out through the task layer only after that transaction commits.
"""

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime

from django.db import transaction
from django.db.models import QuerySet

from .models import Notification, User
from .roles import Role

_without_email = ContextVar("notifications_without_email", default=False)


@contextmanager
def without_email() -> Iterator[None]:
    """Create notifications in-app only while inside (demo data must not email anyone)."""
    token = _without_email.set(True)
    try:
        yield
    finally:
        _without_email.reset(token)


def managers() -> QuerySet[User]:
    """Active users in the Manager role: they receive stock alerts."""
    return User.objects.filter(is_active=True, groups__name=Role.MANAGER.value).distinct()


def notify(
    recipients: Iterable[User],
    *,
    kind: str,
    text: str,
    link: str = "",
    created_at: datetime | None = None,
) -> list[Notification]:
    """Create one notification per recipient and email them once the transaction commits.

    `created_at` dates news of something that happened earlier (history loaded afterwards)."""
    when = {"created_at": created_at} if created_at else {}
    created = Notification.objects.bulk_create(
        [
            Notification(recipient=user, kind=kind, text=text, link=link, **when)
            for user in recipients
        ]
    )
    ids = [notification.pk for notification in created]
    if ids and not _without_email.get():
        from .tasks import email_notifications

        # robust: a broker that is down must not turn a committed stock change into an error.
        transaction.on_commit(lambda: email_notifications.delay(ids), robust=True)
    return created


def unread_count(user: User) -> int:
    return Notification.objects.filter(recipient=user, is_read=False).count()


def inbox(user: User) -> QuerySet[Notification]:
    """The user's notifications, unread first, newest first."""
    return Notification.objects.filter(recipient=user).order_by("is_read", "-created_at", "-pk")


def mark_read(*, user: User, notification_ids: Iterable[int] | None = None) -> int:
    """Mark the user's notifications (all of them if no ids) as read; return how many changed."""
    unread = Notification.objects.filter(recipient=user, is_read=False)
    if notification_ids is not None:
        unread = unread.filter(pk__in=list(notification_ids))
    return unread.update(is_read=True)
