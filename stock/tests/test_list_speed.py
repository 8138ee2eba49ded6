"""The stock list pages at scale: a fixed number of queries whatever the page size, keyset
pages of the ledger that neither skip nor repeat rows (ties on the time included), and low
stock as it was defined before it was made faster."""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from products.tests.factories import ProductFactory
from stock import services
from stock.filters import MovementFilter
from stock.models import LocationMinimum, StockMovement
from stock.selectors import low_stock, movement_list, movement_page
from stock.tests.factories import LocationFactory

pytestmark = pytest.mark.django_db

NOON = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)


@pytest.fixture
def manager(make_user):
    return make_user(Role.MANAGER)


def ledger(manager, location, product, times: list[datetime]) -> list[int]:
    """Receipts at `times` (written as the history import does); their ids newest first."""
    StockMovement.objects.bulk_create(
        StockMovement(
            kind=StockMovement.Kind.RECEIPT, product=product, to_location=location,
            quantity=1, user=manager, created_at=at,
        )
        for at in times
    )  # fmt: skip
    return list(StockMovement.objects.order_by("-created_at", "-pk").values_list("pk", flat=True))


@pytest.fixture
def tied(manager):
    """37 movements over three instants, most of them sharing one."""
    location, product = LocationFactory(), ProductFactory()
    times = [NOON] * 25 + [NOON - timedelta(seconds=1)] * 7 + [NOON + timedelta(seconds=1)] * 5
    return ledger(manager, location, product, times)


def walk_older(size: int) -> list[list[int]]:
    pages, page = [], movement_page(movement_list(), size=size)
    while True:
        pages.append([m.pk for m in page.movements])
        if not page.older:
            return pages
        page = movement_page(movement_list(), before=page.older, size=size)


def test_keyset_pages_of_the_ledger_neither_skip_nor_repeat_tied_rows(tied):
    pages = walk_older(size=4)
    assert [pk for page in pages for pk in page] == tied
    assert [len(page) for page in pages] == [4] * 9 + [1]


def test_keyset_pages_walk_back_to_the_newest(tied):
    last = movement_page(movement_list(), size=6)
    while last.older:
        last = movement_page(movement_list(), before=last.older, size=6)
    back, page = [], last
    while page.newer:
        page = movement_page(movement_list(), after=page.newer, size=6)
        back = [m.pk for m in page.movements] + back
    assert back + [m.pk for m in last.movements] == tied
    assert page.newer is None  # the newest page says so


def test_a_cursor_the_page_did_not_make_is_refused():
    for cursor in ("x", "12", "1-2-3", "-5", "99999999999999999999-1"):
        with pytest.raises(ValueError, match="Not a movement cursor"):
            movement_page(movement_list(), before=cursor)


def test_movement_history_pages_by_keyset_with_a_fixed_number_of_queries(
    client, manager, django_assert_num_queries
):
    location, product = LocationFactory(), ProductFactory()
    ledger(manager, location, product, [NOON] * 3)
    client.force_login(manager)
    url = reverse("stock:movement_list")
    # session, user, permissions, role and unread count (navbar), the page, the filter
    # form's location choices and the chosen location: no count of the ledger (users are an
    # autocomplete: none until one is chosen)
    with django_assert_num_queries(8):
        client.get(url, {"location": location.pk})
    ids = ledger(manager, location, product, [NOON + timedelta(minutes=n) for n in range(120)])
    with django_assert_num_queries(8):
        first = client.get(url, {"location": location.pk})
    assert [m.pk for m in first.context["object_list"]] == ids[:50]
    older = first.context["movement_page"].older
    assert f"before={older}" in first.content.decode()
    second = client.get(url, {"location": location.pk, "before": older})
    assert [m.pk for m in second.context["object_list"]] == ids[50:100]
    assert "Newest" in second.content.decode()
    assert client.get(url, {"before": "nonsense"}).status_code == 200  # the newest page


