"""Supplier performance: on-time delivery, lead time against the catalogue's promise, fill rate
and spend, per supplier, over the purchase orders placed in a range."""

from django.utils.translation import gettext_lazy as _

from .. import charts
from ..base import (
    DATE,
    DAYS,
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
)
from ..selectors.filters import report_queries
from ..selectors.suppliers import supplier_report

LATE = 100


class SupplierPerformanceReport(Report):
    slug = "supplier-performance"
    title = _("Supplier performance")
    question = _("Which suppliers deliver on time and in full, and how long do they really take?")
    order = 60
    filters = ("supplier", "location", "category")

    def build(self, params: Params) -> Result:
        with report_queries():
            found, late = supplier_report(params, limit=LATE)
        total = found["total"]
        figures = [
            Figure("on_time_rate", _("On-time delivery"), total["on_time_rate"], PERCENT),
            Figure("fill_rate", _("Fill rate"), total["fill_rate"], PERCENT),
            Figure("lead_average", _("Average lead time"), total["lead_average"], DAYS),
            Figure("lead_promised", _("Promised lead time"), total["lead_promised"], DAYS),
            Figure("orders", _("Purchase orders"), total["orders"], INT),
            Figure("late", _("Late orders"), total["late"], INT),
            Figure("spend", _("Spend received"), total["spend"], MONEY),
        ]
        tables = [
            Table(
                "suppliers",
                _("By supplier"),
                [
                    Column("supplier_name", _("Supplier"), TEXT),
                    Column("orders", _("Orders"), INT),
                    Column("late", _("Late"), INT),
                    Column("on_time_rate", _("On time %"), PERCENT),
                    Column("lead_average", _("Average lead time"), DAYS),
                    Column("lead_worst", _("Worst lead time"), DAYS),
                    Column("lead_promised", _("Promised lead time"), DAYS),
                    Column("ordered", _("Ordered"), QTY),
                    Column("received", _("Received"), QTY),
                    Column("fill_rate", _("Fill rate %"), PERCENT),
                    Column("spend", _("Spend"), MONEY),
                ],
                found["suppliers"],
                _(
                    "Purchase orders placed in the range, cancelled ones left out. An order is on "
                    "time when all of it was received by its expected date or, without one, by its "
                    "order date plus the longest lead time the supplier's catalogue promises for "
                    "its products; it is late once that date has passed without it all, or when "
                    "it was closed short. Orders still within their time count for neither. Lead "
                    "time runs from the order date to the last receipt, for orders whose delivery "
                    "is over; the promise is the catalogue's average over the lines. Fill rate is "
                    "received against ordered quantity; spend is received quantity at the order's "
                    "unit cost."
                ),
            ),
            Table(
                "late",
                _("Late orders"),
                [
                    Column("number", _("Order"), TEXT),
                    Column("supplier_name", _("Supplier"), TEXT),
                    Column("location_name", _("Deliver to"), TEXT),
                    Column("order_date", _("Ordered"), DATE),
                    Column("due", _("Due"), DATE),
                    Column("arrived", _("Last receipt"), DATE),
                    Column("days_late", _("Days late"), DAYS),
                    Column("fill_rate", _("Fill rate %"), PERCENT),
                ],
                late,
                _(
                    "At most %(count)s, the latest first; while goods are still expected, days "
                    "late count to today."
                )
                % {"count": LATE},
            ),
        ]
        return Result(figures=figures, tables=tables)

    def charts(self, result: Result) -> list[Chart]:
        drawn = []
        suppliers = result.table("suppliers").rows[:20]
        rated = [row for row in suppliers if row["on_time_rate"] is not None]
        if rated:
            drawn.append(
                Chart(
                    _("On-time delivery by supplier"),
                    charts.bar_chart(
                        [row["supplier_name"] for row in rated],
                        [row["on_time_rate"] for row in rated],
                        xlabel="%",
                    ),
                )
            )
        timed = [row for row in suppliers if row["lead_average"] is not None]
        if timed:
            drawn.append(
                Chart(
                    _("Lead time, actual and promised (days)"),
                    charts.grouped_bar_chart(
                        [row["supplier_name"] for row in timed],
                        {
                            str(_("Average")): [row["lead_average"] for row in timed],
                            str(_("Worst")): [row["lead_worst"] for row in timed],
                            str(_("Promised")): [row["lead_promised"] for row in timed],
                        },
                    ),
                )
            )
        elif suppliers:
            drawn.append(
                Chart(
                    _("Fill rate by supplier"),
                    charts.bar_chart(
                        [row["supplier_name"] for row in suppliers],
                        [row["fill_rate"] for row in suppliers],
                        xlabel="%",
                    ),
                )
            )
        return drawn
