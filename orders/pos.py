"""The counter's basket, kept in the session until the sale is finished.

The basket carries the sale's token from the moment it is started: finishing twice (a double
click, a resubmitted form, a retried request) sends the same token, and orders.services makes
one sale per token. A finished sale empties the basket and the next one gets a new token.
"""

import uuid
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.db.models.functions import Lower

from products.models import Product
from products.selectors import product_search

from .pricing import LineAmounts, Totals, line_amounts, order_totals

SESSION_KEY = "pos_basket"
MATCH_LIMIT = 8


@dataclass
class BasketLine:
    product: Product
    quantity: Decimal
    amounts: LineAmounts


class Basket:
    def __init__(self, session):
        self.session = session
        self.data = session.get(SESSION_KEY) or {}
        self.data.setdefault("token", str(uuid.uuid4()))
        self.data.setdefault("lines", {})

    @property
    def token(self) -> uuid.UUID:
        return uuid.UUID(self.data["token"])

    @property
    def location_id(self) -> int | None:
        return self.data.get("location")

    def set_location(self, location_id: int) -> None:
        self.data["location"] = location_id
        self._save()

    def add(self, product: Product, quantity: Decimal = Decimal(1)) -> None:
        key = str(product.pk)
        current = Decimal(self.data["lines"].get(key, "0"))
        self.data["lines"][key] = str(current + quantity)
        self._save()

    def set_quantity(self, product_id: int, quantity: Decimal) -> None:
        if quantity <= 0:
            self.data["lines"].pop(str(product_id), None)
        else:
            self.data["lines"][str(product_id)] = str(quantity)
        self._save()

    def clear(self) -> None:
        """Empty the basket and start a new sale (a new token); the location stays."""
        self.data = {"location": self.location_id, "token": str(uuid.uuid4()), "lines": {}}
        self._save()

    def lines(self) -> list[BasketLine]:
        """The basket's products with their amounts at today's prices (one query)."""
        quantities = {int(pk): Decimal(q) for pk, q in self.data["lines"].items()}
        products = Product.objects.filter(pk__in=quantities, is_active=True).order_by("name")
        return [
            BasketLine(
                product=product,
                quantity=quantities[product.pk],
                amounts=line_amounts(
                    quantities[product.pk], product.sale_price, 0, product.tax_rate
                ),
            )
            for product in products
        ]

    @staticmethod
    def totals(lines: list[BasketLine]) -> Totals:
        return order_totals(line.amounts for line in lines)

    def _save(self) -> None:
        self.session[SESSION_KEY] = self.data
        self.session.modified = True


def find_products(code: str) -> list[Product]:
    """What a scanner or a person typed: an exact SKU or barcode first (a scan), otherwise the
    active products whose SKU or name words start with it."""
    code = code.strip()
    if not code:
        return []
    active = Product.objects.filter(is_active=True)
    exact = active.alias(key=Lower("sku")).filter(key=code.lower()).first()
    exact = exact or active.filter(barcode=code).first()
    if exact:
        return [exact]
    return list(product_search(active, code).order_by("name")[:MATCH_LIMIT])


def parse_quantity(value) -> Decimal | None:
    try:
        quantity = Decimal(str(value).strip().replace(",", "."))
    except (InvalidOperation, ValueError):
        return None
    return quantity if quantity.is_finite() and quantity >= 0 else None
