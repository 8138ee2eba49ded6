"""Unusual days: a product's sales or stock adjustments on a day far outside its normal range,
by the robust (modified) z-score of Iglewicz and Hoaglin."""

from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

import numpy as np
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
from ..selectors.anomalies import ADJUSTMENT, SALE, daily_quantities, product_names

BASELINE_DAYS = 90  # days before the range that tell what is normal, with the range itself
THRESHOLD = 3.5  # |z| above this is unusual (Iglewicz and Hoaglin)
MAD_FACTOR = 0.6745  # z = 0.6745 (x - median) / MAD
MEAN_AD_FACTOR = 1.253314  # when MAD is 0: z = (x - median) / (1.253314 * mean abs. deviation)
MIN_SELLING_SHARE = 0.25  # sales are judged only for products that sold on this share of days
MIN_ADJUSTMENT_SCALE = 1.0  # units: an adjustment must differ from normal by > 3.5 units
ROWS = 200
KEYS = ["product_id", "kind"]


def weighted_median(frame: pd.DataFrame) -> pd.Series:
    """Median of `value` per (product_id, kind), each value counted `weight` times (the two
    middle values averaged when the count is even)."""
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


def unusual_days(daily: pd.DataFrame, params: Params, window_start: date) -> pd.DataFrame:
    """Score each day of the range with a movement against its product's days in the window.

    Every day of a series counts, the days without a movement as zeros (they are counted, not
    written out): a sales series from the product's first sale in the window (before it the
    product may not have been on sale), an adjustment series over the whole window (a product
    never adjusted before has all zeros). Return the unusual days with their median and
    z-score: sales days above the normal (z > 3.5), adjustment days either way (|z| > 3.5).
    """
    if daily.empty:
        return daily.assign(median=[], z=[])
    days = daily.groupby(KEYS).agg(first=("day", "min"), active=("day", "size"))
    days.loc[days.index.get_level_values("kind") == ADJUSTMENT, "first"] = window_start
    days["span"] = [(params.end - first).days + 1 for first in days["first"]]
    days["zeros"] = days["span"] - days["active"]
    zeros = days.loc[days["zeros"] > 0, ["zeros"]].reset_index()
    values = pd.concat(
        [
            daily[[*KEYS, "quantity"]].rename(columns={"quantity": "value"}).assign(weight=1),
            zeros.rename(columns={"zeros": "weight"}).assign(value=0.0),
        ],
        ignore_index=True,
    )
    days["median"] = weighted_median(values)
    values = values.join(days["median"], on=KEYS)
    values["value"] = (values["value"] - values["median"]).abs()
    days["mad"] = weighted_median(values)
    values["spread"] = values["value"] * values["weight"]
    days["mean_ad"] = values.groupby(KEYS)["spread"].sum() / days["span"]
    days["scale"] = np.where(
        days["mad"] > 0, days["mad"] / MAD_FACTOR, days["mean_ad"] * MEAN_AD_FACTOR
    )
    # A product that sold on few days has no normal day: each ordinary sale would look unusual.
    sparse = (days.index.get_level_values("kind") == SALE) & (
        days["active"] < MIN_SELLING_SHARE * days["span"]
    )
    days.loc[sparse | (days["scale"] <= 0), "scale"] = np.nan
    # An adjustment is measured against the product's day-to-day variation in sales too, and
    # against at least one unit: a count that corrects one unit is bookkeeping, not shrinkage.
    kinds = days.index.get_level_values("kind")
    products = days.index.get_level_values("product_id")
    selling = days.loc[kinds == SALE, "scale"].droplevel("kind")
    adjusting = kinds == ADJUSTMENT
    floor = np.fmax(selling.reindex(products[adjusting]).to_numpy(), MIN_ADJUSTMENT_SCALE)
    days.loc[adjusting, "scale"] = np.fmax(days.loc[adjusting, "scale"].to_numpy(), floor)
    scored = daily[daily["day"] >= params.start].join(days[["median", "scale"]], on=KEYS)
    scored = scored.dropna(subset=["scale"])
    scored["z"] = (scored["quantity"] - scored["median"]) / scored["scale"]
    unusual = np.where(
        scored["kind"] == SALE, scored["z"] > THRESHOLD, scored["z"].abs() > THRESHOLD
    )
    scored = scored[unusual].drop(columns="scale")
    scored["extreme"] = scored["z"].abs()
    return scored.sort_values(["extreme", "day", "product_id"], ascending=[False, True, True]).drop(
        columns="extreme"
    )


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
        window_start = params.start - timedelta(days=BASELINE_DAYS)
        daily = daily_quantities(params, since=window_start)
        flagged = unusual_days(daily, params, window_start)
        shown = flagged.head(ROWS)
        names = product_names([int(pk) for pk in shown["product_id"].unique()])
        kinds = {SALE: str(_("sale")), ADJUSTMENT: str(_("adjustment"))}
        rows = [
            {
                "day": row.day,
                "sku": names[row.product_id][0],
                "name": names[row.product_id][1],
                "kind": kinds[row.kind],
                "quantity": _decimal(row.quantity, "0.001"),
                "median": _decimal(row.median, "0.001"),
                "z": _decimal(row.z, "0.01"),
            }
            for row in shown.itertuples()
        ]
        figures = [
            Figure("days", _("Unusual days"), len(flagged), INT),
            Figure("products", _("Products involved"), flagged["product_id"].nunique(), INT),
            Figure("sales", _("Unusual sales days"), int((flagged["kind"] == SALE).sum()), INT),
            Figure(
                "adjustments",
                _("Unusual adjustment days"),
                int((flagged["kind"] == ADJUSTMENT).sum()),
                INT,
            ),
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
            "active": bool((daily["day"] >= params.start).any()),
            SALE: {},
            ADJUSTMENT: {},
        }
        for (day, kind), count in flagged.groupby(["day", "kind"]).size().items():
            series[kind][day] = int(count)
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
