"""What a report is: parameters in, a result (summary figures, tables, chart series) out.

A report's numbers come from one selector per dataset (reports/selectors/), aggregated in
PostgreSQL. The page, the PDF, the CSV and XLSX downloads and the API all render the same
`Result`, so a number is the same wherever it is read.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, ClassVar

from django.db.models import Q
from django.utils import timezone

CENT = Decimal("0.01")

# Column and figure kinds: how a value is shown and exported.
TEXT, INT, QTY, MONEY, PERCENT, DAYS, DATE, NUMBER = (
    "text", "int", "qty", "money", "percent", "days", "date", "number",
)  # fmt: skip


def money(value) -> Decimal:
    """Round an amount to cents, half up (the rounding rule of orders.pricing)."""
    return Decimal(value or 0).quantize(CENT, rounding=ROUND_HALF_UP)


def ratio(part, whole, places: str = "0.1") -> Decimal | None:
    """`part` as a percentage of `whole`, or None when `whole` is zero."""
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal(places), ROUND_HALF_UP)


def change(now, before) -> Decimal | None:
    """Percentage change from `before` to `now` (None when there was nothing before)."""
    if before in (None, 0) or now is None:
        return None
    return ((Decimal(now) - Decimal(before)) * 100 / abs(Decimal(before))).quantize(
        Decimal("0.1"), ROUND_HALF_UP
    )


@dataclass(frozen=True)
class Params:
    """A report's filters, already validated (reports/forms.py)."""

    start: date
    end: date  # inclusive
    location: Any = None
    category: Any = None
    category_ids: frozenset[int] | None = None  # the category and everything under it
    supplier: Any = None
    product: Any = None
    customer: Any = None
    grain: str = "month"

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def since(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.start, time.min))

    @property
    def until(self) -> datetime:
        """The first moment after the range."""
        return timezone.make_aware(datetime.combine(self.end + timedelta(days=1), time.min))

    def previous(self) -> Params:
        """The same span of days just before this one."""
        return replace(
            self, start=self.start - timedelta(days=self.days), end=self.start - timedelta(days=1)
        )

    def product_q(self, prefix: str = "product") -> Q:
        """Category, supplier and product filters on a relation to products."""
        q = Q()
        if self.product is not None:
            q &= Q(**{f"{prefix}_id": self.product.pk})
        if self.category_ids is not None:
            q &= Q(**{f"{prefix}__category_id__in": self.category_ids})
        if self.supplier is not None:
            q &= Q(**{f"{prefix}__supplier_products__supplier_id": self.supplier.pk})
        return q

    def as_dict(self) -> dict:
        return {
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "location": getattr(self.location, "pk", None),
            "category": getattr(self.category, "pk", None),
            "supplier": getattr(self.supplier, "pk", None),
            "product": getattr(self.product, "sku", None),
            "customer": getattr(self.customer, "pk", None),
            "grain": self.grain,
        }


@dataclass
class Column:
    key: str
    label: str
    kind: str = TEXT


@dataclass
class Table:
    key: str
    title: str
    columns: list[Column]
    rows: list[dict]
    note: str = ""

    def values(self, row: dict) -> list:
        return [row.get(column.key) for column in self.columns]


@dataclass
class Figure:
    """A summary number, with the previous period's value when the report compares."""

    key: str
    label: str
    value: Any
    kind: str = MONEY
    previous: Any = None
    compared: bool = False
    lower_is_better: bool = False  # late orders, returns: a rise is bad news

    @property
    def change(self) -> Decimal | None:
        """Percentage change on the previous period; for a percentage, the change in points."""
        if not self.compared:
            return None
        if self.kind == PERCENT:
            if self.value is None or self.previous is None:
                return None
            return Decimal(self.value) - Decimal(self.previous)
        return change(self.value, self.previous)

    @property
    def good(self) -> bool | None:
        """Whether the change is good news (None: no change to judge)."""
        delta = self.change
        if not delta:
            return None
        return (delta < 0) if self.lower_is_better else (delta > 0)


@dataclass
class Chart:
    title: str
    svg: str


@dataclass
class Result:
    figures: list[Figure] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    series: dict = field(default_factory=dict)  # what the charts draw; not exported
    notes: list[str] = field(default_factory=list)

    def table(self, key: str) -> Table:
        return next(table for table in self.tables if table.key == key)


class Report:
    """Subclass per report, in reports/library/; `build` computes, `charts` draws."""

    slug: ClassVar[str]
    title: ClassVar[str]
    question: ClassVar[str]  # the question a shop owner asks, answered by the report
    order: ClassVar[int] = 100  # place in the reports menu
    filters: ClassVar[
        tuple[str, ...]
    ] = ()  # of location, category, supplier, product, customer, grain
    single_date: ClassVar[bool] = False  # "as of" a day instead of a range (valuation)
    default_days: ClassVar[int] = 90
    # A template included on the page under the figures (actions such as running forecasts).
    extra_template: ClassVar[str | None] = None

    def build(self, params: Params) -> Result:
        raise NotImplementedError

    def charts(self, result: Result) -> list[Chart]:
        return []
