"""List filters over long option lists: chosen by typing (Tom Select), submitted as before."""

import re

import pytest
from playwright.sync_api import expect

from accounts.roles import Role
from accounts.tests.factories import UserFactory
from orders.services.sales import SaleLine, sales_order_create
from orders.tests.factories import CustomerFactory
from products.models import Category
from products.tests.factories import CategoryFactory, ProductFactory
from stock import services
from stock.tests.factories import LocationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def choose(page, field: str, typed: str, option: str) -> None:
    """Open the autocomplete of the select `field`, type, and click the option shown."""
    page.locator(f"#id_{field} + .ts-wrapper .ts-control").click()
    # The search box sits in the dropdown and takes the focus once that is open: type into it
    # (keys sent before it has the focus would be lost).
    search = page.locator(f"#id_{field} + .ts-wrapper .dropdown-input")
    expect(search).to_be_focused()
    search.press_sequentially(typed)
    page.locator(".ts-dropdown:visible .option", has_text=option).click()


def test_staff_filter_products_by_a_category_found_by_typing(page, live_server, sign_in):
    UserFactory(username="kasir", role=Role.STAFF)
    food = CategoryFactory(name="Food")
    snacks = Category.objects.create(name="Snacks", parent=food)
    for number in range(30):
        CategoryFactory(name=f"Shelf {number}")
    ProductFactory(sku="CHIPS", name="Potato chips", category=snacks)
    ProductFactory(sku="SODA", name="Soda", category=CategoryFactory(name="Drinks"))

    sign_in("kasir")
    page.goto(f"{live_server.url}/products/")
    # The page carries no list of categories: only "Any category" until one is chosen.
    expect(page.locator("#id_category option")).to_have_count(1)
    choose(page, "category", "snack", "Food \u203a Snacks")
    page.get_by_test_id("search-button").click()

    expect(page).to_have_url(re.compile(rf"[?&]category={snacks.pk}(&|$)"))
    table = page.get_by_test_id("product-table")
    expect(table).to_contain_text("CHIPS")
    expect(table).not_to_contain_text("SODA")
    # The choice is shown again after the reload, and a bookmark of the same URL still works.
    expect(page.locator("#id_category + .ts-wrapper .item")).to_have_text("Food \u203a Snacks")
    expect(page.locator("#id_category option")).to_have_count(2)


def test_manager_on_a_phone_filter_sales_orders_by_customer(page, live_server, sign_in):
    manager = UserFactory(username="boss", role=Role.MANAGER)
    store = LocationFactory(name="Toko")
    kopi = ProductFactory(sku="KOPI-1")
    services.stock_receive(actor=manager, product=kopi, location=store, quantity=10, unit_cost=1)
    wanted = CustomerFactory(name="Warung Bu Sri")
    other = CustomerFactory(name="Toko Maju")
    for customer in (wanted, other):
        sales_order_create(
            actor=manager, location=store, customer=customer, lines=[SaleLine(kopi, 1)]
        )

    page.set_viewport_size({"width": 390, "height": 844})
    sign_in("boss")
    page.goto(f"{live_server.url}/orders/sales/")
    choose(page, "customer", "bu sri", "Warung Bu Sri")
    page.get_by_role("button", name="Show").click()

    expect(page).to_have_url(re.compile(rf"[?&]customer={wanted.pk}(&|$)"))
    table = page.get_by_test_id("sales-order-table")
    expect(table).to_contain_text("Warung Bu Sri")
    expect(table).not_to_contain_text("Toko Maju")
    control = page.locator("#id_customer + .ts-wrapper")
    expect(control).to_be_visible()
    box = control.bounding_box()
    assert box["x"] >= 0
    assert box["x"] + box["width"] <= 390


def test_staff_filter_the_movement_history_by_a_user_found_by_name(page, live_server, sign_in):
    kasir = UserFactory(username="kasir", role=Role.STAFF)
    ana = UserFactory(username="ana", first_name="Ana", last_name="Wijaya", role=Role.MANAGER)
    budi = UserFactory(username="budi", first_name="Budi", last_name="Santoso", role=Role.MANAGER)
    store = LocationFactory(name="Toko")
    for who, sku in ((ana, "GULA-1"), (budi, "KOPI-1")):
        services.stock_receive(
            actor=who, product=ProductFactory(sku=sku), location=store, quantity=4, unit_cost=1
        )

    sign_in(kasir.username)
    page.goto(f"{live_server.url}/stock/movements/")
    expect(page.locator("#id_user option")).to_have_count(1)  # "Anyone": no list of users
    choose(page, "user", "wija", "Ana Wijaya")
    page.get_by_role("button", name="Filter").click()

    expect(page).to_have_url(re.compile(rf"[?&]user={ana.pk}(&|$)"))
    table = page.get_by_test_id("movement-table")
    expect(table).to_contain_text("GULA-1")
    expect(table).not_to_contain_text("KOPI-1")
    expect(page.locator("#id_user + .ts-wrapper .item")).to_have_text("Ana Wijaya")
