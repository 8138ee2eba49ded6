from django.conf import settings
from django.db import models
from django.db.models.functions import Now
from django.utils.translation import gettext_lazy as _


class ScheduledSend(models.Model):
    """One scheduled message delivered to one user for one period.

    Written in the transaction that sends the message: a redelivered or repeated scheduled task
    finds the row and sends nothing a second time.
    """

    class Kind(models.TextChoices):
        SALES_SUMMARY = "sales_summary", _("daily sales summary")
        LOW_STOCK_DIGEST = "low_stock_digest", _("weekly low-stock digest")
        STOCK_MISMATCH = "stock_mismatch", _("stock check alert")

    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    # The day reported on (summary, stock check) or the Monday of the week (digest).
    period = models.DateField(_("period"))
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="scheduled_sends",
        verbose_name=_("recipient"),
    )
    sent_at = models.DateTimeField(_("sent"), db_default=Now(), editable=False)

    class Meta:
        verbose_name = _("scheduled message")
        verbose_name_plural = _("scheduled messages")
        ordering = ["-sent_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "period", "recipient"], name="scheduling_send_once"
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.period} → {self.recipient}"
