from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower, Now
from django.utils.translation import gettext_lazy as _

QUANTITY = {"max_digits": 14, "decimal_places": 3}
COST = {"max_digits": 16, "decimal_places": 4}


class Location(models.Model):
    class Kind(models.TextChoices):
        WAREHOUSE = "warehouse", _("warehouse")
        STORE = "store", _("store")
        ROOM = "room", _("room")

    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.STORE)
    address = models.TextField(_("address"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    # Staff assigned to locations work only there (receive, sell, transfer from, count).
    users = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="locations", verbose_name=_("users")
    )

    class Meta:
        verbose_name = _("location")
        verbose_name_plural = _("locations")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                Lower("name"),
                name="stock_location_name_ci_unique",
                violation_error_message=_("A location with this name already exists."),
            )
        ]

    def __str__(self):
        return self.name


class StockLevel(models.Model):
    """How much of a product a location holds. Written only by stock.services, with its ledger
    row; the database refuses negative stock and reservations above what is on hand."""

    product = models.ForeignKey(
        "products.Product", on_delete=models.PROTECT, related_name="stock_levels"
    )
    location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="stock_levels")
    on_hand = models.DecimalField(_("on hand"), **QUANTITY, default=Decimal(0))
    reserved = models.DecimalField(_("reserved"), **QUANTITY, default=Decimal(0))
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("stock level")
        verbose_name_plural = _("stock levels")
        constraints = [
            models.UniqueConstraint(fields=["product", "location"], name="stock_level_unique"),
            models.CheckConstraint(condition=Q(on_hand__gte=0), name="stock_level_on_hand_gte_0"),
            models.CheckConstraint(
                condition=Q(reserved__gte=0, reserved__lte=F("on_hand")),
                name="stock_level_reserved_within_on_hand",
            ),
        ]

    def __str__(self):
        return f"{self.product} @ {self.location}: {self.on_hand}"

    @property
    def available(self) -> Decimal:
        return self.on_hand - self.reserved


