"""Products ranked: the top and bottom products by revenue, units and margin, and the ABC
classes by revenue and by units (the few products that make most of the business)."""

from django.utils.translation import gettext_lazy as _

from .. import charts
from ..base import (
    INT,
    MONEY,
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
from ..selectors.filters import report_queries
from ..selectors.products import CLASSES, abc_classes, product_rankings

TOP = 20  # products in each top and bottom list
ABC_ROWS = 500  # products listed per measure (the class counts cover all of them)


def _ranked_row(rank: int, row: dict) -> dict:
    revenue, margin = money(row["revenue"]), money(row["margin"])
    return {
        "rank": rank,
        "sku": row["sku"],
        "name": row["name"],
        "units": row["units"].normalize() if row["units"] else row["units"],
        "revenue": revenue,
        "margin": margin,
        "margin_percent": ratio(margin, revenue),
    }


def ranked_columns() -> list[Column]:
    return [
        Column("rank", _("#"), INT),
        Column("sku", _("SKU")),
        Column("name", _("Product")),
        Column("units", _("Units"), QTY),
        Column("revenue", _("Revenue"), MONEY),
        Column("margin", _("Margin"), MONEY),
        Column("margin_percent", _("Margin %"), PERCENT),
    ]


class TopProductsReport(Report):
    slug = "top-products"
    title = _("Top and bottom products")
    question = _("Which products sell best and which worst, by revenue, units and margin?")
    order = 30
    filters = ("location", "category", "supplier")

    LISTS = (
        ("top_revenue", _("Top by revenue")),
        ("top_units", _("Top by units")),
        ("top_margin", _("Top by margin")),
        ("bottom_revenue", _("Bottom by revenue")),
        ("bottom_units", _("Bottom by units")),
        ("bottom_margin", _("Bottom by margin")),
    )

    def build(self, params: Params) -> Result:
        with report_queries():
            return self._build(params)

    def _build(self, params: Params) -> Result:
        ranked = product_rankings(params, limit=TOP)
        top_note = _("The %(count)s products with the most, among products sold in the range.")
        bottom_note = _(
            "The %(count)s products with the least, among active products that are in stock now "
            "or were sold in the range; a product with no sale counts as zero. Revenue is net "
            "of returns and discounts, before tax; margin is revenue less the ledger cost."
        )
        tables = [
            Table(
                key,
                title,
                ranked_columns(),
                [_ranked_row(rank, row) for rank, row in enumerate(ranked[key], start=1)],
                (top_note if key.startswith("top") else bottom_note) % {"count": TOP},
            )
            for key, title in self.LISTS
        ]
        figures = [
            Figure("sold", _("Products sold"), ranked["sold"], INT),
            Figure("unsold", _("Active products in stock, not sold"), ranked["unsold"], INT),
        ]
        return Result(figures=figures, tables=tables)

    def charts(self, result: Result) -> list[Chart]:
        drawn = []
        for key, title, value in (
            ("top_revenue", _("Top 10 products by revenue"), "revenue"),
            ("top_margin", _("Top 10 products by margin"), "margin"),
        ):
            rows = result.table(key).rows[:10]
            if rows:
                svg = charts.bar_chart([r["name"] for r in rows], [r[value] for r in rows])
                drawn.append(Chart(title, svg))
        return drawn


class ABCReport(Report):
    slug = "abc"
    title = _("ABC analysis")
    question = _("Which few products make most of the revenue, and which most of the units?")
    order = 35
    filters = ("location", "category", "supplier")

    def build(self, params: Params) -> Result:
        with report_queries():
            return self._build(params)

    def _build(self, params: Params) -> Result:
        found = abc_classes(params, limit=ABC_ROWS)
        rule = _(
            "Products are sorted from the largest %(measure)s down (ties by SKU). A product is "
            "in class A while the products before it make less than 80%% of the total, in B "
            "while they make less than 95%%, otherwise in C: the product that crosses 80%% is "
            "still A, the one that crosses 95%% still B. Products with no %(measure)s in the "
            "range, net of returns, are not classed. The first %(rows)s are listed."
        )
        tables = [self._classes_table(found)]
        for measure, title, label, kind in (
            ("revenue", _("By revenue"), _("Revenue"), MONEY),
            ("units", _("By units"), _("Units"), QTY),
        ):
            total = found[measure]["total"]
            rows = [
                {
                    "rank": row["rank"],
                    "sku": row["sku"],
                    "name": row["name"],
                    "value": money(row["value"]) if kind == MONEY else row["value"].normalize(),
                    "share": ratio(row["value"], total),
                    "cumulative": ratio(row["cumulative"], total),
                    "class": row["class"],
                }
                for row in found[measure]["rows"]
            ]
            tables.append(
                Table(
                    measure,
                    title,
                    [
                        Column("rank", _("#"), INT),
                        Column("sku", _("SKU")),
                        Column("name", _("Product")),
                        Column("value", label, kind),
                        Column("share", _("Share %"), PERCENT),
                        Column("cumulative", _("Cumulative %"), PERCENT),
                        Column("class", _("Class"), TEXT),
                    ],
                    rows,
                    rule % {"measure": label.lower(), "rows": ABC_ROWS},
                )
            )
        revenue, units = found["revenue"], found["units"]
        figures = [
            Figure("products", _("Products ranked by revenue"), revenue["items"], INT),
            Figure("a_revenue", _("Class A by revenue"), revenue["classes"]["A"]["items"], INT),
            Figure(
                "a_revenue_share",
                _("Revenue share of class A"),
                ratio(revenue["classes"]["A"]["value"], revenue["total"]),
                PERCENT,
            ),
            Figure("a_units", _("Class A by units"), units["classes"]["A"]["items"], INT),
        ]
        series = {m: found[m]["points"] for m in ("revenue", "units")}
        series.update({f"{m}_total": found[m]["total"] for m in ("revenue", "units")})
        return Result(figures=figures, tables=tables, series=series)

    def _classes_table(self, found: dict) -> Table:
        rows = []
        for c in CLASSES:
            row = {"class": c}
            for m in ("revenue", "units"):
                part = found[m]["classes"][c]
                row[f"{m}_items"] = part["items"]
                row[f"{m}_items_share"] = ratio(part["items"], found[m]["items"])
                row[m] = money(part["value"]) if m == "revenue" else part["value"].normalize()
                row[f"{m}_share"] = ratio(part["value"], found[m]["total"])
            rows.append(row)
        return Table(
            "classes",
            _("Classes"),
            [
                Column("class", _("Class")),
                Column("revenue_items", _("Products by revenue"), INT),
                Column("revenue_items_share", _("Share of products %"), PERCENT),
                Column("revenue", _("Revenue"), MONEY),
                Column("revenue_share", _("Share of revenue %"), PERCENT),
                Column("units_items", _("Products by units"), INT),
                Column("units_items_share", _("Share of products %"), PERCENT),
                Column("units", _("Units"), QTY),
                Column("units_share", _("Share of units %"), PERCENT),
            ],
            rows,
            _("A: the products making the first 80% of the total; B: the next 15%; C: the rest."),
        )

    def charts(self, result: Result) -> list[Chart]:
        drawn = []
        for measure, title in (
            ("revenue", _("Cumulative share of revenue, products ranked")),
            ("units", _("Cumulative share of units, products ranked")),
        ):
            points, total = result.series[measure], result.series[f"{measure}_total"]
            if points and total:
                svg = charts.pareto_chart(
                    [p["value"] for p in points],
                    [p["cumulative"] * 100 / total for p in points],
                    positions=[p["rank"] for p in points],
                )
                drawn.append(Chart(title, svg))
        return drawn
