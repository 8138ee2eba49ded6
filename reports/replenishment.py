"""From reorder suggestions to draft purchase orders, in one step and all or nothing."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from orders.models import PurchaseOrder
from orders.services.common import OrderError
from orders.services.purchasing import PurchaseLine, purchase_order_create
from products.models import Product
from stock.models import Location
from suppliers.models import Supplier

from .selectors.replenishment import supplier_terms

MAX_QUANTITY = Decimal("99999999")


@dataclass(frozen=True)
class OrderLine:
    """A quantity of a product to order for a location."""

    product_id: int
    location_id: int
    quantity: Decimal

    @property
    def key(self) -> str:
        return f"{self.product_id}-{self.location_id}"


class ReplenishmentError(Exception):
    """A line that cannot be ordered: `key` names it ("<product id>-<location id>"), or is
    empty when the request as a whole is wrong."""

    def __init__(self, message: str, key: str = ""):
        super().__init__(message)
        self.message, self.key = message, key


def order_quantity(value) -> Decimal:
    """A quantity as typed: positive, at most three decimals, not absurdly large; else
    ReplenishmentError with the reason (no key: the caller knows the line)."""
    try:
        quantity = Decimal(str(value).strip().replace(",", ""))
    except (InvalidOperation, ValueError):
        raise ReplenishmentError(_("Enter a number.")) from None
    if not quantity.is_finite():
        raise ReplenishmentError(_("Enter a number."))
    if quantity <= 0:
        raise ReplenishmentError(_("Order more than zero."))
    if quantity > MAX_QUANTITY:
        raise ReplenishmentError(_("That is more than can be ordered at once."))
    if quantity != quantity.quantize(Decimal("0.001")):
        raise ReplenishmentError(_("Use at most three decimals."))
    return quantity


@transaction.atomic
def replenishment_orders_create(*, actor: User, lines: Iterable[OrderLine]) -> list[PurchaseOrder]:
    """Create one draft purchase order per supplier and destination location for `lines`;
    return them, by number.

    Each product is bought from its preferred supplier when that supplier lists it, else from
    the first active supplier that does (as the suggestions say); unit costs are that
    supplier's catalogue prices; each order is expected after the longest lead time on it.
    All or nothing: a line whose product, location or supplier is missing raises
    ReplenishmentError naming it and no order is created.
    """
    lines = list(lines)
    if not lines:
        raise ReplenishmentError(_("Choose at least one line to order."))
    keys = [line.key for line in lines]
    if len(keys) != len(set(keys)):
        raise ReplenishmentError(_("A product appears twice for the same location."))
    products = Product.objects.in_bulk({line.product_id for line in lines})
    locations = Location.objects.filter(is_active=True).in_bulk({ln.location_id for ln in lines})
    terms = supplier_terms(Product.objects.filter(pk__in=list(products)))
    groups: dict[tuple[int, int], list[OrderLine]] = defaultdict(list)
    for line in lines:
        if line.product_id not in products or not products[line.product_id].is_active:
            raise ReplenishmentError(_("This product is not in the catalogue."), line.key)
        if line.location_id not in locations:
            raise ReplenishmentError(_("This location does not take deliveries."), line.key)
        if line.product_id not in terms:
            raise ReplenishmentError(
                _("No supplier offers this product: add it to a supplier's catalogue first."),
                line.key,
            )
        order_quantity(line.quantity)
        groups[(terms[line.product_id].supplier_id, line.location_id)].append(line)
    suppliers = Supplier.objects.in_bulk({supplier for supplier, _location in groups})
    today = timezone.localdate()
    orders = []
    for (supplier_id, location_id), group in sorted(groups.items()):
        lead = max(terms[line.product_id].lead_days for line in group)
        try:
            order = purchase_order_create(
                actor=actor,
                supplier=suppliers[supplier_id],
                location=locations[location_id],
                lines=[PurchaseLine(products[ln.product_id], ln.quantity) for ln in group],
                expected_date=today + timedelta(days=lead),
                notes=_("Created from the reorder suggestions."),
            )
        except OrderError as error:
            raise ReplenishmentError(str(error)) from error
        orders.append(order)
    return orders
