"""Reorder suggestions: the stored forecast against today's stock, per product and location.

The forecast is the latest run's (reports.models_forecast.ProductForecast); stock, reservations
and open purchase orders are read live, so a receipt or a sale since the run shows at once.
A product's forecast goes to its locations by their share of its recent sales (top-down: one
forecast per product, split). Each location's forecast error is the product's scaled by the
square root of the share, as for independent demand at each location: the safety stocks of
the locations add up to more than one pooled safety stock would, as they really must.

Five queries whatever the number of products: forecasts (with products), supplier terms, stock
levels, purchase order lines and locations.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import numpy as np
from django.db.models import Case, F, IntegerField, QuerySet, Sum, Value, When
from django.utils import timezone

from products.models import Product
from stock.models import Location, StockLevel
from suppliers.models import SupplierProduct

from ..forecasting import ReorderAdvice, reorder_advice
from ..forecasting.backtest import ACCURACY_LABELS
from ..models import ProductForecast

SERVICE_LEVELS = (0.90, 0.95, 0.975, 0.99)
DEFAULT_SERVICE_LEVEL = 0.95
DEFAULT_REVIEW_DAYS = 7
DEFAULT_LEAD_DAYS = 7  # for a product no supplier offers: only its run-out date is shown
PERIOD_DAYS = 7.0
LINE_LIMIT = 1000  # suggestions shown at once; filters narrow the rest


@dataclass(frozen=True)
class SupplierTerms:
    """Where a product is bought: its preferred supplier's catalogue entry, else the first
    active supplier offering it."""

    supplier_id: int
    supplier_name: str
    lead_days: int
    moq: Decimal
    price: Decimal


@dataclass(frozen=True)
class Suggestion:
    """One product at one location: the reasoning and the suggested order."""

    product: Product
    location: Location
    share: float  # the location's share of the product's demand
    stored: ProductForecast
    terms: SupplierTerms | None
    weekly_demand: float  # forecast demand over the next seven days at this location
    advice: ReorderAdvice
    ordered: Decimal  # outstanding on ordered or partly received purchase orders
    in_drafts: Decimal  # on draft purchase orders not yet sent

    @property
    def key(self) -> str:
        return f"{self.product.pk}-{self.location.pk}"

    @property
    def orderable(self) -> bool:
        return self.terms is not None

    @property
    def suggested(self) -> Decimal:
        return decimal_qty(self.advice.suggested)

    @property
    def accuracy_label(self):
        return ACCURACY_LABELS.get(self.stored.accuracy, self.stored.accuracy)

    @property
    def lead_days(self) -> int | None:
        return self.terms.lead_days if self.terms else None

    @property
    def runs_out_before_delivery(self) -> bool:
        """Stock runs out before an order placed today would arrive."""
        cover = self.advice.days_of_cover
        return cover is not None and cover < (self.lead_days or DEFAULT_LEAD_DAYS)


def decimal_qty(value: float) -> Decimal:
    """A float quantity as the 3-decimal Decimal that stock quantities are."""
    return Decimal(f"{value:.3f}").normalize() + Decimal(0)


def forecast_from(stored: ProductForecast, today: date) -> np.ndarray:
    """The stored weekly forecast re-cut into weeks that start `today` (the engine's rule:
    forecast[0] is the period starting today). Days already past are dropped; each stored
    week's demand is spread evenly over its days; past the horizon the last rate carries on."""
    weeks = np.clip(np.asarray(stored.forecast, dtype=float), 0.0, None)
    if weeks.size == 0:
        return weeks
    daily = np.repeat(weeks / PERIOD_DAYS, int(PERIOD_DAYS))
    offset = max(0, (today - stored.forecast_start).days)
    daily = daily[offset:] if offset < daily.size else daily[-1:]
    whole = math.ceil(daily.size / PERIOD_DAYS) * int(PERIOD_DAYS)
    daily = np.concatenate([daily, np.full(whole - daily.size, daily[-1])])
    return daily.reshape(-1, int(PERIOD_DAYS)).sum(axis=1)


