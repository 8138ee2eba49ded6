"""Stored forecasts as the forecast report and the API read them: a fixed number of queries."""

from datetime import date

from django.db import connection
from django.db.models import Count, DateField, Q, QuerySet, Sum
from django.db.models.functions import Trunc

from ..base import Params
from ..models import ProductForecast
from .filters import product_conditions
from .replenishment import stored_forecasts
from .sales import facts


def forecasts_for(params: Params) -> QuerySet[ProductForecast]:
    """Stored forecasts of active products under the report's category, supplier and
    product filters, with their products."""
    return stored_forecasts(
        category_ids=params.category_ids, supplier=params.supplier, product=params.product
    ).select_related("product")


def accuracy_counts(params: Params) -> dict:
    """Products forecast, by accuracy class, and how many fell back to a simple method."""
    return forecasts_for(params).aggregate(
        total=Count("pk"),
        good=Count("pk", filter=Q(accuracy="good")),
        fair=Count("pk", filter=Q(accuracy="fair")),
        poor=Count("pk", filter=Q(accuracy="poor")),
        unknown=Count("pk", filter=Q(accuracy="unknown")),
        fallback=Count("pk", filter=~Q(fallback="")),
        censored=Count("pk", filter=Q(n_censored__gt=0)),
    )


# Constant text; the filter fragment holds only placeholders (see .filters).
TOTAL_FORECAST_SQL = """
SELECT f.forecast_start + (i.n - 1) * 7 AS week, SUM(f.forecast[i.n]) AS units
  FROM reports_productforecast f
  JOIN products_product p ON p.id = f.product_id
 CROSS JOIN LATERAL generate_subscripts(f.forecast, 1) AS i(n)
 WHERE p.is_active AND {conditions}
 GROUP BY 1
 ORDER BY 1
"""


def total_forecast_by_week(params: Params) -> list[tuple[date, float]]:
    """Forecast demand per week summed over the filtered products (one query)."""
    conditions, args = product_conditions(params, "p")
    with connection.cursor() as cursor:
        cursor.execute(TOTAL_FORECAST_SQL.format(conditions=conditions), args)
        return [(week, float(units)) for week, units in cursor.fetchall()]


def demand_by_week(params: Params) -> list[tuple[date, float]]:
    """Net units sold per week in the report's range under its filters (one query)."""
    rows = (
        facts(params)
        .annotate(week=Trunc("occurred_at", "week", output_field=DateField()))
        .values("week")
        .annotate(units=Sum("quantity"))
        .order_by("week")
    )
    return [(row["week"], float(row["units"])) for row in rows]