def test_the_movements_api_pages_by_cursor_without_counting(client, manager, tied):
    client.force_login(manager)
    url = reverse("api:stock-movement-list")
    seen, body = [], client.get(url, {"page_size": 10}).json()
    assert "count" not in body
    assert body["previous"] is None
    while True:
        seen += [row["id"] for row in body["results"]]
        if not body["next"]:
            break
        body = client.get(body["next"]).json()
        assert body["previous"]
    assert seen == tied
    assert client.get(url, {"before": "x"}).status_code == 400


def test_the_movements_api_runs_a_fixed_number_of_queries(
    client, manager, django_assert_num_queries
):
    location, product = LocationFactory(), ProductFactory()
    client.force_login(manager)
    url = reverse("api:stock-movement-list")
    ledger(manager, location, product, [NOON])
    # session, user, permissions (model permissions), the page
    with django_assert_num_queries(4) as few:
        client.get(url)
    ledger(manager, location, product, [NOON] * 80)
    with django_assert_num_queries(len(few.captured_queries)):
        assert len(client.get(url).json()["results"]) == 50


def test_the_date_filters_are_days_of_the_local_calendar(manager):
    location, product = LocationFactory(), ProductFactory()
    jakarta = ZoneInfo("Asia/Jakarta")
    late = datetime(2026, 3, 2, 23, 30, tzinfo=jakarta)  # 16:30 UTC, same day
    early = datetime(2026, 3, 3, 0, 30, tzinfo=jakarta)  # 17:30 UTC of the 2nd
    ledger(manager, location, product, [late, early])
    with timezone.override(jakarta):

        def times(**data):
            movements = MovementFilter(data, queryset=movement_list()).qs
            return [m.created_at for m in movements]

        assert times(until="2026-03-02") == [late]
        assert times(since="2026-03-03") == [early]
        assert times(since="2026-03-02", until="2026-03-03") == [early, late]
        assert times(until=date.max.isoformat()) == [early, late]


def test_the_product_filter_matches_the_sku_in_any_case(manager):
    location = LocationFactory()
    kopi, teh = ProductFactory(sku="Kopi-1"), ProductFactory(sku="TEH-1")
    ledger(manager, location, kopi, [NOON])
    ledger(manager, location, teh, [NOON])
    movements = MovementFilter({"product": " kopi-1 "}, queryset=movement_list()).qs
    assert [m.product for m in movements] == [kopi]


@pytest.mark.parametrize("extra", [0, 60])
def test_the_stock_overview_over_every_location_runs_a_fixed_number_of_queries(
    client, manager, django_assert_num_queries, extra
):
    location = LocationFactory()
    for product in ProductFactory.create_batch(3 + extra):
        services.stock_receive(
            actor=manager, product=product, location=location, quantity=2, unit_cost=1
        )
    client.force_login(manager)
    # session, user, permissions, role and unread count (navbar), count, page, and the
    # filter form's location choices (the category is chosen by autocomplete)
    with django_assert_num_queries(8), CaptureQueriesContext(connection) as seen:
        response = client.get(reverse("stock:overview"), {"in_stock": "on"})
    assert len(response.context["object_list"]) == min(3 + extra, 50)
    counts = [q["sql"] for q in seen.captured_queries if "COUNT(*)" in q["sql"]]
    assert counts
    assert "SUM(" not in counts[0]  # counting the products sums nothing


def test_the_stock_overview_only_in_stock_sums_the_chosen_scope(client, manager):
    a, b = LocationFactory(name="A"), LocationFactory(name="B")
    here, there = ProductFactory(sku="HERE"), ProductFactory(sku="THERE")
    services.stock_receive(actor=manager, product=here, location=a, quantity=3, unit_cost=1)
    services.stock_receive(actor=manager, product=there, location=b, quantity=4, unit_cost=1)
    services.stock_reserve(actor=manager, product=there, location=b, quantity=1)
    client.force_login(manager)
    url = reverse("stock:overview")

    def shown(**data):
        rows = client.get(url, data).context["object_list"]
        return {p.sku: (p.on_hand, p.reserved, p.available) for p in rows}

    assert shown(location=a.pk, in_stock="on") == {"HERE": (3, 0, 3)}
    assert shown(in_stock="on") == {"HERE": (3, 0, 3), "THERE": (4, 1, 3)}
    assert shown(location=b.pk)["HERE"] == (0, 0, 0)


