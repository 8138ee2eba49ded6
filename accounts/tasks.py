"""Background work of accounts: emailing notifications."""

import logging
import smtplib

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Notification

logger = logging.getLogger(__name__)


@shared_task(
    autoretry_for=(smtplib.SMTPException, OSError),
    retry_backoff=True,
    retry_backoff_max=600,
    max_retries=8,
    acks_late=True,
)
def email_notifications(notification_ids: list[int]) -> int:
    """Email each notification to its recipient once; return how many were sent.

    Idempotent: a notification is locked, sent and stamped `emailed_at` in one transaction, so a
    redelivered or retried task skips what has gone out. Recipients without an email address
    only see the in-app notification.
    """
    sent = 0
    for pk in notification_ids:
        with transaction.atomic():
            notification = (
                # Lock the notification only: locking its recipient too (the join) would make
                # a concurrent task for another notification of the same user skip its row.
                Notification.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related("recipient")
                .filter(pk=pk, emailed_at__isnull=True)
                .first()
            )
            if notification is None or not notification.recipient.email:
                continue
            body = notification.text
            if notification.link:
                body += "\n\n" + settings.SITE_URL.rstrip("/") + notification.link
            send_mail(
                subject=_("[Inventory] %(text)s") % {"text": notification.text[:150]},
                message=body,
                from_email=None,
                recipient_list=[notification.recipient.email],
            )
            notification.emailed_at = timezone.now()
            notification.save(update_fields=["emailed_at"])
            sent += 1
    logger.info("Emailed %s of %s notifications", sent, len(notification_ids))
    return sent
