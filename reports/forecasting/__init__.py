"""Demand forecasting engine: pure numpy, no models or queries.

`select()` picks a method per product by rolling-origin backtest and returns a `Forecast`;
`reorder_advice()` turns a forecast into an order suggestion and a run-out date. The Django
side builds the demand history per period (net of returns, with out-of-stock periods flagged
as censored) and stores or shows what these return.
"""

from .backtest import Score
from .reorder import ReorderAdvice, demand_over, reorder_advice, round_order, run_out_date
from .selection import DAY, MONTH, PERIOD_DAYS, SEASON_LENGTH, WEEK, Forecast, select

__all__ = [
    "DAY",
    "MONTH",
    "PERIOD_DAYS",
    "SEASON_LENGTH",
    "WEEK",
    "Forecast",
    "ReorderAdvice",
    "Score",
    "demand_over",
    "reorder_advice",
    "round_order",
    "run_out_date",
    "select",
]
