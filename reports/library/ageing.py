"""Dead stock and stock ageing, with inventory turnover and days of cover."""

from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .. import charts
from ..base import (
    DATE,
    DAYS,
    INT,
    MONEY,
    NUMBER,
    PERCENT,
    QTY,
    TEXT,
    Chart,
    Column,
    Figure,
    Params,
    Report,
    Result,
    Table,
    money,
    ratio,
)
from ..selectors.ageing import BUCKET_KEYS, DEAD_AFTER_DAYS, stock_ageing
from ..selectors.filters import report_queries

ROWS = 500  # products listed (the figures and buckets cover all of them)
BUCKET_LABELS = {
    "0-30": _("0-30 days"),
    "31-90": _("31-90 days"),
    "91-180": _("91-180 days"),
    "181-365": _("181-365 days"),
    "over-365": _("over 365 days"),
    "never": _("never sold"),
}


def _round(value, places: str) -> Decimal | None:
    if value is None:
        return None
    return Decimal(value).quantize(Decimal(places), ROUND_HALF_UP)


def _day(moment):
    return timezone.localtime(moment).date() if moment else None


class StockAgeingReport(Report):
    slug = "stock-ageing"
    title = _("Stock ageing and dead stock")
    question = _(
        "What stock is not selling and what does it tie up; how fast does stock turn and how "
        "long will it last?"
    )
    order = 50
    filters = ("location", "category", "supplier")
    default_days = 365

    def build(self, params: Params) -> Result:
        with report_queries():
            found = stock_ageing(params, limit=ROWS)
        summary = found["summary"]
        turnover = (
            _round(summary["total_cogs"] / summary["average_value"], "0.01")
            if summary["average_value"]
            else None
        )
        figures = [
            Figure("dead_value", _("Value in dead stock"), money(summary["dead_value"]), MONEY),
            Figure("dead_products", _("Dead products"), summary["dead_products"], INT),
            Figure("turnover", _("Inventory turnover"), turnover, NUMBER),
            Figure(
                "cover", _("Median days of cover"), _round(summary["median_cover"], "0.1"), DAYS
            ),
            Figure("value", _("Value in stock"), money(summary["total_value"]), MONEY),
        ]
        total_value = money(summary["total_value"])
        buckets = [
            {
                "bucket": str(BUCKET_LABELS[key]),
                "key": key,
                "products": summary["buckets"][key]["products"],
                "value": money(summary["buckets"][key]["value"]),
                "share": ratio(money(summary["buckets"][key]["value"]), total_value),
            }
            for key in BUCKET_KEYS
        ]
        rows = [
            {
                "sku": row["sku"],
                "name": row["name"],
                "on_hand": row["on_hand"],
                "value": money(row["value"]),
                "last_sale": _day(row["last_sale"]),
                "sale_age": row["sale_age"],
                "last_receipt": _day(row["last_receipt"]),
                "receipt_age": row["receipt_age"],
                "bucket": str(BUCKET_LABELS[row["bucket"]]),
                "dead": str(_("dead")) if row["dead"] else "",
                "units_sold": row["units_sold"],
                "turnover": _round(row["turnover"], "0.01"),
                "cover": _round(row["cover"], "0.1"),
            }
            for row in found["rows"]
        ]
        tables = [
            Table(
                "buckets",
                _("By days since the last sale"),
                [
                    Column("bucket", _("Last sold"), TEXT),
                    Column("products", _("Products"), INT),
                    Column("value", _("Value"), MONEY),
                    Column("share", _("Share of value %"), PERCENT),
                ],
                buckets,
                _("Value is the quantity on hand today at the product's moving-average cost."),
            ),
            Table(
                "products",
                _("Products in stock"),
                [
                    Column("sku", _("SKU")),
                    Column("name", _("Product")),
                    Column("on_hand", _("On hand"), QTY),
                    Column("value", _("Value"), MONEY),
                    Column("last_sale", _("Last sale"), DATE),
                    Column("sale_age", _("Days since sale"), DAYS),
                    Column("last_receipt", _("Last receipt"), DATE),
                    Column("receipt_age", _("Days since receipt"), DAYS),
                    Column("bucket", _("Last sold"), TEXT),
                    Column("dead", _("Dead stock"), TEXT),
                    Column("units_sold", _("Units sold in range"), QTY),
                    Column("turnover", _("Turnover"), NUMBER),
                    Column("cover", _("Days of cover"), DAYS),
                ],
                rows,
                _(
                    "Dead stock first, the longest unsold and the dearest first; the first "
                    "%(rows)s products."
                )
                % {"rows": ROWS},
            ),
        ]
        notes = [
            _(
                "Dead stock: on hand today and no sale for more than %(days)s days (or never "
                "sold), counted from today whatever the range."
            )
            % {"days": DEAD_AFTER_DAYS},
            _(
                "Last sale: the latest sale in the ledger or in the imported sales history; last "
                "receipt: the latest delivery from a supplier (transfers not counted)."
            ),
            _(
                "Turnover over the range: cost of goods sold (sales less customer returns, at "
                "the ledger's cost) divided by the average inventory, taken as the mean of the "
                "quantities at the start and the end of the range, both valued at today's "
                "moving-average cost."
            ),
            _(
                "Days of cover: quantity on hand today divided by the units sold a day over the "
                "range; the median is over the products in stock that sold in the range."
            ),
        ]
        return Result(figures=figures, tables=tables, notes=notes)

    def charts(self, result: Result) -> list[Chart]:
        buckets = result.table("buckets").rows
        if not any(row["products"] for row in buckets):
            return []
        return [
            Chart(
                _("Value in stock by days since the last sale"),
                charts.bar_chart(
                    [row["bucket"] for row in buckets],
                    [row["value"] for row in buckets],
                    horizontal=False,
                ),
            )
        ]
