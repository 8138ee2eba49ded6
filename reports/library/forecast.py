"""Demand forecast: over all products, how much each is expected to sell and how far to trust
it; for one product (the SKU filter), its history, forecast with its likely range, the method
and its backtest error, and the reorder reasoning per location.

The numbers are the latest forecast run's (stored, see reports.forecast_runs); the reorder
reasoning uses today's stock. Before any run the page shows the demand history and offers to
run the forecasts.
"""

from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .. import charts
from ..base import (
    DATE,
    DAYS,
    INT,
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
    ratio,
)
from ..forecast_runs import latest_run
from ..forecasting.backtest import ACCURACY_LABELS
from ..forecasting.selection import FALLBACK_REASONS, METHOD_LABELS
from ..selectors.forecasts import (
    accuracy_counts,
    demand_by_week,
    forecasts_for,
    total_forecast_by_week,
)
from ..selectors.replenishment import (
    DEFAULT_REVIEW_DAYS,
    DEFAULT_SERVICE_LEVEL,
    decimal_qty,
    reorder_suggestions,
)

ROWS = 1000  # products listed, most demand first (the figures cover all of them)
ACCURACY_ORDER = ("good", "fair", "poor", "unknown")


def _qty(value) -> object:
    return None if value is None else decimal_qty(value)


def _number(value, places: int = 2):
    return None if value is None else round(value, places)


def _weeks(start, count: int) -> list:
    return [start + timedelta(weeks=n) for n in range(count)]


