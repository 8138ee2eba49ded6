from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Now
from django.utils.translation import gettext_lazy as _


class OrderStatusChange(models.Model):
    """Who moved which order from which status to which, when, and why (written by the order
    services in the same transaction as the change)."""

    purchase_order = models.ForeignKey(
        "orders.PurchaseOrder", on_delete=models.CASCADE, null=True, blank=True,
        related_name="status_changes",
    )  # fmt: skip
    sales_order = models.ForeignKey(
        "orders.SalesOrder", on_delete=models.CASCADE, null=True, blank=True,
        related_name="status_changes",
    )  # fmt: skip
    from_status = models.CharField(_("from"), max_length=20, blank=True)
    to_status = models.CharField(_("to"), max_length=20)
    note = models.CharField(_("note"), max_length=500, blank=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("time"), db_default=Now(), editable=False)

    class Meta:
        verbose_name = _("order status change")
        verbose_name_plural = _("order status changes")
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(purchase_order__isnull=True, sales_order__isnull=False)
                | Q(purchase_order__isnull=False, sales_order__isnull=True),
                name="orders_status_change_one_order",
            )
        ]

    def __str__(self):
        return f"{self.from_status or '∅'} → {self.to_status}"

    def _label(self, status: str) -> str:
        from .purchasing import PurchaseOrder
        from .sales import SalesOrder

        choices = PurchaseOrder.Status if self.purchase_order_id else SalesOrder.Status
        return str(dict(choices.choices).get(status, status)) if status else ""

    @property
    def from_label(self) -> str:
        return self._label(self.from_status)

    @property
    def to_label(self) -> str:
        return self._label(self.to_status)
