"""Stock snapshots: the ledger summed up to a moment, per product and location, so a report about
a past day reads the nearest snapshot before it plus the few movements in between instead of
replaying the whole ledger (see reports/snapshots.py, which alone writes them).

Each line holds what the ledger said at the snapshot's moment: the quantity held, the units
sold to date (sales less customer returns) and their cost, the last sale and the last receipt,
and the product's moving-average cost (the same on every line of a product). A line exists for
every product and location the ledger ever touched before that moment, even at zero stock.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from stock.models import COST, QUANTITY


class StockSnapshot(models.Model):
    class Kind(models.TextChoices):
        QUARTER = "quarter", _("start of a quarter")
        DAY = "day", _("start of the latest day")

    as_of = models.DateTimeField(_("as of"), unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    # Not to be read: being written, or a movement dated before `as_of` arrived after it was
    # (the ledger's insert trigger sets it, see migration 0006); the next refresh rebuilds it.
    stale = models.BooleanField(_("stale"), default=True)
    written_at = models.DateTimeField(_("written"), auto_now=True)

    class Meta:
        verbose_name = _("stock snapshot")
        verbose_name_plural = _("stock snapshots")
        ordering = ["as_of"]

    def __str__(self):
        return f"{self.as_of:%Y-%m-%d %H:%M} ({self.kind}{', stale' if self.stale else ''})"


class StockSnapshotLine(models.Model):
    # Written in bulk by one statement and read by snapshot: no foreign-key checks, no index
    # but the primary key (snapshot, product, location).
    pk = models.CompositePrimaryKey("snapshot", "product", "location")
    snapshot = models.ForeignKey(
        StockSnapshot, on_delete=models.DO_NOTHING, related_name="lines", db_constraint=False,
        db_index=False,
    )  # fmt: skip
    product = models.ForeignKey(
        "products.Product", on_delete=models.DO_NOTHING, related_name="+", db_constraint=False,
        db_index=False,
    )  # fmt: skip
    location = models.ForeignKey(
        "stock.Location", on_delete=models.DO_NOTHING, related_name="+", db_constraint=False,
        db_index=False,
    )  # fmt: skip
    quantity = models.DecimalField(**QUANTITY)
    sold_quantity = models.DecimalField(**QUANTITY)
    sold_cost = models.DecimalField(max_digits=24, decimal_places=4)
    last_sale = models.DateTimeField(null=True)
    last_receipt = models.DateTimeField(null=True)
    average_cost = models.DecimalField(**COST, null=True)

    def __str__(self):
        return f"{self.snapshot_id}: {self.product_id} @ {self.location_id} {self.quantity}"
