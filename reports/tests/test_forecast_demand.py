"""Weekly demand for the forecasts: what counts as demand, and which weeks are out of stock."""

import uuid
from datetime import timedelta
from decimal import Decimal

import numpy as np
import pytest

from accounts.roles import Role
from orders.services.sales import (
    SaleLine,
    counter_sale,
    sales_order_cancel,
    sales_order_confirm,
    sales_order_create,
    sales_order_return,
)
from products.tests.factories import ProductFactory
from reports.forecast_runs import forecast_run_execute, forecast_run_start
from reports.forecasting import select
from reports.models import ProductForecast
from reports.selectors.demand import Window, demand_histories, location_shares, weekly_demand
from stock.services import stock_receive
from stock.tests.factories import LocationFactory

from .demand_factories import imported_sale, sell_daily, this_monday

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager(make_user):
    return make_user(Role.MANAGER)


def test_weekly_demand_nets_returns_and_counts_imported_lines_but_not_cancelled_orders(manager):
    shop, kopi = LocationFactory(), ProductFactory(sale_price=Decimal(10))
    stock_receive(actor=manager, product=kopi, location=shop, quantity=100, unit_cost=5)
    sale, _new = counter_sale(
        actor=manager, location=shop, lines=[SaleLine(kopi, Decimal(5))], payment_method="card",
        token=uuid.uuid4(),
    )  # fmt: skip
    sales_order_return(
        actor=manager, order=sale, quantities={sale.lines.get().pk: Decimal(2)}, reason="other"
    )
    cancelled = sales_order_create(actor=manager, location=shop, lines=[SaleLine(kopi, 7)])
    sales_order_cancel(actor=manager, order=sales_order_confirm(actor=manager, order=cancelled))
    monday = this_monday()
    imported_sale(manager, product=kopi, day=monday - timedelta(weeks=2), quantity=3)
    imported_sale(manager, product=kopi, day=monday - timedelta(weeks=2, days=-2), quantity=-1)
    imported_sale(manager, product=kopi, day=monday - timedelta(weeks=3), quantity=4, location=shop)
    window = Window(start=monday - timedelta(weeks=3), end=monday + timedelta(weeks=1))

    assert weekly_demand([kopi.pk], window)[kopi.pk] == {
        monday: 3.0,  # 5 sold, 2 returned; the cancelled 7 never left the shelf
        monday - timedelta(weeks=2): 2.0,  # imported 3, imported return 1
        monday - timedelta(weeks=3): 4.0,
    }


def test_weeks_out_of_stock_on_most_days_are_censored(manager):
    shop, teh = LocationFactory(), ProductFactory()
    # 2 a day for 8 weeks exhausts the one receipt on the last Sunday; then 4 weeks empty.
    sell_daily(manager, product=teh, location=shop, per_day=2, weeks=12,
               quiet_weeks=frozenset({8, 9, 10, 11}), receipts={0: 2 * 7 * 8})  # fmt: skip
    window = Window.ending_this_week(12)

    history = demand_histories([teh.pk], window)[teh.pk]

    assert history.start == window.start
    assert history.values.tolist() == [14.0] * 8 + [0.0] * 4
    # The first empty evening (the eighth week's Sunday) is one day: not most of the week.
    assert history.censored.tolist() == [False] * 8 + [True] * 4


def test_weeks_before_the_first_stock_movement_are_taken_at_face_value(manager):
    shop, gula = LocationFactory(), ProductFactory()
    monday = this_monday()
    for weeks_ago in (10, 9, 8):
        imported_sale(manager, product=gula, day=monday - timedelta(weeks=weeks_ago), quantity=6)
    stock_receive(actor=manager, product=gula, location=shop, quantity=1, unit_cost=5)

    history = demand_histories([gula.pk], Window.ending_this_week(104))[gula.pk]

    assert history.start == monday - timedelta(weeks=10)
    assert history.values.tolist() == [6.0, 6.0, 6.0] + [0.0] * 7
    assert not history.censored.any()  # no stock record before the receipt: not a stock-out


def test_a_location_gets_its_share_of_the_last_13_weeks_of_sales(manager):
    north, south, kopi = LocationFactory(), LocationFactory(), ProductFactory()
    sell_daily(manager, product=kopi, location=north, per_day=3, weeks=4)
    sell_daily(manager, product=kopi, location=south, per_day=1, weeks=4)
    imported_sale(manager, product=kopi, day=this_monday() - timedelta(weeks=2), quantity=50)

    shares = location_shares([kopi.pk], Window.ending_this_week(104))

    # Imported lines without a location say nothing about where it sells.
    assert shares == {kopi.pk: {str(north.pk): 0.75, str(south.pk): 0.25}}


def test_a_stock_out_does_not_drag_the_stored_forecast_down(manager):
    shop, kopi = LocationFactory(), ProductFactory()
    # A flat 14 a week for 26 weeks, then out of stock for the last four weeks.
    sell_daily(manager, product=kopi, location=shop, per_day=2, weeks=30,
               quiet_weeks=frozenset({26, 27, 28, 29}), receipts={0: 2 * 7 * 26})  # fmt: skip
    run, _created = forecast_run_start(actor=manager, dispatch=False)
    forecast_run_execute(run_id=run.pk)

    stored = ProductForecast.objects.get(product=kopi)
    assert stored.n_censored == 4
    assert stored.censored[-4:] == [True] * 4
    assert stored.forecast[0] == pytest.approx(14, rel=0.05)
    # Read as zero demand, the same weeks would have pulled the forecast well down.
    naive_reading = select(stored.history, horizon=26, lead=2)
    assert naive_reading.forecast[0] < 0.8 * stored.forecast[0]
    assert np.allclose(stored.forecast, stored.forecast[0], rtol=0.05)
