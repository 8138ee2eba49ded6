"""Reads of stock that pages, reports, the API and checks share."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from django.db import connection
from django.db.models import (
    BigIntegerField,
    DecimalField,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce

from products.models import Product

from .models import Location, LocationMinimum, StockLevel, StockMovement, StockTotal

QUANTITY_FIELD = DecimalField(max_digits=14, decimal_places=3)

LEDGER_MISMATCHES = """
WITH ledger AS (
    SELECT product_id, location_id, SUM(change) AS total
    FROM (
        SELECT product_id, to_location_id AS location_id, quantity AS change
        FROM stock_stockmovement WHERE to_location_id IS NOT NULL
        UNION ALL
        SELECT product_id, from_location_id, -quantity
        FROM stock_stockmovement WHERE from_location_id IS NOT NULL
    ) AS changes
    GROUP BY product_id, location_id
)
SELECT COALESCE(l.product_id, g.product_id), COALESCE(l.location_id, g.location_id),
       COALESCE(l.on_hand, 0), COALESCE(g.total, 0), COALESCE(l.reserved, 0)
FROM stock_stocklevel AS l
FULL OUTER JOIN ledger AS g ON g.product_id = l.product_id AND g.location_id = l.location_id
WHERE COALESCE(l.on_hand, 0) <> COALESCE(g.total, 0)
   OR COALESCE(l.reserved, 0) > COALESCE(l.on_hand, 0)
   OR COALESCE(l.on_hand, 0) < 0
ORDER BY 1, 2
"""


@dataclass(frozen=True)
class Mismatch:
    product_id: int
    location_id: int
    on_hand: Decimal
    ledger: Decimal
    reserved: Decimal


def stock_mismatches() -> list[Mismatch]:
    """Return every (product, location) whose level differs from the sum of its ledger rows,
    or whose reservation exceeds what is on hand (one query, aggregated in PostgreSQL)."""
    with connection.cursor() as cursor:
        cursor.execute(LEDGER_MISMATCHES)
        return [Mismatch(*row) for row in cursor.fetchall()]


TOTAL_MISMATCHES = """
SELECT COALESCE(p.id, t.product_id), t.available, COALESCE(l.total, 0),
       t.reorder_point, p.reorder_point, t.is_active, p.is_active
FROM products_product AS p
FULL OUTER JOIN stock_stocktotal AS t ON t.product_id = p.id
LEFT JOIN (SELECT product_id, SUM(on_hand - reserved) AS total
           FROM stock_stocklevel GROUP BY product_id) AS l
       ON l.product_id = COALESCE(p.id, t.product_id)
WHERE p.id IS NULL OR t.product_id IS NULL
   OR t.available <> COALESCE(l.total, 0)
   OR t.reorder_point <> p.reorder_point OR t.is_active <> p.is_active
ORDER BY 1
"""


@dataclass(frozen=True)
class TotalMismatch:
    """A product whose StockTotal row is missing (None), left behind, or disagrees."""

    product_id: int
    total: Decimal | None  # what StockTotal says is available
    levels: Decimal  # what the product's levels add up to
    reorder_point: Decimal | None  # StockTotal's copy ...
    product_reorder_point: Decimal | None  # ... and the product's own (None: product gone)
    is_active: bool | None
    product_is_active: bool | None


def stock_total_mismatches() -> list[TotalMismatch]:
    """Return every product whose StockTotal differs from the sum of its levels' available
    stock or from its own reorder point and active flag, or has none (one query)."""
    with connection.cursor() as cursor:
        cursor.execute(TOTAL_MISMATCHES)
        return [TotalMismatch(*row) for row in cursor.fetchall()]


def is_restricted(user) -> bool:
    """Whether `user` may move stock only at assigned locations."""
    return not user.has_perm("stock.work_any_location") and user.locations.exists()


def locations_for(user) -> QuerySet[Location]:
    """Active locations `user` works at: all for managers, admins and unassigned staff;
    otherwise the assigned ones (pages default to these, services enforce them)."""
    active = Location.objects.filter(is_active=True).order_by("name")
    if user.has_perm("stock.work_any_location"):
        return active
    assigned = active.filter(users=user)
    return assigned if assigned.exists() else active


def stock_overview(location_ids: list[int] | None = None) -> QuerySet[Product]:
    """Products with on hand, reserved and available summed over `location_ids` (all if None),
    and the alias `held` (some stock on hand there), for the "only in stock" filter.

    Each sum is a correlated subquery on the (product, location) index, so a page costs a few
    index look-ups per product shown, and counting the products sums nothing: the page is
    chosen first, then only its products are summed (one query for the page).
    """
    levels = StockLevel.objects.filter(product=OuterRef("pk")).order_by()
    if location_ids:
        levels = levels.filter(location_id__in=location_ids)

    def summed(expression) -> Coalesce:
        total = levels.values("product").annotate(total=Sum(expression)).values("total")
        return Coalesce(Subquery(total), Decimal(0), output_field=QUANTITY_FIELD)

    return Product.objects.annotate(
        on_hand=summed("on_hand"),
        reserved=summed("reserved"),
        available=summed(F("on_hand") - F("reserved")),
    ).alias(held=Exists(levels.filter(on_hand__gt=0)))


def product_stock(product: Product) -> list[StockLevel]:
    """The product's stock per location (locations that ever held it), by location name, with
    the location's own reorder point (`minimum`, None if it has none)."""
    minimum = LocationMinimum.objects.filter(
        product=OuterRef("product"), location=OuterRef("location")
    ).values("reorder_point")[:1]
    return list(
        StockLevel.objects.filter(product=product)
        .select_related("location")
        .annotate(minimum=Subquery(minimum))
        .order_by("location__name")
    )


