"""The manager's dashboard: the period's headline figures against the period before."""

from django.utils.translation import gettext_lazy as _

from products.models import Product
from stock.selectors import low_stock

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
)
from ..selectors.filters import report_queries
from ..selectors.purchasing import late_purchase_orders
from ..selectors.sales import sales_by_period, sales_totals
from ..selectors.together import together
from ..selectors.valuation import stock_value


class DashboardReport(Report):
    slug = "dashboard"
    title = _("Dashboard")
    question = _("How is the business doing this period, compared with the one before?")
    order = 10
    filters = ("location", "category")
    default_days = 30

    def build(self, params: Params) -> Result:
        with report_queries():
            return self._build(params)

    def _build(self, params: Params) -> Result:
        previous = params.previous()
        products = Product.objects.all()
        if params.category_ids is not None:
            products = products.filter(category_id__in=params.category_ids)
        grain = "day" if params.days <= 62 else "week" if params.days <= 370 else "month"
        # Independent reads: side by side on the request's snapshot, the longest first.
        found = together(
            {
                "value_before": lambda: self._value(previous),
                "value_now": lambda: self._value(params),
                "trend": lambda: sales_by_period(params, grain),
                "now": lambda: sales_totals(params),
                "earlier": lambda: sales_by_period(previous, grain),
                "before": lambda: sales_totals(previous),
                "low": lambda: low_stock(
                    location_id=params.location.pk if params.location else None,
                    products=products,
                ).count(),
                "late_now": lambda: late_purchase_orders(params),
                "late_before": lambda: late_purchase_orders(previous),
            }
        )
        now, before, low = found["now"], found["before"], found["low"]
        figures = [
            Figure("revenue", _("Revenue"), now["revenue"], MONEY, before["revenue"], True),
            Figure("margin", _("Gross margin"), now["margin"], MONEY, before["margin"], True),
            Figure(
                "margin_percent",
                _("Gross margin %"),
                now["margin_percent"],
                PERCENT,
                before["margin_percent"],
                True,
            ),
            Figure("orders", _("Orders"), now["orders"], INT, before["orders"], True),
            Figure(
                "average_order",
                _("Average order value"),
                now["average_order"],
                MONEY,
                before["average_order"],
                True,
            ),
            Figure("units", _("Units sold"), now["units"], QTY, before["units"], True),
            Figure(
                "stock_value",
                _("Stock value at the end"),
                found["value_now"],
                MONEY,
                found["value_before"],
                True,
            ),
            Figure("low_stock", _("Low-stock lines today"), low, INT),
            Figure(
                "late_orders",
                _("Late purchase orders"),
                found["late_now"],
                INT,
                found["late_before"],
                True,
            ),
        ]
        trend, earlier = found["trend"], found["earlier"]
        shift = params.start - previous.start
        before_by_period = {row["period"] + shift: row["revenue"] for row in earlier}
        for row in trend:
            row["previous"] = before_by_period.get(row["period"])
        table = Table(
            "trend",
            _("Revenue trend"),
            [
                Column("period", _("Period"), "date"),
                Column("orders", _("Orders"), INT),
                Column("units", _("Units"), QTY),
                Column("revenue", _("Revenue"), MONEY),
                Column("margin", _("Gross margin"), MONEY),
                Column("previous", _("Previous period"), MONEY),
            ],
            trend,
        )
        return Result(figures=figures, tables=[table])

    @staticmethod
    def _value(params: Params):
        """Stock value at the end of the period (today's stock when it ends today)."""
        return stock_value(params)

    def charts(self, result: Result) -> list[Chart]:
        rows = result.table("trend").rows
        if not rows:
            return []
        series = {str(_("Revenue")): [row["revenue"] for row in rows]}
        if any(row["previous"] for row in rows):
            series[str(_("Previous period"))] = [row["previous"] for row in rows]
        return [Chart(_("Revenue trend"), charts.line_chart([r["period"] for r in rows], series))]
