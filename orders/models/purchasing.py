from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

QUANTITY = {"max_digits": 14, "decimal_places": 3}
COST = {"max_digits": 16, "decimal_places": 4}


class PurchaseOrder(models.Model):
    """Goods ordered from a supplier for one location; received line by line, maybe in parts."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        ORDERED = "ordered", _("ordered")
        PARTIALLY_RECEIVED = "partially_received", _("partially received")
        RECEIVED = "received", _("received")
        CLOSED = "closed", _("closed")
        CANCELLED = "cancelled", _("cancelled")

    number = models.CharField(_("number"), max_length=20, unique=True, editable=False)
    supplier = models.ForeignKey(
        "suppliers.Supplier", on_delete=models.PROTECT, related_name="purchase_orders",
        verbose_name=_("supplier"),
    )  # fmt: skip
    location = models.ForeignKey(
        "stock.Location", on_delete=models.PROTECT, related_name="purchase_orders",
        verbose_name=_("deliver to"),
    )  # fmt: skip
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    order_date = models.DateField(_("order date"), null=True, blank=True)
    expected_date = models.DateField(_("expected"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("created by"),
    )  # fmt: skip
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("purchase order")
        verbose_name_plural = _("purchase orders")
        ordering = ["-pk"]
        permissions = [
            ("order_purchaseorder", _("Can place, cancel and close purchase orders")),
            ("receive_purchaseorder", _("Can receive goods against purchase orders")),
        ]
        indexes = [
            models.Index(fields=["status", "expected_date"], name="orders_po_status_idx"),
            models.Index(fields=["supplier", "-order_date"], name="orders_po_supplier_idx"),
        ]

    def __str__(self):
        return self.number

    def get_absolute_url(self):
        return reverse("orders:purchase_order_detail", kwargs={"pk": self.pk})

    @property
    def is_open(self) -> bool:
        """Goods are still expected."""
        return self.status in (self.Status.ORDERED, self.Status.PARTIALLY_RECEIVED)


class PurchaseOrderLine(models.Model):
    order = models.ForeignKey(PurchaseOrder, on_delete=models.CASCADE, related_name="lines")
    product = models.ForeignKey(
        "products.Product", on_delete=models.PROTECT, related_name="purchase_order_lines",
        verbose_name=_("product"),
    )  # fmt: skip
    quantity = models.DecimalField(_("quantity"), **QUANTITY)
    unit_cost = models.DecimalField(_("unit cost"), **COST)
    received_quantity = models.DecimalField(_("received"), **QUANTITY, default=Decimal(0))

    class Meta:
        verbose_name = _("purchase order line")
        verbose_name_plural = _("purchase order lines")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["order", "product"],
                name="orders_po_line_unique_product",
                violation_error_message=_("This product is on the order already."),
            ),
            models.CheckConstraint(condition=Q(quantity__gt=0), name="orders_po_line_qty_gt_0"),
            models.CheckConstraint(condition=Q(unit_cost__gte=0), name="orders_po_line_cost_gte_0"),
            models.CheckConstraint(
                condition=Q(received_quantity__gte=0, received_quantity__lte=F("quantity")),
                name="orders_po_line_received_within_quantity",
            ),
        ]

    def __str__(self):
        return f"{self.order} · {self.product}"

    @property
    def outstanding(self) -> Decimal:
        return self.quantity - self.received_quantity

    @property
    def amount(self) -> Decimal:
        return self.quantity * self.unit_cost