def movement_list() -> QuerySet[StockMovement]:
    """Ledger rows with what the history page and its export show."""
    return StockMovement.objects.select_related(
        "product", "from_location", "to_location", "user"
    ).order_by("-created_at", "-pk")


EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def movement_cursor(movement: StockMovement) -> str:
    """The keyset position of `movement`: "<microseconds since 1970>-<id>", exact and URL-safe."""
    since = movement.created_at - EPOCH
    micros = (since.days * 86_400 + since.seconds) * 1_000_000 + since.microseconds
    return f"{micros}-{movement.pk}"


def _position(cursor: str) -> tuple[datetime, int]:
    micros, _dash, pk = cursor.partition("-")
    if not (micros.isdigit() and pk.isdigit()) or len(micros) > 17 or len(pk) > 18:
        raise ValueError(f"Not a movement cursor: {cursor!r}")
    return EPOCH + timedelta(microseconds=int(micros)), int(pk)


@dataclass(frozen=True)
class MovementPage:
    """A page of the ledger, newest first, with the cursors of its neighbours (None: none)."""

    movements: list[StockMovement]
    newer: str | None  # pass as `after` for the newer page
    older: str | None  # pass as `before` for the older page


def movement_page(
    movements: QuerySet[StockMovement], *, before: str = "", after: str = "", size: int = 50
) -> MovementPage:
    """Return up to `size` of `movements` newest first by (created_at, id): those just older
    than the cursor `before`, or just newer than `after`, else the newest (one query).

    Keyset pagination: every page, however deep, is an index range scan of `size` + 1 rows, and
    nothing counts the ledger (two million rows and growing). Raise ValueError for a cursor
    that `movement_cursor` did not make.
    """
    if before:
        at, pk = _position(before)
        rows = movements.filter(Q(created_at__lt=at) | Q(created_at=at, pk__lt=pk))
        # The redundant bound lets PostgreSQL start the index scan at the cursor.
        rows = list(rows.filter(created_at__lte=at).order_by("-created_at", "-pk")[: size + 1])
        more, rows = len(rows) > size, rows[:size]
        return MovementPage(
            rows,
            newer=movement_cursor(rows[0]) if rows else None,
            older=movement_cursor(rows[-1]) if more else None,
        )
    if after:
        at, pk = _position(after)
        rows = movements.filter(Q(created_at__gt=at) | Q(created_at=at, pk__gt=pk))
        rows = list(rows.filter(created_at__gte=at).order_by("created_at", "pk")[: size + 1])
        more, rows = len(rows) > size, rows[:size][::-1]
        return MovementPage(
            rows,
            newer=movement_cursor(rows[0]) if more else None,
            older=movement_cursor(rows[-1]) if rows else None,
        )
    rows = list(movements.order_by("-created_at", "-pk")[: size + 1])
    more, rows = len(rows) > size, rows[:size]
    return MovementPage(rows, newer=None, older=movement_cursor(rows[-1]) if more else None)


@dataclass
class CountRow:
    product: Product
    on_hand: Decimal


COUNT_SHEET_LIMIT = 300


def count_sheet(location: Location, category_id: int | None = None) -> list[CountRow]:
    """The products to count at `location`: those in `category` (and below) if given, else
    those the location holds or ever held; with what the books say is on hand (one query)."""
    from products.selectors import category_descendant_ids

    products = Product.objects.filter(is_active=True)
    if category_id:
        products = products.filter(category_id__in=category_descendant_ids([category_id]))
    else:
        products = products.filter(stock_levels__location=location)
    held = Sum("stock_levels__on_hand", filter=Q(stock_levels__location=location))
    rows = products.annotate(held=Coalesce(held, Decimal(0))).order_by("sku")[:COUNT_SHEET_LIMIT]
    return [CountRow(product, product.held) for product in rows]