class StockMovement(models.Model):
    """One line of the append-only stock ledger (the database rejects UPDATE and DELETE).

    Stock leaves `from_location` and arrives at `to_location`; a mistake is corrected by a new
    movement, never by editing one.
    """

    class Kind(models.TextChoices):
        RECEIPT = "receipt", _("receipt")
        SALE = "sale", _("sale")
        CUSTOMER_RETURN = "customer_return", _("customer return")
        SUPPLIER_RETURN = "supplier_return", _("supplier return")
        TRANSFER = "transfer", _("transfer")
        ADJUSTMENT = "adjustment", _("adjustment")
        COUNT = "count", _("count")

    class Reason(models.TextChoices):
        DAMAGED = "damaged", _("damaged")
        LOST = "lost", _("lost")
        FOUND = "found", _("found")
        EXPIRED = "expired", _("expired")
        CORRECTION = "correction", _("correction")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    product = models.ForeignKey(
        "products.Product", on_delete=models.PROTECT, related_name="stock_movements"
    )
    from_location = models.ForeignKey(
        Location, on_delete=models.PROTECT, null=True, blank=True, related_name="movements_out"
    )
    to_location = models.ForeignKey(
        Location, on_delete=models.PROTECT, null=True, blank=True, related_name="movements_in"
    )
    quantity = models.DecimalField(_("quantity"), **QUANTITY)
    unit_cost = models.DecimalField(_("unit cost"), **COST, default=Decimal(0))
    # The product's moving-average unit cost right after this movement (a receipt moves it, the
    # rest carry it), so what stock was worth on a past day is one indexed look-up. Empty only
    # for rows written around stock.services.
    average_cost = models.DecimalField(
        _("average cost after"), **COST, null=True, blank=True, editable=False
    )
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="stock_movements"
    )
    created_at = models.DateTimeField(_("time"), db_default=Now(), editable=False)
    # The order line that caused it, if an order did.
    purchase_order_line = models.ForeignKey(
        "orders.PurchaseOrderLine", on_delete=models.PROTECT, null=True, blank=True,
        related_name="movements",
    )  # fmt: skip
    sales_order_line = models.ForeignKey(
        "orders.SalesOrderLine", on_delete=models.PROTECT, null=True, blank=True,
        related_name="movements",
    )  # fmt: skip

    class Meta:
        verbose_name = _("stock movement")
        verbose_name_plural = _("stock movements")
        ordering = ["-created_at", "-pk"]
        permissions = [
            ("receive_stock", _("Can receive goods")),
            ("transfer_stock", _("Can transfer stock between locations")),
            ("count_stock", _("Can post stock counts")),
            ("adjust_stock", _("Can adjust stock")),
            ("work_any_location", _("Can move stock at any location")),
            ("view_low_stock", _("Can see what is at or below its reorder point")),
        ]
        indexes = [
            models.Index(fields=["product", "-created_at"], name="stock_move_product_idx"),
            models.Index(fields=["from_location", "-created_at"], name="stock_move_from_idx"),
            models.Index(fields=["to_location", "-created_at"], name="stock_move_to_idx"),
            models.Index(fields=["-created_at"], name="stock_move_time_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="stock_move_quantity_gt_0"),
            models.CheckConstraint(condition=Q(unit_cost__gte=0), name="stock_move_cost_gte_0"),
            # Which end(s) each kind of movement has.
            models.CheckConstraint(
                condition=(
                    Q(
                        kind__in=["receipt", "customer_return"],
                        from_location__isnull=True,
                        to_location__isnull=False,
                    )
                    | Q(
                        kind__in=["sale", "supplier_return"],
                        from_location__isnull=False,
                        to_location__isnull=True,
                    )
                    | (
                        Q(kind="transfer", from_location__isnull=False, to_location__isnull=False)
                        & ~Q(from_location=F("to_location"))
                    )
                    | (
                        Q(kind__in=["adjustment", "count"])
                        & (
                            Q(from_location__isnull=True, to_location__isnull=False)
                            | Q(from_location__isnull=False, to_location__isnull=True)
                        )
                    )
                ),
                name="stock_move_locations_match_kind",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.quantity} of {self.product_id}"


class LocationMinimum(models.Model):
    """A product's own reorder point at one location, watched besides the product's reorder
    point over all locations (a shop that must never run dry of a product the warehouse holds)."""

    product = models.ForeignKey(
        "products.Product",
        on_delete=models.CASCADE,
        related_name="location_minimums",
        verbose_name=_("product"),
    )
    location = models.ForeignKey(
        Location,
        on_delete=models.CASCADE,
        related_name="minimums",
        verbose_name=_("location"),
    )
    reorder_point = models.DecimalField(
        _("reorder point"),
        **QUANTITY,
        help_text=_("Alert when available stock here falls to this level."),
    )

    class Meta:
        verbose_name = _("location reorder point")
        verbose_name_plural = _("location reorder points")
        ordering = ["product_id", "location__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["product", "location"],
                name="stock_minimum_unique",
                violation_error_message=_("This product already has a reorder point here."),
            ),
            models.CheckConstraint(
                condition=Q(reorder_point__gt=0), name="stock_minimum_reorder_point_gt_0"
            ),
        ]

    def __str__(self):
        return f"{self.product} @ {self.location}: {self.reorder_point}"


class LowStockAlert(models.Model):
    """A product (at one location, or over all when `location` is empty) that is at or below
    its reorder point now and has been announced. Created when stock falls to the reorder point,
    removed when it rises above it, so each crossing alerts once. Written by stock.alerts inside
    the stock services' transactions."""

    product = models.ForeignKey(
        "products.Product", on_delete=models.CASCADE, related_name="low_stock_alerts"
    )
    location = models.ForeignKey(
        Location, on_delete=models.CASCADE, null=True, blank=True, related_name="low_stock_alerts"
    )
    available = models.DecimalField(_("available"), **QUANTITY)
    reorder_point = models.DecimalField(_("reorder point"), **QUANTITY)
    created_at = models.DateTimeField(_("since"), db_default=Now(), editable=False)

    class Meta:
        verbose_name = _("low-stock alert")
        verbose_name_plural = _("low-stock alerts")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["product", "location"],
                nulls_distinct=False,
                name="stock_low_alert_unique",
            )
        ]

    def __str__(self):
        return f"{self.product} @ {self.location or '*'}"


class StockTotal(models.Model):
    """A product's available stock (on hand minus reserved) over all its locations, beside a
    copy of its reorder point and active flag, so "what is low" is one small partial index.

    Kept by PostgreSQL, never by Python: a row per product from the product's INSERT (triggers
    on products_product also copy reorder_point and is_active when they change); triggers on
    stock_stocklevel add each statement's change of available stock in the same transaction,
    with INSERT ... ON CONFLICT DO UPDATE of the difference, so concurrent changes of one
    product at different locations add up instead of overwriting each other. `check_stock`
    proves it against the levels and the products.
    """

    # No database foreign key: inserting or changing a total would otherwise take a key-share
    # lock on the product row, which stock_receive holds FOR UPDATE. A trigger removes the row
    # with its product.
    product = models.OneToOneField(
        "products.Product",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        primary_key=True,
        related_name="stock_total",
        verbose_name=_("product"),
    )
    available = models.DecimalField(_("available"), max_digits=16, decimal_places=3)
    reorder_point = models.DecimalField(_("reorder point"), **QUANTITY)  # the product's
    is_active = models.BooleanField(_("active"))  # the product's

    class Meta:
        verbose_name = _("stock total")
        verbose_name_plural = _("stock totals")
        # No CHECK (available >= 0): PostgreSQL checks the row INSERT ... ON CONFLICT proposes
        # (a negative change) before it finds the conflict. The levels' own CHECKs hold it.
        indexes = [
            models.Index(
                fields=["product"],
                condition=Q(is_active=True, reorder_point__gt=0, available__lte=F("reorder_point")),
                name="stock_total_low_idx",
            )
        ]

    def __str__(self):
        return f"{self.product_id}: {self.available}"
