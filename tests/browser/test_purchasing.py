from decimal import Decimal

import pytest
from playwright.sync_api import expect

from accounts.roles import Role
from accounts.tests.factories import UserFactory
from products.tests.factories import ProductFactory
from stock.models import StockLevel
from stock.tests.factories import LocationFactory
from suppliers.tests.factories import SupplierFactory, SupplierProductFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_manager_orders_and_staff_receive_at_the_warehouse(page, live_server, sign_in):
    UserFactory(username="boss", role=Role.MANAGER)
    gudang = LocationFactory(name="Gudang")
    gudang.users.add(UserFactory(username="gudang1", role=Role.STAFF))
    supplier = SupplierFactory(name="PT Kopi Nusantara")
    kopi = ProductFactory(sku="KOPI-1", name="Kopi Bubuk")
    SupplierProductFactory(supplier=supplier, product=kopi, purchase_price=Decimal("6250"))

    sign_in("boss")
    page.get_by_test_id("main-nav").get_by_role("link", name="Purchasing").click()
    page.get_by_role("link", name="New purchase order").click()
    page.locator("#id_supplier").select_option(label="PT Kopi Nusantara")
    page.locator("#id_location").select_option(label="Gudang")
    page.locator("#id_lines-0-product").fill("KOPI-1")
    page.locator("#id_lines-0-quantity").fill("24")
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_test_id("order-lines")).to_contain_text("IDR 6,250.0000")
    page.get_by_role("button", name="Place order").click()
    expect(page.get_by_role("alert")).to_contain_text("is now ordered")
    number = page.locator("h1").inner_text().split()[0]
    page.get_by_test_id("user-menu").click()
    page.get_by_test_id("logout").click()

    sign_in("gudang1")
    page.get_by_test_id("main-nav").get_by_role("link", name="Purchasing").click()
    page.get_by_role("link", name=number).click()
    expect(page.get_by_test_id("order-lines")).not_to_contain_text("6,250")  # no costs for staff
    page.get_by_role("link", name="Receive goods").click()
    page.get_by_label("KOPI-1 Kopi Bubuk").fill("20")
    page.get_by_role("button", name="Receive").click()
    expect(page.get_by_role("alert")).to_contain_text(f"Goods received on {number}.")
    expect(page.locator("h1")).to_contain_text("partially received")
    assert StockLevel.objects.get(product=kopi, location=gudang).on_hand == 20
