"""Gross margin datasets over the sales fact view: revenue less the cost of the goods sold, at
the unit cost the ledger recorded for each sale (returns negative, imported lines at the cost
they were imported with)."""

from django.db.models import DateField, F, QuerySet
from django.db.models.functions import Trunc

from ..base import Params, money, ratio
from .sales import DIMENSIONS, facts, totals_expressions


def _finish(row: dict) -> dict:
    """Round sums to cents (half up); margin and margin % from the rounded amounts, so a row
    adds up as it is shown."""
    row["revenue"], row["cost"] = money(row["revenue"]), money(row["cost"])
    row["margin"] = row["revenue"] - row["cost"]
    row["margin_percent"] = ratio(row["margin"], row["revenue"])
    row.pop("gross", None)
    return row


def _grouped(queryset: QuerySet, *keys: str) -> QuerySet:
    return queryset.values(*keys).annotate(**totals_expressions(), gross=F("revenue") - F("cost"))


def margin_totals(params: Params) -> dict:
    """One row: revenue, cost of goods, margin, margin %, units and returned units."""
    return _finish(facts(params).aggregate(**totals_expressions()))


def margin_by(
    params: Params, dimension: str, *, limit: int | None = None, lowest: bool = False
) -> list[dict]:
    """Margin grouped by product, category, location, ...: the largest margin first, or with
    `lowest` the smallest (losses first)."""
    key, labels = DIMENSIONS[dimension]
    if dimension == "product":
        labels = (*labels, "product__category__name")
    order = ("gross", key) if lowest else ("-gross", key)
    rows = _grouped(facts(params), key, *labels).order_by(*order)
    if limit:
        rows = rows[:limit]
    return [_finish(dict(row)) for row in rows]


def margin_by_period(params: Params) -> list[dict]:
    """Margin per day, week or month (`params.grain`), periods without sales left out."""
    rows = _grouped(
        facts(params).annotate(period=Trunc("occurred_at", params.grain, output_field=DateField())),
        "period",
    ).order_by("period")
    return [_finish(dict(row)) for row in rows]
