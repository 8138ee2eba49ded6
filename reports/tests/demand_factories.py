"""Sales histories for the forecast tests: a product sold every day, with receipts and gaps."""

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

from orders.services.history import PastSale, orders_history_load
from reports.models import ImportBatch, ImportedSale
from reports.selectors.demand import week_start
from stock.services import PastMovement


def at(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def this_monday() -> date:
    return week_start(timezone.localdate())


def sell_daily(
    actor,
    *,
    product,
    location,
    per_day: int,
    weeks: int,
    quiet_weeks: frozenset[int] = frozenset(),
    receipts: dict[int, int] | None = None,
):
    """Sell `per_day` units every day for the `weeks` complete weeks before this one (week 0
    the oldest), except in `quiet_weeks`; `receipts` maps a week to the units received on its
    Monday at 06:00 (default: enough for everything, received in week 0)."""
    first = this_monday() - timedelta(weeks=weeks)
    total = per_day * 7 * (weeks - len(quiet_weeks))
    receipts = receipts if receipts is not None else {0: total}
    movements = [
        PastMovement("receipt", product.pk, Decimal(units), at(first + timedelta(weeks=week), 6),
                     to_location_id=location.pk, unit_cost=Decimal(5))
        for week, units in receipts.items()
    ]  # fmt: skip
    sales = [
        PastSale(location.pk, at(first + timedelta(days=day)), [(product.pk, Decimal(per_day))])
        for day in range(weeks * 7)
        if day // 7 not in quiet_weeks
    ]
    orders_history_load(actor=actor, sales=sales, movements=movements)


def imported_sale(actor, *, product, day: date, quantity, location=None) -> ImportedSale:
    """An imported history line (negative quantity: an imported return)."""
    batch, _created = ImportBatch.objects.get_or_create(
        file_sha256="f" * 64,
        defaults={"file_name": "history.csv", "uploaded_by": actor, "status": "done"},
    )
    quantity = Decimal(quantity)
    return ImportedSale.objects.create(
        batch=batch, line_number=ImportedSale.objects.count() + 1, occurred_at=at(day, 12),
        product=product, quantity=quantity, unit_price=Decimal(10), revenue=quantity * 10,
        location=location, fingerprint=f"{product.pk}-{day}-{quantity}-{location}",
    )  # fmt: skip


def stored_forecast(product, *, weekly: float, sigma: float, shares: dict, start=None, **fields):
    """A stored forecast of `weekly` units every week from `start` (default today), split to
    locations by `shares` ({location: share})."""
    from reports.models import ProductForecast

    start = start or timezone.localdate()
    return ProductForecast.objects.create(
        product=product, history_start=start - timedelta(weeks=4), history=[weekly] * 4,
        censored=[False] * 4, forecast_start=start, forecast=[weekly] * 26,
        lower=[weekly * 0.8] * 26, upper=[weekly * 1.2] * 26, method="ses", sigma=sigma,
        mase=0.7, accuracy="good", computed_at=timezone.now(), next_4_weeks=weekly * 4,
        next_13_weeks=weekly * 13,
        location_shares={str(place.pk): share for place, share in shares.items()}, **fields,
    )  # fmt: skip
