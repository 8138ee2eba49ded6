"""StockTotal, the per-product available stock PostgreSQL keeps with every level change: it
follows every kind of stock change, survives concurrent changes, and check_stock proves it."""

from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import F, Sum
from django.urls import reverse

from accounts.roles import Role
from accounts.tests.factories import UserFactory
from products.models import Product
from products.tests.factories import ProductFactory
from stock import services
from stock.models import StockLevel, StockTotal
from stock.selectors import low_stock
from stock.services import IssueLine, TransferLine
from stock.tests.factories import LocationFactory
from stock.tests.test_concurrency import in_parallel


def total(product) -> Decimal:
    return StockTotal.objects.get(product=product).available


def levels_sum(product) -> Decimal:
    summed = StockLevel.objects.filter(product=product).aggregate(
        free=Sum(F("on_hand") - F("reserved"))
    )["free"]
    return summed or Decimal(0)


@pytest.fixture
def manager(make_user):
    return make_user(Role.MANAGER)


@pytest.fixture
def stocked(manager):
    """A product with 10 at the warehouse and 5 at the shop."""
    product = ProductFactory(reorder_point=4)
    warehouse, shop = LocationFactory(name="Gudang"), LocationFactory(name="Toko")
    services.stock_receive(
        actor=manager, product=product, location=warehouse, quantity=10, unit_cost=1
    )
    services.stock_receive(actor=manager, product=product, location=shop, quantity=5, unit_cost=1)
    return product, warehouse, shop


@pytest.mark.django_db
def test_every_product_gets_a_total_with_its_reorder_point_and_active_flag():
    product = ProductFactory(reorder_point=5)
    StockLevel.objects.create(product=product, location=LocationFactory())  # empty level
    row = StockTotal.objects.get(product=product)
    assert (row.available, row.reorder_point, row.is_active) == (0, 5, True)
    product.reorder_point, product.is_active = Decimal(8), False
    product.save()
    row.refresh_from_db()
    assert (row.reorder_point, row.is_active) == (8, False)
    Product.objects.filter(pk=product.pk).update(reorder_point=2)
    row.refresh_from_db()
    assert row.reorder_point == 2
    call_command("check_stock")


@pytest.mark.django_db
def test_a_deleted_product_takes_its_total_along():
    product = ProductFactory()
    product.delete()
    assert not StockTotal.objects.filter(product_id=product.pk).exists()


@pytest.mark.django_db
def test_the_total_follows_receipts_and_customer_returns(manager, stocked):
    product, warehouse, _shop = stocked
    assert total(product) == 15
    services.stock_receive(
        actor=manager, product=product, location=warehouse, quantity=2, unit_cost=1,
        kind=services.Kind.CUSTOMER_RETURN,
    )  # fmt: skip
    assert total(product) == 17


@pytest.mark.django_db
def test_the_total_follows_sales_and_several_products_at_once(manager, stocked):
    product, warehouse, shop = stocked
    other = ProductFactory()
    services.stock_receive(actor=manager, product=other, location=shop, quantity=7, unit_cost=1)
    services.stock_issue(actor=manager, product=product, location=warehouse, quantity=3)
    services.stock_issue_many(
        actor=manager, location=shop,
        lines=[IssueLine(product, Decimal(1)), IssueLine(other, Decimal("2.5"))],
    )  # fmt: skip
    assert (total(product), total(other)) == (11, Decimal("4.5"))


@pytest.mark.django_db
def test_a_transfer_leaves_the_total_unchanged(manager, stocked):
    product, warehouse, shop = stocked
    services.stock_transfer(
        actor=manager, from_location=warehouse, to_location=shop,
        lines=[TransferLine(product, Decimal(6))],
    )  # fmt: skip
    assert total(product) == 15
    assert StockLevel.objects.get(product=product, location=shop).on_hand == 11


@pytest.mark.django_db
def test_the_total_follows_reservations_releases_and_fulfilment(manager, stocked):
    product, warehouse, _shop = stocked
    services.stock_reserve(actor=manager, product=product, location=warehouse, quantity=4)
    assert total(product) == 11
    services.stock_release(actor=manager, product=product, location=warehouse, quantity=1)
    assert total(product) == 12
    # Selling what was reserved: on hand and reserved both fall, available stays.
    services.stock_issue(
        actor=manager, product=product, location=warehouse, quantity=3, from_reserved=True
    )
    assert total(product) == 12
    assert total(product) == levels_sum(product)


