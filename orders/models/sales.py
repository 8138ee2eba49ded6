from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

QUANTITY = {"max_digits": 14, "decimal_places": 3}
MONEY = {"max_digits": 16, "decimal_places": 2}
PERCENT = {"max_digits": 5, "decimal_places": 2}


class SalesOrder(models.Model):
    """A sale from one location: an order (reserved when confirmed, then fulfilled) or a counter
    sale (confirmed and fulfilled at once). Amounts are kept by orders.pricing, never by hand."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        CONFIRMED = "confirmed", _("confirmed")
        PARTIALLY_FULFILLED = "partially_fulfilled", _("partially fulfilled")
        FULFILLED = "fulfilled", _("fulfilled")
        COMPLETED = "completed", _("completed")
        CANCELLED = "cancelled", _("cancelled")

    class Channel(models.TextChoices):
        ORDER = "order", _("order")
        COUNTER = "counter", _("counter sale")

    class Payment(models.TextChoices):
        CASH = "cash", _("cash")
        CARD = "card", _("card")
        TRANSFER = "transfer", _("bank transfer")

    number = models.CharField(_("number"), max_length=20, unique=True, editable=False)
    customer = models.ForeignKey(
        "orders.Customer", on_delete=models.PROTECT, null=True, blank=True,
        related_name="sales_orders", verbose_name=_("customer"),
    )  # fmt: skip
    location = models.ForeignKey(
        "stock.Location", on_delete=models.PROTECT, related_name="sales_orders",
        verbose_name=_("sell from"),
    )  # fmt: skip
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    channel = models.CharField(
        _("channel"), max_length=10, choices=Channel.choices, default=Channel.ORDER
    )
    order_date = models.DateField(_("order date"), default=timezone.localdate)
    notes = models.TextField(_("notes"), blank=True)
    payment_method = models.CharField(
        _("payment method"), max_length=10, choices=Payment.choices, blank=True
    )
    amount_paid = models.DecimalField(_("amount paid"), **MONEY, null=True, blank=True)
    # A counter sale's idempotency token: the same token never makes a second sale.
    token = models.UUIDField(_("token"), null=True, blank=True, unique=True, editable=False)
    subtotal = models.DecimalField(_("subtotal"), **MONEY, default=Decimal(0))
    discount_total = models.DecimalField(_("discount"), **MONEY, default=Decimal(0))
    tax_total = models.DecimalField(_("tax"), **MONEY, default=Decimal(0))
    total = models.DecimalField(_("total"), **MONEY, default=Decimal(0))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("created by"),
    )  # fmt: skip
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("sales order")
        verbose_name_plural = _("sales orders")
        ordering = ["-pk"]
        permissions = [
            ("confirm_salesorder", _("Can confirm, fulfil, complete and cancel sales orders")),
            ("return_salesorder", _("Can book customer returns")),
            ("counter_sale", _("Can make counter sales")),
        ]
        indexes = [
            models.Index(fields=["location", "-order_date"], name="orders_so_location_idx"),
            models.Index(fields=["customer", "-order_date"], name="orders_so_customer_idx"),
            models.Index(fields=["status", "-order_date"], name="orders_so_status_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(total=F("subtotal") - F("discount_total") + F("tax_total")),
                name="orders_so_total_adds_up",
            ),
            models.CheckConstraint(
                condition=Q(amount_paid__isnull=True) | Q(amount_paid__gte=0),
                name="orders_so_amount_paid_gte_0",
            ),
        ]

    def __str__(self):
        return self.number

    def get_absolute_url(self):
        return reverse("orders:sales_order_detail", kwargs={"pk": self.pk})

    @property
    def change_due(self) -> Decimal | None:
        """What a cash customer gets back."""
        if self.amount_paid is None:
            return None
        return max(self.amount_paid - self.total, Decimal(0))


class SalesOrderLine(models.Model):
    order = models.ForeignKey(SalesOrder, on_delete=models.CASCADE, related_name="lines")
    product = models.ForeignKey(
        "products.Product", on_delete=models.PROTECT, related_name="sales_order_lines",
        verbose_name=_("product"),
    )  # fmt: skip
    quantity = models.DecimalField(_("quantity"), **QUANTITY)
    unit_price = models.DecimalField(_("unit price"), **MONEY)
    discount_percent = models.DecimalField(_("discount (%)"), **PERCENT, default=Decimal(0))
    tax_rate = models.DecimalField(_("tax rate (%)"), **PERCENT, default=Decimal(0))
    # quantity x unit price, the discount on it, and the tax on what is left: each rounded once
    # by orders.pricing, so the page, the PDF and the API show the same numbers.
    gross_amount = models.DecimalField(_("amount"), **MONEY, default=Decimal(0))
    discount_amount = models.DecimalField(_("discount"), **MONEY, default=Decimal(0))
    tax_amount = models.DecimalField(_("tax"), **MONEY, default=Decimal(0))
    fulfilled_quantity = models.DecimalField(_("fulfilled"), **QUANTITY, default=Decimal(0))
    returned_quantity = models.DecimalField(_("returned"), **QUANTITY, default=Decimal(0))

    class Meta:
        verbose_name = _("sales order line")
        verbose_name_plural = _("sales order lines")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["order", "product"],
                name="orders_so_line_unique_product",
                violation_error_message=_("This product is on the order already."),
            ),
            models.CheckConstraint(condition=Q(quantity__gt=0), name="orders_so_line_qty_gt_0"),
            models.CheckConstraint(
                condition=Q(unit_price__gte=0), name="orders_so_line_price_gte_0"
            ),
            models.CheckConstraint(
                condition=Q(discount_percent__gte=0, discount_percent__lte=100)
                & Q(tax_rate__gte=0, tax_rate__lte=100),
                name="orders_so_line_percent_range",
            ),
            models.CheckConstraint(
                condition=Q(fulfilled_quantity__gte=0, fulfilled_quantity__lte=F("quantity")),
                name="orders_so_line_fulfilled_within_quantity",
            ),
            models.CheckConstraint(
                condition=Q(
                    returned_quantity__gte=0, returned_quantity__lte=F("fulfilled_quantity")
                ),
                name="orders_so_line_returned_within_fulfilled",
            ),
        ]

    def __str__(self):
        return f"{self.order} · {self.product}"

    @property
    def net_amount(self) -> Decimal:
        return self.gross_amount - self.discount_amount

    @property
    def total_amount(self) -> Decimal:
        return self.net_amount + self.tax_amount

    @property
    def outstanding(self) -> Decimal:
        return self.quantity - self.fulfilled_quantity


class SalesReturn(models.Model):
    """Goods a customer brought back from a fulfilled order, and why."""

    class Reason(models.TextChoices):
        DAMAGED = "damaged", _("damaged or faulty")
        WRONG_ITEM = "wrong_item", _("wrong item")
        NOT_WANTED = "not_wanted", _("no longer wanted")
        OTHER = "other", _("other")

    order = models.ForeignKey(SalesOrder, on_delete=models.PROTECT, related_name="returns")
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices)
    note = models.CharField(_("note"), max_length=500, blank=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("time"), auto_now_add=True)

    class Meta:
        verbose_name = _("customer return")
        verbose_name_plural = _("customer returns")
        ordering = ["-pk"]

    def __str__(self):
        return f"{self.order} · {self.get_reason_display()}"


class SalesReturnLine(models.Model):
    sales_return = models.ForeignKey(SalesReturn, on_delete=models.CASCADE, related_name="lines")
    line = models.ForeignKey(SalesOrderLine, on_delete=models.PROTECT, related_name="returns")
    quantity = models.DecimalField(_("quantity"), **QUANTITY)

    class Meta:
        verbose_name = _("customer return line")
        verbose_name_plural = _("customer return lines")
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="orders_return_qty_gt_0")
        ]

    def __str__(self):
        return f"{self.sales_return} · {self.line.product}"