def _filled(rows: list[tuple]) -> tuple[list, list]:
    """Weekly (week, units) rows with the weeks between them filled with zeros."""
    if not rows:
        return [], []
    found = dict(rows)
    weeks = _weeks(rows[0][0], (rows[-1][0] - rows[0][0]).days // 7 + 1)
    return weeks, [found.get(week, 0.0) for week in weeks]


def _when(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


class ForecastReport(Report):
    slug = "forecast"
    title = _("Demand forecast")
    question = _(
        "How much will each product sell in the coming weeks, and how far can that be trusted?"
    )
    order = 60
    filters = ("category", "supplier", "product")
    default_days = 728
    extra_template = "reports/_forecast_extra.html"

    def build(self, params: Params) -> Result:
        run = latest_run()
        result = self._product(params) if params.product is not None else self._summary(params)
        result.series["run"] = run
        return result

    # --- All products ---------------------------------------------------------------------
    def _summary(self, params: Params) -> Result:
        counts = accuracy_counts(params)
        total = counts["total"]
        rows = [
            {
                "sku": stored.product.sku,
                "name": stored.product.name,
                "method": str(METHOD_LABELS.get(stored.method, stored.method)),
                "accuracy": str(ACCURACY_LABELS.get(stored.accuracy, stored.accuracy)),
                "mase": _number(stored.mase),
                "next_4_weeks": _qty(stored.next_4_weeks),
                "next_13_weeks": _qty(stored.next_13_weeks),
                "weeks_out": stored.n_censored,
                "fallback": str(FALLBACK_REASONS[stored.fallback]) if stored.fallback else "",
            }
            for stored in forecasts_for(params).order_by("-next_13_weeks", "product__sku")[:ROWS]
        ]
        figures = [
            Figure("products", _("Products forecast"), total, INT),
            Figure("good", _("Good accuracy"), ratio(counts["good"], total), PERCENT),
            Figure("fair", _("Fair accuracy"), ratio(counts["fair"], total), PERCENT),
            Figure("poor", _("Poor accuracy"), ratio(counts["poor"], total), PERCENT),
            Figure("fallback", _("Too little history"), counts["fallback"], INT),
            Figure("stockouts", _("With weeks out of stock"), counts["censored"], INT),
        ]
        notes = []
        if not total:
            notes.append(
                _("No forecast has been computed yet. Run the forecasts to see them here.")
            )
        else:
            notes.append(
                _(
                    "Accuracy comes from forecasting the recent past as if it were the future "
                    "(backtest): MASE below 0.8 is good, below 1.2 fair, above that poor. "
                    "Weeks out of stock are not read as weeks without demand."
                )
            )
        return Result(
            figures=figures,
            tables=[
                Table(
                    "products",
                    _("Products"),
                    [
                        Column("sku", _("SKU")),
                        Column("name", _("Product")),
                        Column("method", _("Method")),
                        Column("accuracy", _("Accuracy")),
                        Column("mase", _("MASE"), NUMBER),
                        Column("next_4_weeks", _("Next 4 weeks"), QTY),
                        Column("next_13_weeks", _("Next 13 weeks"), QTY),
                        Column("weeks_out", _("Weeks out of stock"), INT),
                        Column("fallback", _("Note")),
                    ],
                    rows,
                    _("The 1,000 products with the most demand forecast, most first."),
                )
            ],
            series={
                "history": demand_by_week(params),
                "forecast": total_forecast_by_week(params),
                "accuracy": {key: counts[key] for key in ACCURACY_ORDER},
            },
            notes=notes,
        )

    # --- One product ----------------------------------------------------------------------
    def _product(self, params: Params) -> Result:
        stored = forecasts_for(params).first()
        suggestions = reorder_suggestions(product=params.product, only_orders=False, limit=None)
        if stored is None:
            return Result(
                figures=[Figure("method", _("Method"), "", TEXT)],
                series={"history": demand_by_week(params), "forecast": []},
                notes=[
                    _(
                        "This product has no stored forecast: it sold nothing in the last two "
                        "years, is inactive, or no forecast run has included it yet."
                    )
                ],
            )
        figures = [
            Figure("method", _("Method"), str(METHOD_LABELS.get(stored.method, stored.method)),
                   TEXT),
            Figure("accuracy", _("Accuracy"),
                   str(ACCURACY_LABELS.get(stored.accuracy, stored.accuracy)), TEXT),
            Figure("mase", _("Backtest error (MASE)"), _number(stored.mase), NUMBER),
            Figure("next_4_weeks", _("Demand next 4 weeks"), _qty(stored.next_4_weeks), QTY),
            Figure("next_13_weeks", _("Demand next 13 weeks"), _qty(stored.next_13_weeks), QTY),
            Figure("weeks_out", _("Weeks out of stock"), stored.n_censored, INT),
        ]  # fmt: skip
        notes = []
        if stored.mae is not None:
            notes.append(
                _("Typically within ±%(error)s units a week.")
                % {"error": f"{stored.mae:.0f}" if stored.mae >= 10 else f"{stored.mae:.1f}"}
            )
        if stored.fallback:
            notes.append(FALLBACK_REASONS[stored.fallback])
        if stored.n_censored:
            notes.append(
                _(
                    "%(weeks)s weeks out of stock are treated as unknown demand, not as weeks "
                    "without demand."
                )
                % {"weeks": stored.n_censored}
            )
        notes.append(
            _(
                "Computed %(when)s. The reorder lines split the forecast by each location's "
                "share of the last 13 weeks' sales, at a %(level)s%% service level and a "
                "review every %(days)s days."
            )
            % {
                "when": _when(stored.computed_at),
                "level": f"{DEFAULT_SERVICE_LEVEL * 100:g}",
                "days": DEFAULT_REVIEW_DAYS,
            }
        )
        history_weeks = _weeks(stored.history_start, len(stored.history))
        forecast_weeks = _weeks(stored.forecast_start, len(stored.forecast))
        reorder_rows = [
            {
                "location": s.location.name,
                "share": ratio(round(s.share * 10000), 10000),
                "weekly": _qty(s.weekly_demand),
                "supplier": s.terms.supplier_name if s.terms else str(_("no supplier")),
                "protection": s.advice.protection_days,
                "demand": _qty(s.advice.demand_over_protection),
                "safety": _qty(s.advice.safety_stock),
                "available": _qty(s.advice.available),
                "on_order": _qty(s.advice.on_order),
                "moq": _qty(s.advice.moq),
                "suggested": _qty(s.advice.suggested),
                "run_out": s.advice.run_out,
            }
            for s in suggestions
        ]
        tables = [
            Table(
                "reorder",
                _("Reorder reasoning per location"),
                [
                    Column("location", _("Location")),
                    Column("share", _("Share of demand %"), PERCENT),
                    Column("weekly", _("Forecast next 7 days"), QTY),
                    Column("supplier", _("Supplier")),
                    Column("protection", _("Lead time + review"), DAYS),
                    Column("demand", _("Demand over that"), QTY),
                    Column("safety", _("Safety stock"), QTY),
                    Column("available", _("Available"), QTY),
                    Column("on_order", _("On order"), QTY),
                    Column("moq", _("Minimum order"), QTY),
                    Column("suggested", _("Suggested order"), QTY),
                    Column("run_out", _("Runs out"), DATE),
                ],
                reorder_rows,
                _(
                    "Suggested order = demand over lead time and review + safety stock - "
                    "available - on order, rounded up to the minimum order."
                ),
            ),
            Table(
                "forecast",
                _("Forecast per week"),
                [
                    Column("week", _("Week of"), DATE),
                    Column("forecast", _("Forecast"), QTY),
                    Column("lower", _("Low"), QTY),
                    Column("upper", _("High"), QTY),
                ],
                [
                    {"week": week, "forecast": _qty(value), "lower": _qty(low), "upper": _qty(high)}
                    for week, value, low, high in zip(
                        forecast_weeks, stored.forecast, stored.lower, stored.upper, strict=True
                    )
                ],
                _("Low to high is the range demand falls in nine weeks out of ten."),
            ),
            Table(
                "history",
                _("Demand history per week"),
                [
                    Column("week", _("Week of"), DATE),
                    Column("units", _("Net units sold"), QTY),
                    Column("out_of_stock", _("Out of stock")),
                ],
                [
                    {
                        "week": week,
                        "units": _qty(units),
                        "out_of_stock": str(_("yes")) if out else "",
                    }
                    for week, units, out in zip(
                        history_weeks, stored.history, stored.censored, strict=True
                    )
                ][::-1],
            ),
        ]
        return Result(
            figures=figures,
            tables=tables,
            series={
                "stored": stored,
                "history_weeks": history_weeks,
                "forecast_weeks": forecast_weeks,
            },
            notes=notes,
        )

    def charts(self, result: Result) -> list[Chart]:
        drawn = []
        labels = [_("history"), _("forecast"), _("likely range"), _("out of stock")]
        stored = result.series.get("stored")
        if stored is not None:
            drawn.append(
                Chart(
                    _("Weekly demand and forecast"),
                    charts.forecast_chart(
                        result.series["history_weeks"], stored.history,
                        result.series["forecast_weeks"], stored.forecast, stored.lower,
                        stored.upper, censored=stored.censored, labels=[str(x) for x in labels],
                        ylabel=str(_("Units")),
                    ),
                )
            )  # fmt: skip
            return drawn
        history_x, history = _filled(result.series.get("history", []))
        forecast_x, forecast = _filled(result.series.get("forecast", []))
        if history or forecast:
            drawn.append(
                Chart(
                    _("Weekly demand, all products: history and forecast"),
                    charts.forecast_chart(
                        history_x, history, forecast_x, forecast,
                        labels=[str(x) for x in labels], ylabel=str(_("Units")),
                    ),
                )
            )  # fmt: skip
        accuracy = result.series.get("accuracy")
        if accuracy and any(accuracy.values()):
            drawn.append(
                Chart(
                    _("Products by forecast accuracy"),
                    charts.bar_chart(
                        [str(ACCURACY_LABELS[key]) for key in ACCURACY_ORDER],
                        [accuracy[key] for key in ACCURACY_ORDER],
                        horizontal=False,
                        xlabel=str(_("Products")),
                    ),
                )
            )
        return drawn