@pytest.mark.django_db
def test_the_total_follows_adjustments_and_counts(manager, stocked):
    product, warehouse, shop = stocked
    services.stock_adjust(
        actor=manager, product=product, location=warehouse, change=-4, reason="damaged"
    )
    services.stock_adjust(actor=manager, product=product, location=shop, change=2, reason="found")
    assert total(product) == 13
    services.stock_count(actor=manager, location=shop, counts={product: Decimal(1)})
    assert total(product) == 7
    call_command("check_stock")


@pytest.mark.django_db
def test_check_stock_finds_a_total_changed_behind_the_levels_back(stocked, capsys):
    product, _warehouse, _shop = stocked
    StockTotal.objects.filter(product=product).update(available=99)
    with pytest.raises(CommandError, match="1 stock total"):
        call_command("check_stock")
    err = capsys.readouterr().err
    assert f"product {product.pk}: stock total 99.000, levels available 15.000;" in err


@pytest.mark.django_db
def test_a_level_row_removed_by_sql_leaves_the_total(stocked):
    product, warehouse, _shop = stocked
    with connection.cursor() as cursor:  # no code does this; the trigger still keeps up
        cursor.execute(
            "DELETE FROM stock_stocklevel WHERE product_id = %s AND location_id = %s",
            [product.pk, warehouse.pk],
        )
    assert total(product) == 5


@pytest.mark.django_db(transaction=True)
def test_concurrent_changes_at_different_locations_all_reach_the_total():
    manager = UserFactory(role=Role.MANAGER)
    products = ProductFactory.create_batch(3)
    locations = LocationFactory.create_batch(4)
    for product in products:
        for location in locations:
            services.stock_receive(
                actor=manager, product=product, location=location, quantity=100, unit_cost=1
            )

    def churn(n):
        # Each worker its own location: no level is shared, only the products' totals.
        here, there = locations[n], locations[(n + 1) % len(locations)]
        mine = products if n % 2 else products[::-1]
        for step in range(15):
            product = mine[step % len(mine)]
            services.stock_issue(actor=manager, product=product, location=here, quantity=1)
            services.stock_reserve(actor=manager, product=product, location=here, quantity=2)
            services.stock_receive(
                actor=manager, product=product, location=here, quantity=3, unit_cost=1
            )
            services.stock_issue_many(
                actor=manager, location=here, lines=[IssueLine(p, Decimal(1)) for p in mine]
            )
            services.stock_transfer(
                actor=manager, from_location=here, to_location=there,
                lines=[TransferLine(product, Decimal(1))],
            )  # fmt: skip

    in_parallel(len(locations), churn)
    for product in products:
        assert total(product) == levels_sum(product)
    # 400 received, then per worker and step: -1 sold, -2 reserved, +3, -3 (one of each).
    assert sum(total(p) for p in products) == 3 * 400 - 4 * 15 * 3
    call_command("check_stock")


@pytest.mark.django_db
def test_low_stock_follows_reorder_points_and_active_flags_changed_on_the_product(stocked):
    product, _warehouse, _shop = stocked  # 15 available
    never_stocked = ProductFactory(reorder_point=1)
    assert [row["pk"] for row in low_stock()] == [never_stocked.pk]
    Product.objects.filter(pk=product.pk).update(reorder_point=15)
    assert [row["pk"] for row in low_stock()] == [never_stocked.pk, product.pk]
    never_stocked.is_active = False
    never_stocked.save()
    assert [(row["pk"], row["available"]) for row in low_stock()] == [(product.pk, 15)]


@pytest.mark.django_db
def test_the_low_stock_page_and_api_query_counts_stay_fixed_as_products_and_levels_grow(
    client, manager, django_assert_num_queries
):
    client.force_login(manager)
    page, api = reverse("stock:low_stock"), reverse("api:stock-low")
    locations = LocationFactory.create_batch(3)

    def add_products(count):
        for product in ProductFactory.create_batch(count, reorder_point=10):
            for location in locations:
                services.stock_receive(
                    actor=manager, product=product, location=location, quantity=2, unit_cost=1
                )

    add_products(2)
    client.get(page), client.get(api)  # warm the per-user caches
    # As test_low_stock_views counts them, less the locations query (no location rows here).
    with django_assert_num_queries(9) as first_page:
        client.get(page)
    with django_assert_num_queries(6) as first_api:
        client.get(api)
    add_products(60)
    with django_assert_num_queries(len(first_page.captured_queries)):
        response = client.get(page)
    assert len(response.context["rows"]) == 50
    with django_assert_num_queries(len(first_api.captured_queries)):
        assert client.get(api).json()["count"] == 62
