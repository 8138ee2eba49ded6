"""Sales: by period with month-over-month and year-over-year growth, by product, category,
location, customer and payment method, and the weekday pattern."""

from dataclasses import replace
from datetime import date

from django.utils.dates import WEEKDAYS
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from .. import charts
from ..base import (
    DATE,
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
    change,
    ratio,
)
from ..selectors.filters import report_queries
from ..selectors.sales import sales_by, sales_by_period, sales_by_weekday, sales_totals
from ..selectors.together import together


def year_before(day: date) -> date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


def totals_columns() -> list[Column]:
    return [
        Column("units", _("Units"), QTY),
        Column("orders", _("Orders"), INT),
        Column("revenue", _("Revenue"), MONEY),
        Column("share", _("Share %"), PERCENT),
    ]


def with_share(rows: list[dict], total) -> list[dict]:
    """Each row's share of the total revenue."""
    for row in rows:
        row["share"] = ratio(row["revenue"], total)
    return rows


class SalesReport(Report):
    slug = "sales"
    title = _("Sales")
    question = _("How much did we sell, when, what, where, to whom, and is it growing?")
    order = 20
    filters = ("location", "category", "supplier", "product", "customer", "grain")

    def build(self, params: Params) -> Result:
        with report_queries():
            return self._build(params)

    def _build(self, params: Params) -> Result:
        last_year = replace(params, start=year_before(params.start), end=year_before(params.end))
        # Independent scans of two years of summaries: side by side, the longest first.
        found = together(
            {
                "categories": lambda: sales_by(params, "category"),
                "products": lambda: sales_by(params, "product", limit=100),
                "weekdays": lambda: sales_by_weekday(params),
                "locations": lambda: sales_by(params, "location"),
                "payments": lambda: self._payments(params),
                "customers": lambda: sales_by(params, "customer", limit=100),
                "periods": lambda: sales_by_period(params),
                "now": lambda: sales_totals(params),
                "earlier": lambda: sales_by_period(last_year),
                "before": lambda: sales_totals(params.previous()),
            }
        )
        now, before = found["now"], found["before"]
        figures = [
            Figure("revenue", _("Revenue"), now["revenue"], MONEY, before["revenue"], True),
            Figure("units", _("Units sold"), now["units"], QTY, before["units"], True),
            Figure("orders", _("Orders"), now["orders"], INT, before["orders"], True),
            Figure(
                "average_order",
                _("Average order value"),
                now["average_order"],
                MONEY,
                before["average_order"],
                True,
            ),
            Figure(
                "returned",
                _("Units returned"),
                now["returned"],
                QTY,
                before["returned"],
                True,
                lower_is_better=True,
            ),
        ]
        periods = found["periods"]
        earlier = {row["period"]: row["revenue"] for row in found["earlier"]}
        previous_revenue = None
        for row in periods:
            row["previous_change"] = change(row["revenue"], previous_revenue)
            row["last_year"] = earlier.get(year_before(row["period"]))
            row["year_change"] = change(row["revenue"], row["last_year"])
            previous_revenue = row["revenue"]
        total = now["revenue"]
        tables = [
            Table(
                "periods",
                _("By period"),
                [
                    Column("period", _("Period"), DATE),
                    Column("units", _("Units"), QTY),
                    Column("orders", _("Orders"), INT),
                    Column("revenue", _("Revenue"), MONEY),
                    Column("previous_change", _("Change on previous %"), PERCENT),
                    Column("last_year", _("A year earlier"), MONEY),
                    Column("year_change", _("Year-over-year %"), PERCENT),
                ],
                periods,
            ),
            Table(
                "products",
                _("By product"),
                [
                    Column("product__sku", _("SKU")),
                    Column("product__name", _("Product")),
                    *totals_columns(),
                ],
                with_share(found["products"], total),
                _("The 100 best-selling products by revenue."),
            ),
            Table(
                "categories",
                _("By category"),
                [
                    Column("product__category__name", _("Category")),
                    *totals_columns(),
                ],
                with_share(found["categories"], total),
            ),
            Table(
                "locations",
                _("By location"),
                [
                    Column("location__name", _("Location")),
                    *totals_columns(),
                ],
                with_share(found["locations"], total),
            ),
            Table(
                "customers",
                _("By customer"),
                [
                    Column("customer__name", _("Customer")),
                    *totals_columns(),
                ],
                with_share(found["customers"], total),
            ),
            Table(
                "payments",
                _("By payment method"),
                [
                    Column("payment", _("Payment")),
                    *totals_columns(),
                ],
                with_share(found["payments"], total),
            ),
            Table(
                "weekdays",
                _("By weekday"),
                [
                    Column("name", _("Weekday"), TEXT),
                    Column("days", _("Days"), INT),
                    Column("units", _("Units"), QTY),
                    Column("revenue", _("Revenue"), MONEY),
                    Column("revenue_per_day", _("Revenue a day"), MONEY),
                ],
                [{**row, "name": str(WEEKDAYS[row["weekday"] - 1])} for row in found["weekdays"]],
            ),
        ]
        for row in tables[2].rows + tables[3].rows + tables[4].rows:
            for key in ("product__category__name", "location__name", "customer__name"):
                if key in row and row[key] is None:
                    row[key] = str(_("(none)"))
        return Result(figures=figures, tables=tables, series={"last_year": earlier})

    def _payments(self, params):
        from orders.models import SalesOrder

        names = dict(SalesOrder.Payment.choices)
        rows = sales_by(params, "payment")
        for row in rows:
            method = row.pop("payment_method")
            row["payment"] = capfirst(str(names.get(method, method or _("not recorded"))))
        return rows

    def charts(self, result: Result) -> list[Chart]:
        periods = result.table("periods").rows
        drawn = []
        if periods:
            series = {str(_("Revenue")): [row["revenue"] for row in periods]}
            if any(row["last_year"] for row in periods):
                series[str(_("A year earlier"))] = [row["last_year"] for row in periods]
            drawn.append(
                Chart(
                    _("Revenue by period"),
                    charts.line_chart([row["period"] for row in periods], series),
                )
            )
        products = result.table("products").rows[:10]
        if products:
            drawn.append(
                Chart(
                    _("Top 10 products by revenue"),
                    charts.bar_chart(
                        [row["product__name"] for row in products],
                        [row["revenue"] for row in products],
                    ),
                )
            )
        weekdays = result.table("weekdays").rows
        if any(row["revenue"] for row in weekdays):
            drawn.append(
                Chart(
                    _("Revenue a day, by weekday"),
                    charts.bar_chart(
                        [row["name"] for row in weekdays],
                        [row["revenue_per_day"] for row in weekdays],
                        horizontal=False,
                    ),
                )
            )
        return drawn
