"""Gross margin: revenue less the cost of the goods sold, by product, category, location and
period, against the period before."""

from django.utils.translation import gettext_lazy as _

from .. import charts
from ..base import (
    DATE,
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
from ..selectors.margin import margin_by, margin_by_period, margin_by_product, margin_totals
from ..selectors.together import together

PRODUCTS = 100
LOWEST = 20


def amount_columns() -> list[Column]:
    return [
        Column("units", _("Units"), QTY),
        Column("revenue", _("Revenue"), MONEY),
        Column("cost", _("Cost of goods"), MONEY),
        Column("margin", _("Margin"), MONEY),
        Column("margin_percent", _("Margin %"), PERCENT),
    ]


def with_share(rows: list[dict], total) -> list[dict]:
    """Each row's share of the total margin."""
    for row in rows:
        row["share"] = ratio(row["margin"], total) if total and total > 0 else None
    return rows


def name_missing(rows: list[dict], key: str) -> list[dict]:
    for row in rows:
        if row.get(key) is None:
            row[key] = str(_("(none)"))
    return rows


class MarginReport(Report):
    slug = "margin"
    title = _("Gross margin")
    question = _("What do we earn on what we sell, after the cost of the goods?")
    order = 30
    filters = ("location", "category", "supplier", "product", "grain")

    def build(self, params: Params) -> Result:
        with report_queries():
            return self._build(params)

    def _build(self, params: Params) -> Result:
        # The longest scan first, itself split into ranges of products side by side; then
        # the other independent scans of two years of summaries, side by side.
        by_product = margin_by_product(params, top=PRODUCTS, lowest=LOWEST)
        found = together(
            {
                "periods": lambda: margin_by_period(params),
                "locations": lambda: margin_by(params, "location"),
                "now": lambda: margin_totals(params),
                "before": lambda: margin_totals(params.previous()),
            }
        )
        now, before = found["now"], found["before"]
        figures = [
            Figure("revenue", _("Revenue"), now["revenue"], MONEY, before["revenue"], True),
            Figure("cost", _("Cost of goods sold"), now["cost"], MONEY, before["cost"], True),
            Figure("margin", _("Gross margin"), now["margin"], MONEY, before["margin"], True),
            Figure(
                "margin_percent",
                _("Margin %"),
                now["margin_percent"],
                PERCENT,
                before["margin_percent"],
                True,
            ),
            Figure("units", _("Units sold"), now["units"], QTY, before["units"], True),
        ]
        total = now["margin"]
        share = Column("share", _("Share of margin %"), PERCENT)
        tables = [
            Table(
                "categories",
                _("By category"),
                [Column("product__category__name", _("Category")), *amount_columns(), share],
                name_missing(with_share(by_product["category"], total), "product__category__name"),
            ),
            Table(
                "products",
                _("By product"),
                [
                    Column("product__sku", _("SKU")),
                    Column("product__name", _("Product")),
                    Column("product__category__name", _("Category")),
                    *amount_columns(),
                    share,
                ],
                with_share(by_product["top"], total),
                _("The %(count)s products with the largest margin.") % {"count": PRODUCTS},
            ),
            Table(
                "lowest",
                _("Lowest margins"),
                [
                    Column("product__sku", _("SKU")),
                    Column("product__name", _("Product")),
                    Column("product__category__name", _("Category")),
                    *amount_columns(),
                ],
                by_product["lowest"],
                _("The %(count)s products that earned least, losses first.") % {"count": LOWEST},
            ),
            Table(
                "locations",
                _("By location"),
                [Column("location__name", _("Location")), *amount_columns(), share],
                name_missing(with_share(found["locations"], total), "location__name"),
            ),
            Table(
                "periods",
                _("By period"),
                [Column("period", _("Period"), DATE), *amount_columns()],
                found["periods"],
            ),
        ]
        for row in tables[1].rows + tables[2].rows:
            if row["product__category__name"] is None:
                row["product__category__name"] = str(_("(none)"))
        notes = [
            _(
                "Cost of goods is the moving-average unit cost the stock ledger recorded at each "
                "sale; returns count against the period they came back in. Imported sales history "
                "carries the product's cost at the time of the import."
            )
        ]
        return Result(figures=figures, tables=tables, notes=notes)

    def charts(self, result: Result) -> list[Chart]:
        drawn = []
        periods = result.table("periods").rows
        if len(periods) > 1:
            drawn.append(
                Chart(
                    _("Revenue, cost of goods and margin by period"),
                    charts.line_chart(
                        [row["period"] for row in periods],
                        {
                            str(_("Margin")): [row["margin"] for row in periods],
                            str(_("Revenue")): [row["revenue"] for row in periods],
                            str(_("Cost of goods")): [row["cost"] for row in periods],
                        },
                    ),
                )
            )
        categories = [
            row for row in result.table("categories").rows if row["margin_percent"] is not None
        ]
        if categories:
            categories.sort(key=lambda row: row["margin_percent"], reverse=True)
            drawn.append(
                Chart(
                    _("Margin % by category"),
                    charts.bar_chart(
                        [row["product__category__name"] for row in categories[:20]],
                        [row["margin_percent"] for row in categories[:20]],
                        xlabel="%",
                    ),
                )
            )
        products = result.table("products").rows[:10]
        if products:
            drawn.append(
                Chart(
                    _("Top 10 products by margin"),
                    charts.bar_chart(
                        [row["product__name"] for row in products],
                        [row["margin"] for row in products],
                    ),
                )
            )
        return drawn
