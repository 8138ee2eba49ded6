"""Low-stock alerts, checked inside every stock service's transaction after the level change.

A product is low when its available stock (on hand minus reserved) over all locations is at or
below its reorder point (when it has one above zero), or when its available stock at a location
is at or below that location's own reorder point (LocationMinimum). A change that lowers
available stock and leaves it low announces it, unless it was announced already: an in-app
notification for each manager, then an email after commit; a LowStockAlert row records it and
is removed once stock is above the point again, so every crossing alerts once. A change that
raises stock never announces (a receipt that leaves a product still low is the remedy under
way, not news); the low-stock page lists such products all the same.

Two transactions changing the same product at different locations would each miss the other's
uncommitted change, so the check runs under a per-product advisory lock, taken after every row
lock of the caller (nothing waits for a row lock while holding it, so it cannot deadlock).
Under it, each check reads every change committed before it: the checks happen in a serial order.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.db import connection
from django.db.models import DecimalField, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.models import Notification
from accounts.notifications import managers, notify
from integrations.events import low_stock_announced

from .models import LocationMinimum, LowStockAlert, StockLevel

LOCK_CLASS = 74201  # pg_advisory_xact_lock(LOCK_CLASS, product id): "low-stock check of product"
ZERO = Decimal(0)
QUANTITY_FIELD = DecimalField(max_digits=14, decimal_places=3)


def _lock_products(product_ids: list[int]) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_advisory_xact_lock(%s, (k %% 2147483647)::int) "
            "FROM (SELECT k FROM unnest(%s::bigint[]) AS k ORDER BY k) AS keys",
            [LOCK_CLASS, product_ids],
        )


# Per product: what the check needs, in one statement (it runs inside every stock change).
PRODUCTS_SQL = """
SELECT p.id, p.sku, p.name, p.is_active, p.reorder_point,
       COALESCE((SELECT SUM(l.on_hand - l.reserved) FROM stock_stocklevel l
                 WHERE l.product_id = p.id), 0),
       EXISTS (SELECT 1 FROM stock_lowstockalert a
               WHERE a.product_id = p.id AND a.location_id IS NULL),
       EXISTS (SELECT 1 FROM stock_locationminimum m WHERE m.product_id = p.id)
       OR EXISTS (SELECT 1 FROM stock_lowstockalert a
                  WHERE a.product_id = p.id AND a.location_id IS NOT NULL)
FROM products_product p
WHERE p.id = ANY(%s)
"""


@dataclass(frozen=True)
class _ProductState:
    pk: int
    sku: str
    name: str
    is_active: bool
    reorder_point: Decimal
    total: Decimal  # available over all locations
    alerted: bool  # announced as low over all locations
    per_location: bool  # has reorder points of its own at locations (or alerts there)


def _plain(value: Decimal) -> str:
    return format(Decimal(value).normalize(), "f")


def low_stock_watch(
    changes: Iterable[tuple[int, int, Decimal]], occurred_at: datetime | None = None
) -> list[LowStockAlert]:
    """Bring alerts up to date after `changes`, each (product id, location id, change of
    available stock there), made at `occurred_at` (now if None); return the alerts that just
    fired."""
    lowered = {}  # (product id, location id or None) -> net change
    for product_id, location_id, change in changes:
        for key in ((product_id, location_id), (product_id, None)):
            lowered[key] = lowered.get(key, ZERO) + change
    ids = sorted({product_id for product_id, _location in lowered})
    if not ids:
        return []
    _lock_products(ids)
    with connection.cursor() as cursor:
        cursor.execute(PRODUCTS_SQL, [ids])
        products = {row[0]: _ProductState(*row) for row in cursor.fetchall()}
    low = {}  # (product id, location or None) -> (available, reorder point, location)
    current = set()  # the keys announced already
    for product in products.values():
        point = product.reorder_point
        if product.is_active and point > 0 and product.total <= point:
            low[(product.pk, None)] = (product.total, point, None)
        if product.alerted:
            current.add((product.pk, None))
    with_locations = [pk for pk, product in products.items() if product.per_location]
    if with_locations:
        _watch_locations(with_locations, products, low, current)
    recovered = Q()
    for product_id, location_id in current - low.keys():
        recovered |= Q(product_id=product_id, location_id=location_id)
    if recovered:
        LowStockAlert.objects.filter(recovered).delete()
    when = {"created_at": occurred_at} if occurred_at else {}
    fired = LowStockAlert.objects.bulk_create(
        [
            LowStockAlert(
                product_id=key[0], location_id=key[1], available=free, reorder_point=point, **when
            )
            for key, (free, point, _location) in low.items()
            if key not in current and lowered.get(key, ZERO) < 0
        ]
    )
    if fired:
        recipients = list(managers())
        for alert in fired:
            free, point, location = low[(alert.product_id, alert.location_id)]
            _announce(products[alert.product_id], location, free, point, recipients, occurred_at)
        low_stock_announced(fired, products, low)
    return fired


def _watch_locations(product_ids, products, low, current) -> None:
    """Add the low locations of these products to `low`, and their alerts to `current`."""
    here = StockLevel.objects.filter(product=OuterRef("product"), location=OuterRef("location"))
    minimums = (
        LocationMinimum.objects.filter(product_id__in=product_ids)
        .select_related("location")
        .annotate(
            available=Coalesce(
                Subquery(here.values(free=F("on_hand") - F("reserved"))[:1]),
                ZERO,
                output_field=QUANTITY_FIELD,
            )
        )
    )
    for minimum in minimums:
        if products[minimum.product_id].is_active and minimum.available <= minimum.reorder_point:
            key = (minimum.product_id, minimum.location_id)
            low[key] = (minimum.available, minimum.reorder_point, minimum.location)
    current.update(
        LowStockAlert.objects.filter(
            product_id__in=product_ids, location__isnull=False
        ).values_list("product_id", "location_id")
    )


def _announce(product, location, available, reorder_point, recipients, occurred_at) -> None:
    values = {
        "product": f"{product.name} ({product.sku})",
        "available": _plain(available),
        "point": _plain(reorder_point),
    }
    if location is None:
        text = _("Low stock: %(product)s, %(available)s available, reorder point %(point)s.")
    else:
        values["location"] = location.name
        text = _(
            "Low stock at %(location)s: %(product)s, %(available)s available, "
            "reorder point %(point)s."
        )
    notify(
        recipients,
        kind=Notification.Kind.LOW_STOCK,
        text=text % values,
        link=reverse("products:product_detail", args=[product.pk]),
        created_at=occurred_at,
    )
