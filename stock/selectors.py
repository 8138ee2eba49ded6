"""Reads of stock that pages, reports, the API and checks share."""

from dataclasses import dataclass
from decimal import Decimal

from django.db import connection
from django.db.models import F, Q, QuerySet, Sum
from django.db.models.functions import Coalesce

from products.models import Product

from .models import Location, StockLevel, StockMovement

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
    """Products with on hand, reserved and available summed over `location_ids` (all if None).

    One query for the page: the sums are a grouped join, not a query per product.
    """
    scope = Q(stock_levels__location_id__in=location_ids) if location_ids else Q()
    return Product.objects.select_related("category").annotate(
        on_hand=Coalesce(Sum("stock_levels__on_hand", filter=scope), Decimal(0)),
        reserved=Coalesce(Sum("stock_levels__reserved", filter=scope), Decimal(0)),
        available=F("on_hand") - F("reserved"),
    )


def product_stock(product: Product) -> list[StockLevel]:
    """The product's stock per location (locations that ever held it), by location name."""
    return list(
        StockLevel.objects.filter(product=product)
        .select_related("location")
        .order_by("location__name")
    )


def movement_list() -> QuerySet[StockMovement]:
    """Ledger rows with what the history page and its export show."""
    return StockMovement.objects.select_related(
        "product", "from_location", "to_location", "user"
    ).order_by("-created_at", "-pk")


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
