"""Inventory valuation at the end of a chosen day: what was held where, and what it was worth at
the moving-average cost of that day, by category, location and product."""

from django.utils.translation import gettext_lazy as _

from .. import charts
from ..base import (
    INT,
    MONEY,
    PERCENT,
    QTY,
    Chart,
    Column,
    Figure,
    Params,
    Report,
    Result,
    Table,
    ratio,
)
from ..selectors.filters import report_queries
from ..selectors.valuation import stock_valuation

PRODUCTS = 100


def with_share(rows: list[dict], total) -> list[dict]:
    for row in rows:
        row["share"] = ratio(row["value"], total) if total and total > 0 else None
    return rows


class ValuationReport(Report):
    slug = "valuation"
    title = _("Inventory valuation")
    question = _("What was our stock worth on a given day, and where was it?")
    order = 40
    filters = ("location", "category", "supplier")
    single_date = True

    def build(self, params: Params) -> Result:
        with report_queries():
            found = stock_valuation(params, limit=PRODUCTS)
        total = found["total"]
        for row in found["categories"]:
            if row["category_name"] is None:
                row["category_name"] = str(_("(none)"))
        figures = [
            Figure("value", _("Stock value"), total["value"], MONEY),
            Figure("units", _("Units on hand"), total["quantity"], QTY),
            Figure("products", _("Products in stock"), total["products"], INT),
            Figure("locations", _("Locations holding stock"), total["locations"], INT),
        ]
        share = Column("share", _("Share of value %"), PERCENT)
        tables = [
            Table(
                "categories",
                _("By category"),
                [
                    Column("category_name", _("Category")),
                    Column("products", _("Products"), INT),
                    Column("quantity", _("Units"), QTY),
                    Column("value", _("Value"), MONEY),
                    share,
                ],
                with_share(found["categories"], total["value"]),
            ),
            Table(
                "locations",
                _("By location"),
                [
                    Column("location_name", _("Location")),
                    Column("products", _("Products"), INT),
                    Column("quantity", _("Units"), QTY),
                    Column("value", _("Value"), MONEY),
                    share,
                ],
                with_share(found["locations"], total["value"]),
            ),
            Table(
                "products",
                _("By product"),
                [
                    Column("product_sku", _("SKU")),
                    Column("product_name", _("Product")),
                    Column("category_name", _("Category")),
                    Column("quantity", _("Units"), QTY),
                    Column("cost", _("Average cost"), MONEY),
                    Column("value", _("Value"), MONEY),
                    share,
                ],
                with_share(found["products"], total["value"]),
                _("The %(count)s products holding the most value.") % {"count": PRODUCTS},
            ),
        ]
        notes = [
            _(
                "Quantities are what the stock ledger held at the end of the day; each product "
                "is valued at its moving-average cost at that moment (for today, its current "
                "cost), the same in every location."
            )
        ]
        return Result(figures=figures, tables=tables, notes=notes)

    def charts(self, result: Result) -> list[Chart]:
        drawn = []
        for key, label, title in (
            ("categories", "category_name", _("Value by category")),
            ("locations", "location_name", _("Value by location")),
        ):
            rows = result.table(key).rows[:20]
            if rows:
                drawn.append(
                    Chart(
                        title,
                        charts.bar_chart(
                            [row[label] for row in rows], [row["value"] for row in rows]
                        ),
                    )
                )
        return drawn