def supplier_terms(products: QuerySet) -> dict[int, SupplierTerms]:
    """product id -> where to buy it, for the products of `products` (one query)."""
    rows = (
        SupplierProduct.objects.filter(product__in=products, supplier__is_active=True)
        .annotate(
            rank=Case(
                When(supplier_id=F("product__preferred_supplier_id"), then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .order_by("product_id", "rank", "supplier__name", "pk")
        .values(
            "product_id", "supplier_id", "supplier__name", "lead_time_days",
            "min_order_quantity", "purchase_price",
        )
    )  # fmt: skip
    terms: dict[int, SupplierTerms] = {}
    for row in rows:
        terms.setdefault(
            row["product_id"],
            SupplierTerms(
                supplier_id=row["supplier_id"],
                supplier_name=row["supplier__name"],
                lead_days=row["lead_time_days"],
                moq=row["min_order_quantity"],
                price=row["purchase_price"],
            ),
        )
    return terms


def on_order(products: QuerySet) -> dict[tuple[int, int], tuple[Decimal, Decimal]]:
    """(product id, location id) -> (outstanding on sent orders, quantity on drafts)."""
    from orders.models import PurchaseOrder, PurchaseOrderLine

    statuses = PurchaseOrder.Status
    rows = (
        PurchaseOrderLine.objects.filter(
            product__in=products,
            order__status__in=[statuses.DRAFT, statuses.ORDERED, statuses.PARTIALLY_RECEIVED],
        )
        .values("product_id", "order__location_id", "order__status")
        .annotate(outstanding=Sum(F("quantity") - F("received_quantity")))
        .order_by()
    )
    found: dict[tuple[int, int], list[Decimal]] = defaultdict(lambda: [Decimal(0), Decimal(0)])
    for row in rows:
        slot = 1 if row["order__status"] == statuses.DRAFT else 0
        found[(row["product_id"], row["order__location_id"])][slot] += row["outstanding"]
    return {key: (value[0], value[1]) for key, value in found.items()}


def stored_forecasts(
    *, category_ids=None, supplier=None, product=None
) -> QuerySet[ProductForecast]:
    """Stored forecasts of active products, narrowed by category (ids, subcategories given),
    supplier (products in its catalogue) and product."""
    forecasts = ProductForecast.objects.filter(product__is_active=True)
    if category_ids is not None:
        forecasts = forecasts.filter(product__category_id__in=category_ids)
    if supplier is not None:
        forecasts = forecasts.filter(
            product_id__in=SupplierProduct.objects.filter(supplier=supplier).values("product_id")
        )
    if product is not None:
        forecasts = forecasts.filter(product=product)
    return forecasts


def reorder_suggestions(
    *,
    location: Location | None = None,
    supplier=None,
    category_ids=None,
    product: Product | None = None,
    service_level: float = DEFAULT_SERVICE_LEVEL,
    review_days: float = DEFAULT_REVIEW_DAYS,
    only_orders: bool = True,
    today: date | None = None,
    limit: int | None = LINE_LIMIT,
) -> list[Suggestion]:
    """Suggestions per product and location from the stored forecasts and live stock (five
    queries), sorted by supplier, then by the date stock runs out.

    `supplier` keeps the lines bought from that supplier; `only_orders` keeps the lines that
    should be ordered. Locations that never sold the product get no line.
    """
    today = today or timezone.localdate()
    forecasts = stored_forecasts(category_ids=category_ids, supplier=supplier, product=product)
    products = forecasts.values("product_id")
    rows = list(forecasts.select_related("product", "product__category").order_by("product__sku"))
    terms = supplier_terms(products)
    levels = {
        (row["product_id"], row["location_id"]): row["on_hand"] - row["reserved"]
        for row in StockLevel.objects.filter(product__in=products).values(
            "product_id", "location_id", "on_hand", "reserved"
        )
    }
    ordered = on_order(products)
    locations = Location.objects.filter(is_active=True).in_bulk()
    suggestions = []
    for stored in rows:
        term = terms.get(stored.product_id)
        if supplier is not None and (term is None or term.supplier_id != supplier.pk):
            continue
        weekly = forecast_from(stored, today)
        for location_key, share in stored.location_shares.items():
            place = locations.get(int(location_key))
            if place is None or share <= 0 or (location is not None and place.pk != location.pk):
                continue
            sent, drafted = ordered.get((stored.product_id, place.pk), (Decimal(0), Decimal(0)))
            available = levels.get((stored.product_id, place.pk), Decimal(0))
            advice = reorder_advice(
                forecast=weekly * share,
                sigma=stored.sigma * math.sqrt(share),
                period_days=PERIOD_DAYS,
                lead_days=term.lead_days if term else DEFAULT_LEAD_DAYS,
                review_days=review_days,
                service_level=service_level,
                available=float(available),
                on_order=float(sent + drafted),
                moq=float(term.moq) if term else 0.0,
                today=today,
            )
            if only_orders and not advice.should_order:
                continue
            suggestions.append(
                Suggestion(
                    product=stored.product, location=place, share=share, stored=stored,
                    terms=term, weekly_demand=float(weekly[0] * share) if weekly.size else 0.0,
                    advice=advice, ordered=sent, in_drafts=drafted,
                )
            )  # fmt: skip
    suggestions.sort(
        key=lambda s: (
            s.terms is None,
            s.terms.supplier_name.lower() if s.terms else "",
            s.advice.run_out or date.max,
            s.product.sku,
            s.location.name,
        )
    )
    return suggestions[:limit] if limit else suggestions


def by_supplier(suggestions: list[Suggestion]) -> list[tuple[SupplierTerms | None, list]]:
    """The suggestions in groups per supplier (those without one last), order kept."""
    groups: dict[int | None, list[Suggestion]] = {}
    heads: dict[int | None, SupplierTerms | None] = {}
    for suggestion in suggestions:
        key = suggestion.terms.supplier_id if suggestion.terms else None
        groups.setdefault(key, []).append(suggestion)
        heads.setdefault(key, suggestion.terms)
    return [(heads[key], lines) for key, lines in groups.items()]
