"""Reports: imported sales history and the sales fact view every sales report reads."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

QUANTITY = {"max_digits": 14, "decimal_places": 3}
MONEY = {"max_digits": 16, "decimal_places": 2}
COST = {"max_digits": 16, "decimal_places": 4}


class ImportBatch(models.Model):
    """One uploaded file of past sales: its settings, its progress and its outcome."""

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting")
        RUNNING = "running", _("importing")
        DONE = "done", _("imported")
        FAILED = "failed", _("failed")

    class Stage(models.TextChoices):
        NONE = "", _("not started")
        QUEUED = "queued", _("waiting for a worker")
        CHECKING = "checking", _("checking lines")
        WRITING = "writing", _("writing lines")

    file_name = models.CharField(_("file"), max_length=255)
    file_sha256 = models.CharField(_("file fingerprint"), max_length=64)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    options = models.JSONField(_("options"), default=dict, blank=True)
    total_rows = models.PositiveIntegerField(_("lines in file"), default=0)
    processed_rows = models.PositiveIntegerField(_("lines read"), default=0)
    imported_rows = models.PositiveIntegerField(_("lines imported"), default=0)
    skipped_rows = models.PositiveIntegerField(_("lines skipped"), default=0)
    problems = models.JSONField(_("problems"), default=list, blank=True)
    # While running: which pass over the file `processed_rows` counts (see reports.importing).
    stage = models.CharField(
        _("stage"), max_length=10, choices=Stage.choices, default=Stage.NONE, blank=True
    )
    # The outcome of the latest check or import: counts to import and skip, new records.
    report = models.JSONField(_("report"), default=dict, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("sales history import")
        verbose_name_plural = _("sales history imports")
        ordering = ["-created_at", "-pk"]
        permissions = [
            ("view_reports", _("Can see reports and analytics")),
            ("import_sales_history", _("Can import sales history")),
        ]
        constraints = [
            # The same file is imported once; a failed attempt may be retried.
            models.UniqueConstraint(
                fields=["file_sha256"],
                condition=Q(status="done"),
                name="reports_import_file_once",
            )
        ]

    def __str__(self):
        return self.file_name


class ImportedSale(models.Model):
    """A sales line from before the system: feeds every report, never moves stock."""

    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="lines")
    line_number = models.PositiveIntegerField(_("line"))
    occurred_at = models.DateTimeField(_("date"))  # noon local time of the sale's date
    document_number = models.CharField(_("document"), max_length=64, blank=True)
    product = models.ForeignKey(
        "products.Product", on_delete=models.PROTECT, related_name="imported_sales"
    )
    description = models.CharField(_("description"), max_length=255, blank=True)
    quantity = models.DecimalField(_("quantity"), **QUANTITY)  # negative: a return
    unit_price = models.DecimalField(_("unit price"), **COST)
    revenue = models.DecimalField(_("revenue"), **MONEY)
    unit_cost = models.DecimalField(_("unit cost"), **COST, default=0)
    customer = models.ForeignKey(
        "orders.Customer", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    location = models.ForeignKey(
        "stock.Location", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # What makes a line the same line: importing it again adds nothing.
    fingerprint = models.CharField(max_length=64, unique=True)

    class Meta:
        verbose_name = _("imported sale")
        verbose_name_plural = _("imported sales")
        indexes = [
            models.Index(fields=["occurred_at"], name="reports_imported_time_idx"),
            models.Index(fields=["product", "occurred_at"], name="reports_imported_prod_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(quantity=0), name="reports_imported_qty_ne_0")
        ]

    def __str__(self):
        return f"{self.document_number} {self.product_id}"


class SalesFact(models.Model):
    """One row per unit movement of a sale (a database view, see migration 0002).

    Sales are the ledger's sale movements of order lines (quantity positive, revenue after
    discount and before tax, cost at the ledger's unit cost), customer returns of them
    (negative), and imported history lines (returns negative there too).
    """

    id = models.BigIntegerField(primary_key=True)
    occurred_at = models.DateTimeField()
    product = models.ForeignKey("products.Product", on_delete=models.DO_NOTHING, related_name="+")
    location = models.ForeignKey(
        "stock.Location", on_delete=models.DO_NOTHING, null=True, related_name="+"
    )
    customer = models.ForeignKey(
        "orders.Customer", on_delete=models.DO_NOTHING, null=True, related_name="+"
    )
    sales_order = models.ForeignKey(
        "orders.SalesOrder", on_delete=models.DO_NOTHING, null=True, related_name="+"
    )
    document = models.CharField(max_length=64)
    channel = models.CharField(max_length=10)
    payment_method = models.CharField(max_length=10)
    quantity = models.DecimalField(**QUANTITY)
    revenue = models.DecimalField(max_digits=30, decimal_places=10)
    cost = models.DecimalField(max_digits=30, decimal_places=10)
    imported = models.BooleanField()

    class Meta:
        managed = False
        db_table = "reports_sales_fact"

    def __str__(self):
        return f"{self.document} {self.product_id} {self.quantity}"


class SalesSummary(models.Model):
    """What a daily sales summary row holds: the facts of the view above for one group and one
    local day (settings.TIME_ZONE), summed. Kept by triggers in the ledger's own transaction
    (migration 0005), never written by Python: see `DailySale` and `DailyOrderSale`."""

    day = models.DateField()
    location = models.ForeignKey(
        "stock.Location",
        on_delete=models.DO_NOTHING,
        null=True,
        db_constraint=False,
        related_name="+",
    )
    customer = models.ForeignKey(
        "orders.Customer",
        on_delete=models.DO_NOTHING,
        null=True,
        db_constraint=False,
        related_name="+",
    )
    document = models.CharField(max_length=64)
    channel = models.CharField(max_length=10)
    payment_method = models.CharField(max_length=10)
    imported = models.BooleanField()
    quantity = models.DecimalField(**QUANTITY)  # net of returns
    returned = models.DecimalField(**QUANTITY)  # units of the negative facts, positive
    facts = models.IntegerField()  # facts summed here; the row goes when it reaches 0
    sale_facts = models.IntegerField()  # of them positive: the document counts as an order
    # Unconstrained numeric in the database, so sums are exactly those of the view.
    revenue = models.DecimalField(max_digits=30, decimal_places=10)
    cost = models.DecimalField(max_digits=30, decimal_places=10)

    class Meta:
        abstract = True


class DailySale(SalesSummary):
    """Sales facts per local day, product and document (and the document's location, customer,
    channel and payment method): what reports grouped or filtered by product read."""

    product = models.ForeignKey(
        "products.Product", on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )

    class Meta:
        db_table = "reports_dailysale"

    def __str__(self):
        return f"{self.day} {self.document} {self.product_id}"


class DailyOrderSale(SalesSummary):
    """Sales facts per local day and document, all products together: about a third of the
    rows of `DailySale`, for totals and groupings that do not involve products."""

    class Meta:
        db_table = "reports_dailyordersale"

    def __str__(self):
        return f"{self.day} {self.document}"


class DailyAdjustment(models.Model):
    """Stock adjustments and counts per product, local day (settings.TIME_ZONE) and location,
    summed from the ledger: what the unusual-days report reads for one location. Kept by a
    trigger on the ledger in the writer's own transaction (migration 0007), never written by
    Python."""

    product = models.ForeignKey(
        "products.Product", on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    day = models.DateField()
    location = models.ForeignKey(
        "stock.Location", on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    quantity = models.DecimalField(**QUANTITY)  # stock added positive, taken negative
    movements = models.IntegerField()  # ledger rows summed here

    class Meta:
        db_table = "reports_dailyadjustment"

    def __str__(self):
        return f"{self.day} {self.product_id} {self.location_id} {self.quantity}"


class DailyProductAdjustment(models.Model):
    """The same over all locations, per product and local day: what the report reads when no
    location is chosen (half the rows). Kept by the same trigger."""

    product = models.ForeignKey(
        "products.Product", on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    day = models.DateField()
    quantity = models.DecimalField(**QUANTITY)
    movements = models.IntegerField()

    class Meta:
        db_table = "reports_dailyproductadjustment"

    def __str__(self):
        return f"{self.day} {self.product_id} {self.quantity}"


# Stored forecasts live in their own module (one concern each); Django finds them here.
from .models_forecast import ForecastRun, ProductForecast  # noqa: E402

__all__ = [
    "DailyAdjustment",
    "DailyOrderSale",
    "DailyProductAdjustment",
    "DailySale",
    "ForecastRun",
    "ImportBatch",
    "ImportedSale",
    "ProductForecast",
    "SalesFact",
]
from .models_snapshots import StockSnapshot, StockSnapshotLine  # noqa: E402, F401
