"""Unusual days: a product's sales or stock adjustments on a day far outside its normal range,
by the robust (modified) z-score of Iglewicz and Hoaglin."""

from collections import Counter
from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal

import pandas as pd
from django.utils.translation import gettext_lazy as _

from .. import charts
from ..base import (
    DATE,
    INT,
    NUMBER,
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
from ..selectors.anomalies import ADJUSTMENT, SALE, Scoring, unusual_days
from ..selectors.filters import report_queries

BASELINE_DAYS = 90  # days before the range that tell what is normal, with the range itself
THRESHOLD = 3.5  # |z| above this is unusual (Iglewicz and Hoaglin)
MAD_FACTOR = 0.6745  # z = 0.6745 (x - median) / MAD
MEAN_AD_FACTOR = 1.253314  # when MAD is 0: z = (x - median) / (1.253314 * mean abs. deviation)
MIN_SELLING_SHARE = 0.25  # sales are judged only for products that sold on this share of days
MIN_ADJUSTMENT_SCALE = 1.0  # units: an adjustment must differ from normal by > 3.5 units
ROWS = 200
KEYS = ["product_id", "kind"]
SCORING = Scoring(
    threshold=THRESHOLD,
    mad_factor=MAD_FACTOR,
    mean_ad_factor=MEAN_AD_FACTOR,
    min_selling_share=MIN_SELLING_SHARE,
    min_adjustment_scale=MIN_ADJUSTMENT_SCALE,
)


def weighted_median(frame: pd.DataFrame) -> pd.Series:
    """Median of `value` per (product_id, kind), each value counted `weight` times (the two
    middle values averaged when the count is even).

    The report has PostgreSQL compute it (reports.selectors.anomalies); this is the same rule
    in pandas, which the tests hold the SQL to."""
    data = frame[frame["weight"] > 0].sort_values([*KEYS, "value"], kind="mergesort")
    grouped = data.groupby(KEYS, sort=False)["weight"]
    upto = grouped.cumsum()
    total = grouped.transform("sum")
    before = upto - data["weight"]
    middles = []
    for position in ((total - 1) // 2, total // 2):
        hit = (before <= position) & (position < upto)
        middles.append(data.loc[hit].groupby(KEYS)["value"].first())
    return (middles[0] + middles[1]) / 2


def _decimal(value: float, places: str) -> Decimal:
    return Decimal(repr(float(value))).quantize(Decimal(places), ROUND_HALF_UP)


class UnusualDaysReport(Report):
    slug = "unusual-days"
    title = _("Unusual days")
    question = _("Which products sold or were adjusted far outside their normal range, and when?")
    order = 70
    filters = ("location", "category")
    default_days = 30

    def build(self, params: Params) -> Result:
        with report_queries():
            return self._build(params)

    def _build(self, params: Params) -> Result:
        window_start = params.start - timedelta(days=BASELINE_DAYS)
        flagged, active = unusual_days(params, since=window_start, scoring=SCORING)
        kinds = {SALE: str(_("sale")), ADJUSTMENT: str(_("adjustment"))}
        rows = [
            {
                "day": row["day"],
                "sku": row["sku"],
                "name": row["name"],
                "kind": kinds[row["kind"]],
                "quantity": _decimal(row["quantity"], "0.001"),
                "median": _decimal(row["median"], "0.001"),
                "z": _decimal(row["z"], "0.01"),
            }
            for row in flagged[:ROWS]
        ]
        counts = Counter(row["kind"] for row in flagged)
        figures = [
            Figure("days", _("Unusual days"), len(flagged), INT),
            Figure(
                "products", _("Products involved"), len({r["product_id"] for r in flagged}), INT
            ),
            Figure("sales", _("Unusual sales days"), counts[SALE], INT),
            Figure("adjustments", _("Unusual adjustment days"), counts[ADJUSTMENT], INT),
        ]
        table = Table(
            "days",
            _("Unusual product-days"),
            [
                Column("day", _("Date"), DATE),
                Column("sku", _("SKU")),
                Column("name", _("Product")),
                Column("kind", _("Kind"), TEXT),
                Column("quantity", _("Quantity"), QTY),
                Column("median", _("Typical (median)"), QTY),
                Column("z", _("Robust z-score"), NUMBER),
            ],
            rows,
            _("The most extreme first; the first %(rows)s of %(count)s.")
            % {"rows": ROWS, "count": len(flagged)},
        )
        notes = [
            _(
                "Each product's day is compared with its days over the range and the "
                "%(baseline)s days before it, days without a movement counting as zero: "
                "z = 0.6745 * (quantity - median) / MAD, the median absolute deviation. When "
                "the MAD is zero (at least half of the days alike, usually zero), the mean "
                "absolute deviation * 1.2533 takes its place; a series that never changes has "
                "no unusual day. A day is unusual when |z| is above 3.5."
            )
            % {"baseline": BASELINE_DAYS},
            _(
                "Sales: units sold a day (returns not subtracted), counted from the product's "
                "first sale in that span; only days above normal are listed, and products that "
                "sold on fewer than a quarter of their days are not judged (with so few, every "
                "ordinary sale would look unusual). Adjustments: adjustments and stock counts, "
                "stock added positive, both directions listed; an adjustment is measured "
                "against the larger of its own spread, the product's spread of daily sales "
                "and one unit, so a count correcting a unit or two is not unusual."
            ),
        ]
        series = {
            "days": [params.start + timedelta(days=n) for n in range(params.days)],
            "active": active,
            SALE: {},
            ADJUSTMENT: {},
        }
        for (day, kind), count in sorted(Counter((r["day"], r["kind"]) for r in flagged).items()):
            series[kind][day] = count
        return Result(figures=figures, tables=[table], series=series, notes=notes)

    def charts(self, result: Result) -> list[Chart]:
        series = result.series
        if not series["active"]:
            return []
        lines = {
            str(_("Sales")): [series[SALE].get(day, 0) for day in series["days"]],
            str(_("Adjustments")): [series[ADJUSTMENT].get(day, 0) for day in series["days"]],
        }
        return [
            Chart(
                _("Unusual product-days a day"),
                charts.line_chart(series["days"], lines, ylabel=str(_("Products"))),
            )
        ]
