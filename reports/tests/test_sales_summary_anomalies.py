"""Unusual days scored in SQL agree with the pandas rule they replaced, on random data: busy
and sparse sellers, constant ones, and adjustments both ways."""

import random
from dataclasses import replace
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

import numpy as np
import pandas as pd
import pytest
from django.db.models import Case, F, Sum, When
from django.db.models.functions import TruncDate
from django.utils import timezone

from accounts.roles import Role
from orders.services.history import PastSale, orders_history_load
from products.tests.factories import ProductFactory
from reports.base import Params
from reports.library.anomalies import (
    BASELINE_DAYS,
    KEYS,
    MAD_FACTOR,
    MEAN_AD_FACTOR,
    MIN_ADJUSTMENT_SCALE,
    MIN_SELLING_SHARE,
    THRESHOLD,
    UnusualDaysReport,
    weighted_median,
)
from reports.models import SalesFact
from stock.models import StockMovement
from stock.services import PastMovement
from stock.tests.factories import LocationFactory

pytestmark = pytest.mark.django_db
SALE, ADJUSTMENT = "sale", "adjustment"


def reference_daily(params: Params, since: date) -> pd.DataFrame:
    """The daily quantities as the pandas version read them, from the view and the ledger."""
    window = replace(params, start=since)
    sales = (
        SalesFact.objects.filter(
            occurred_at__gte=window.since, occurred_at__lt=window.until, quantity__gt=0
        )
        .annotate(day=TruncDate("occurred_at"))
        .values("product_id", "day")
        .annotate(total=Sum("quantity"))
        .values_list("product_id", "day", "total")
    )
    signed = Case(When(to_location__isnull=False, then=F("quantity")), default=-F("quantity"))
    adjusted = (
        StockMovement.objects.filter(
            kind__in=["adjustment", "count"],
            created_at__gte=window.since,
            created_at__lt=window.until,
        )
        .annotate(day=TruncDate("created_at"))
        .values("product_id", "day")
        .annotate(total=Sum(signed))
        .values_list("product_id", "day", "total")
    )
    records = [(pk, SALE, day, float(total)) for pk, day, total in sales]
    records += [(pk, ADJUSTMENT, day, float(total)) for pk, day, total in adjusted if total]
    return pd.DataFrame.from_records(records, columns=["product_id", "kind", "day", "quantity"])


def reference_unusual_days(daily: pd.DataFrame, params: Params, window_start) -> pd.DataFrame:
    """The pandas rule the report used before scoring moved to SQL (verbatim)."""
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
    sparse = (days.index.get_level_values("kind") == SALE) & (
        days["active"] < MIN_SELLING_SHARE * days["span"]
    )
    days.loc[sparse | (days["scale"] <= 0), "scale"] = np.nan
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
    return scored[unusual]


def test_sql_scoring_flags_the_days_the_pandas_rule_flags(make_user):
    rng = random.Random(7)
    manager, shop = make_user(Role.MANAGER), LocationFactory()
    today = timezone.localdate()
    noon = timezone.now().replace(hour=12, minute=0, second=0, microsecond=0)
    products = ProductFactory.create_batch(8)
    movements, sales = [], []
    for n, product in enumerate(products):
        movements.append(PastMovement("receipt", product.pk, Decimal(100000),
                                      noon - timedelta(days=200), to_location_id=shop.pk,
                                      unit_cost=Decimal(1)))  # fmt: skip
        density = [0.95, 0.8, 0.6, 0.45, 0.3, 0.1, 1.0, 0.5][n]
        for ago in range(1, 150):
            if rng.random() < density:
                units = 5 if n == 6 else rng.choice([1, 2, 3, 4, 5, 8, 13, 40])
                sales.append(PastSale(shop.pk, noon - timedelta(days=ago),
                                      [(product.pk, Decimal(units))]))  # fmt: skip
            if rng.random() < 0.05:
                kind = rng.choice(["adjustment", "count"])
                out = rng.random() < 0.6
                movements.append(PastMovement(
                    kind, product.pk, Decimal(rng.choice([1, 2, 3, 30])),
                    noon - timedelta(days=ago, hours=1),
                    from_location_id=shop.pk if out else None,
                    to_location_id=None if out else shop.pk,
                ))  # fmt: skip
    orders_history_load(actor=manager, movements=movements, sales=sales)
    params = Params(start=today - timedelta(days=59), end=today)
    window_start = params.start - timedelta(days=BASELINE_DAYS)
    expected = reference_unusual_days(reference_daily(params, window_start), params, window_start)
    assert len(expected) > 3  # the data does have unusual days of both kinds
    assert set(expected["kind"]) == {SALE, ADJUSTMENT}

    result = UnusualDaysReport().build(params)
    sku = {product.pk: product.sku for product in products}
    found = {
        (row["sku"], row["day"], str(row["kind"])): row["z"] for row in result.table("days").rows
    }
    wanted = {
        (sku[row.product_id], row.day, row.kind): Decimal(repr(row.z)).quantize(
            Decimal("0.01"), ROUND_HALF_UP
        )
        for row in expected.itertuples()
    }
    assert found == wanted
