"""The scheduled tasks (see schedules.py): summaries and digests for managers, the nightly
stock check for admins.

Each message is claimed in the transaction that sends it (a ScheduledSend row, unique per
kind, period and recipient), so a redelivered task, a retry after a failed send, or a second
beat firing skips every recipient already served. A send that fails rolls its claim back and
the retry (with backoff) sends it.
"""

import logging
import smtplib
from datetime import date, timedelta

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.db import OperationalError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Notification, User
from accounts.notifications import managers, notify
from accounts.roles import Role

from .models import ScheduledSend

logger = logging.getLogger(__name__)

RETRIED = {
    "autoretry_for": (smtplib.SMTPException, OSError, OperationalError),
    "retry_backoff": True,
    "retry_backoff_max": 600,
    "max_retries": 8,
    "acks_late": True,
    "soft_time_limit": 10 * 60,
    "time_limit": 11 * 60,
}


def _claim(*, kind: str, period: date, recipient: User) -> bool:
    """Record that `recipient` gets `kind` for `period`; False when somebody already did.

    Call inside the transaction that sends: a concurrent claim waits for it on the unique key.
    """
    _send, created = ScheduledSend.objects.get_or_create(
        kind=kind, period=period, recipient=recipient
    )
    return created


def _email_each(*, kind: str, period: date, recipients, subject: str, body: str) -> int:
    sent = 0
    for user in recipients:
        with transaction.atomic():
            if not _claim(kind=kind, period=period, recipient=user):
                continue
            send_mail(subject=subject, message=body, from_email=None, recipient_list=[user.email])
            sent += 1
    return sent


def _with_email(users):
    return users.exclude(email="").order_by("pk")


@shared_task(**RETRIED)
def sales_summary_email(day: str | None = None) -> int:
    """Email the managers the sales summary of every active location for `day` (ISO date,
    default yesterday); return how many emails went out now."""
    from orders.selectors import daily_summary
    from stock.models import Location

    when = date.fromisoformat(day) if day else timezone.localdate() - timedelta(days=1)
    summaries = [
        daily_summary(location, when)
        for location in Location.objects.filter(is_active=True).order_by("name", "pk")
    ]
    body = render_to_string(
        "scheduling/sales_summary_email.txt",
        {"day": when, "summaries": summaries, "site_url": settings.SITE_URL.rstrip("/")},
    )
    subject = _("[Inventory] Sales summary for %(day)s") % {"day": when.isoformat()}
    sent = _email_each(
        kind=ScheduledSend.Kind.SALES_SUMMARY,
        period=when,
        recipients=_with_email(managers()),
        subject=subject,
        body=body,
    )
    logger.info("Sales summary for %s: %s email(s) sent", when, sent)
    return sent


def _reorder_suggestions() -> list:
    """Reorder advice from the forecasts, where the forecasting app provides it."""
    try:
        from reports.selectors.replenishment import reorder_suggestions
    except ImportError:  # pragma: no cover - an installation without forecasting
        return []
    return reorder_suggestions(limit=200)


@shared_task(**RETRIED)
def low_stock_digest_email(day: str | None = None) -> int:
    """Email the managers this week's digest of low stock (with what is on order) and the
    reorder suggestions of the forecasts; nothing when neither has a line. Once per week
    (of `day`, ISO date, default today); return how many emails went out now."""
    from stock.selectors import low_stock, low_stock_rows

    today = date.fromisoformat(day) if day else timezone.localdate()
    week = today - timedelta(days=today.weekday())
    rows = low_stock_rows(low_stock()[:500])
    suggestions = _reorder_suggestions()
    if not rows and not suggestions:
        logger.info("Low-stock digest for the week of %s: nothing low", week)
        return 0
    body = render_to_string(
        "scheduling/low_stock_digest_email.txt",
        {
            "week": week,
            "rows": rows,
            "suggestions": suggestions,
            "site_url": settings.SITE_URL.rstrip("/"),
        },
    )
    subject = _("[Inventory] Low stock and reorders, week of %(day)s") % {"day": week.isoformat()}
    sent = _email_each(
        kind=ScheduledSend.Kind.LOW_STOCK_DIGEST,
        period=week,
        recipients=_with_email(managers()),
        subject=subject,
        body=body,
    )
    logger.info("Low-stock digest for the week of %s: %s email(s) sent", week, sent)
    return sent


@shared_task(**RETRIED)
def stock_check_nightly() -> int:
    """Run the checks of `manage.py check_stock` (levels against the ledger, each product's
    stock total against its levels); on any mismatch, notify every admin (in the app and by
    email), once per day. Return the number of mismatches."""
    from stock.selectors import stock_mismatches, stock_total_mismatches

    mismatches = stock_mismatches()
    totals = stock_total_mismatches()
    if not mismatches and not totals:
        logger.info("Stock check: levels agree with the ledger, totals with the levels")
        return 0
    for m in mismatches:
        logger.error(
            "Stock check: product %s at location %s: on hand %s, ledger %s, reserved %s",
            m.product_id,
            m.location_id,
            m.on_hand,
            m.ledger,
            m.reserved,
        )
    for t in totals:
        logger.error(
            "Stock check: product %s: stock total %s, levels available %s",
            t.product_id,
            t.total,
            t.levels,
        )
    if mismatches:
        text = _(
            "Stock check: %(count)s stock level(s) disagree with the ledger. "
            "Run manage.py check_stock for the list."
        ) % {"count": len(mismatches)}
    else:
        text = _(
            "Stock check: %(count)s product stock total(s) disagree with the stock levels "
            "(low-stock lists may be wrong). Run manage.py check_stock for the list."
        ) % {"count": len(totals)}
    today = timezone.localdate()
    admins = User.objects.filter(is_active=True, groups__name=Role.ADMIN.value).distinct()
    with transaction.atomic():
        fresh = [
            user
            for user in admins.order_by("pk")
            if _claim(kind=ScheduledSend.Kind.STOCK_MISMATCH, period=today, recipient=user)
        ]
        notify(
            fresh,
            kind=Notification.Kind.STOCK_MISMATCH,
            text=text,
            link=reverse("stock:overview"),
        )
    return len(mismatches) + len(totals)
