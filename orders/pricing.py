"""The one rounding rule for money on orders, shared by pages, PDFs, the API and reports.

Per line: gross = quantity x unit price, rounded to cents; discount = gross x discount %,
rounded; tax = (gross - discount) x tax rate %, rounded. Half-up rounding, each amount rounded
once. Order totals are sums of the rounded line amounts, so every document adds up exactly.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
HUNDRED = Decimal(100)


def to_cents(value) -> Decimal:
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class LineAmounts:
    gross: Decimal
    discount: Decimal
    tax: Decimal

    @property
    def net(self) -> Decimal:
        return self.gross - self.discount

    @property
    def total(self) -> Decimal:
        return self.net + self.tax


def line_amounts(quantity, unit_price, discount_percent=0, tax_rate=0) -> LineAmounts:
    """Return a line's gross, discount and tax amounts, each rounded to cents once."""
    gross = to_cents(Decimal(quantity) * Decimal(unit_price))
    discount = to_cents(gross * Decimal(discount_percent) / HUNDRED)
    tax = to_cents((gross - discount) * Decimal(tax_rate) / HUNDRED)
    return LineAmounts(gross, discount, tax)


@dataclass(frozen=True)
class Totals:
    subtotal: Decimal
    discount_total: Decimal
    tax_total: Decimal

    @property
    def total(self) -> Decimal:
        return self.subtotal - self.discount_total + self.tax_total


def order_totals(lines: Iterable[LineAmounts]) -> Totals:
    """Sum rounded line amounts into order totals."""
    lines = list(lines)
    return Totals(
        subtotal=sum((line.gross for line in lines), Decimal(0)),
        discount_total=sum((line.discount for line in lines), Decimal(0)),
        tax_total=sum((line.tax for line in lines), Decimal(0)),
    )