@dataclass
class LowStockRow:
    """A product at or below a reorder point: over all locations (`location` None) or at one."""

    product: Product
    location: Location | None
    available: Decimal
    reorder_point: Decimal
    on_order: Decimal = Decimal(0)  # outstanding on open purchase orders (for the location)

    @property
    def shortfall(self) -> Decimal:
        """What it takes to get back to the reorder point."""
        return self.reorder_point - self.available


def low_stock(
    *, location_id: int | None = None, products: QuerySet[Product] | None = None
) -> QuerySet:
    """Rows (product_id, location_id, available, reorder_point, urgency) for everything at or
    below its reorder point: active products over all locations, and products at locations
    with their own reorder point; the most urgent (least available per reorder point) first.

    `products` narrows the products (a filtered queryset); `location_id` keeps only the rows of
    that location. One UNION query; `low_stock_rows` turns a page of it into LowStockRow.

    The totals over all locations come from StockTotal (kept by the database with every level
    and product change): the low ones are a partial index, no level is summed. Pages still take
    all the (few) low rows in one query and count them in Python rather than run it twice.
    """
    products = Product.objects.all() if products is None else products
    narrowed = products.query.has_filters()
    products = products.filter(is_active=True)
    free = F("on_hand") - F("reserved")
    # The partial index stock_total_low_idx holds exactly these rows (a few hundred of 100k).
    totals = StockTotal.objects.filter(
        is_active=True, reorder_point__gt=0, available__lte=F("reorder_point")
    )
    if narrowed:
        # Only when narrowed: PostgreSQL cannot estimate available <= reorder_point and would
        # hash-join every product for a few hundred rows.
        totals = totals.filter(product__in=products.values("pk"))
    totals = (
        totals.annotate(
            pk=F("product_id"),
            location_id=Value(None, output_field=BigIntegerField()),
            point=F("reorder_point"),
            urgency=F("available") / F("reorder_point"),
        )
        .values("pk", "location_id", "available", "point", "urgency")
        .order_by()
    )
    here = StockLevel.objects.filter(product=OuterRef("product"), location=OuterRef("location"))
    minimums = (
        LocationMinimum.objects.filter(product__in=products.values("pk"))
        .annotate(
            available=Coalesce(
                Subquery(here.values(free=free)[:1]), Decimal(0), output_field=QUANTITY_FIELD
            ),
            point=F("reorder_point"),
            urgency=F("available") / F("reorder_point"),
        )
        .filter(available__lte=F("reorder_point"))
        .values("product_id", "location_id", "available", "point", "urgency")
        .order_by()
    )
    if location_id:
        return minimums.filter(location_id=location_id).order_by("urgency", "product_id")
    return totals.union(minimums, all=True).order_by("urgency", "pk", "location_id")


def low_stock_rows(rows: Iterable[dict]) -> list[LowStockRow]:
    """LowStockRow objects for rows of `low_stock`, with what is on order (three queries:
    products, locations, open purchase order lines)."""
    from orders.models import PurchaseOrder, PurchaseOrderLine

    rows = list(rows)
    product_ids = {row.get("pk") or row.get("product_id") for row in rows}
    products = Product.objects.select_related("category", "preferred_supplier").in_bulk(product_ids)
    locations = Location.objects.in_bulk({row["location_id"] for row in rows} - {None})
    open_statuses = [PurchaseOrder.Status.ORDERED, PurchaseOrder.Status.PARTIALLY_RECEIVED]
    on_order: dict[tuple[int, int | None], Decimal] = {}
    for item in (
        PurchaseOrderLine.objects.filter(order__status__in=open_statuses, product__in=product_ids)
        .values("product_id", "order__location_id")
        .annotate(outstanding=Sum(F("quantity") - F("received_quantity")))
    ):
        for key in ((item["product_id"], item["order__location_id"]), (item["product_id"], None)):
            on_order[key] = on_order.get(key, Decimal(0)) + item["outstanding"]
    result = []
    for row in rows:
        product_id = row.get("pk") or row.get("product_id")
        result.append(
            LowStockRow(
                product=products[product_id],
                location=locations.get(row["location_id"]),
                available=row["available"],
                reorder_point=row["point"],
                on_order=on_order.get((product_id, row["location_id"]), Decimal(0)),
            )
        )
    return result


def stock_value(location_ids: list[int] | None = None) -> Decimal:
    """On-hand stock valued at each product's moving-average unit cost (one query)."""
    levels = StockLevel.objects.all()
    if location_ids:
        levels = levels.filter(location_id__in=location_ids)
    total = levels.aggregate(
        value=Sum(F("on_hand") * F("product__cost_price"), output_field=DecimalField())
    )["value"]
    return total or Decimal(0)