def old_low_stock(location_id=None) -> list[tuple]:
    """Low stock as the page defined it before (every product summed in Python)."""
    from products.models import Product
    from stock.models import StockLevel

    rows = []
    if location_id is None:
        for product in Product.objects.filter(is_active=True, reorder_point__gt=0):
            levels = StockLevel.objects.filter(product=product)
            free = sum((level.on_hand - level.reserved for level in levels), Decimal(0))
            if free <= product.reorder_point:
                rows.append((free / product.reorder_point, product.pk, None, free))
    for minimum in LocationMinimum.objects.filter(product__is_active=True):
        if location_id and minimum.location_id != location_id:
            continue
        level = StockLevel.objects.filter(
            product=minimum.product_id, location=minimum.location_id
        ).first()
        free = level.on_hand - level.reserved if level else Decimal(0)
        if free <= minimum.reorder_point:
            urgency = free / minimum.reorder_point
            rows.append((urgency, minimum.product_id, minimum.location_id, free))
    rows.sort(key=lambda row: (row[0], row[1], row[2] is None, row[2] or 0))
    return [(pk, location, free) for _urgency, pk, location, free in rows]


def test_low_stock_is_what_it_was_before_on_a_mixed_fixture(manager):
    warehouse, shop = LocationFactory(name="Gudang"), LocationFactory(name="Toko")
    never_stocked = ProductFactory(reorder_point=4)
    inactive = ProductFactory(reorder_point=4, is_active=False)
    no_point = ProductFactory(reorder_point=0)
    spread = ProductFactory(reorder_point=10)  # 6 + 5 over two locations: not low
    reserved = ProductFactory(reorder_point=10)  # 12 on hand, 3 reserved: 9 is low
    exact = ProductFactory(reorder_point=7)  # exactly at the point: low
    shop_only = ProductFactory(reorder_point=2)  # plenty overall, short at the shop
    receipts = [
        (spread, warehouse, 6), (spread, shop, 5), (reserved, warehouse, 12),
        (exact, shop, 7), (shop_only, warehouse, 40), (shop_only, shop, 1), (inactive, shop, 1),
    ]  # fmt: skip
    for product, location, quantity in receipts:
        services.stock_receive(
            actor=manager, product=product, location=location, quantity=quantity, unit_cost=1
        )
    services.stock_reserve(actor=manager, product=reserved, location=warehouse, quantity=3)
    for product, location, point in (
        (shop_only, shop, 3), (spread, shop, 5), (no_point, warehouse, 1), (inactive, shop, 9),
    ):  # fmt: skip
        LocationMinimum.objects.create(product=product, location=location, reorder_point=point)

    def now(location_id=None):
        return [
            (row.get("pk") or row["product_id"], row["location_id"], row["available"])
            for row in low_stock(location_id=location_id)
        ]

    expected = old_low_stock()
    assert now() == expected
    assert {pk for pk, _loc, _free in expected} == {
        never_stocked.pk, reserved.pk, exact.pk, shop_only.pk, spread.pk, no_point.pk,
    }  # fmt: skip
    assert now(shop.pk) == old_low_stock(shop.pk)
    assert low_stock().count() == len(expected)


def test_the_low_stock_page_and_api_sum_once(client, manager, django_assert_num_queries):
    shop = LocationFactory()
    client.force_login(manager)
    for product in ProductFactory.create_batch(30, reorder_point=2):
        LocationMinimum.objects.create(product=product, location=shop, reorder_point=1)
    # session, user, permissions, role and unread count (navbar), the low rows (counted in
    # Python), products, locations, on order, and the filter's location choices (category and
    # supplier are chosen by autocomplete)
    with django_assert_num_queries(10):
        page = client.get(reverse("stock:low_stock"))
    assert len(page.context["rows"]) == 50
    assert page.context["paginator"].count == 60
    # session, user, permissions, the low rows, products, locations, on order
    with django_assert_num_queries(7):
        body = client.get(reverse("api:stock-low"), {"page_size": 100}).json()
    assert body["count"] == 60
