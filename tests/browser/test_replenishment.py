from decimal import Decimal

import pytest
from playwright.sync_api import expect

from accounts.roles import Role
from accounts.tests.factories import UserFactory
from orders.models import PurchaseOrder
from products.tests.factories import ProductFactory
from reports.tests.demand_factories import sell_daily
from stock.tests.factories import LocationFactory
from suppliers.tests.factories import SupplierFactory, SupplierProductFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_manager_turns_reorder_suggestions_into_a_draft_purchase_order(
    page, live_server, sign_in
):
    boss = UserFactory(username="boss", role=Role.MANAGER)
    toko = LocationFactory(name="Toko")
    supplier = SupplierFactory(name="PT Kopi Nusantara")
    kopi = ProductFactory(sku="KOPI-1", name="Kopi Bubuk", preferred_supplier=supplier)
    SupplierProductFactory(supplier=supplier, product=kopi, purchase_price=Decimal("6250"),
                           lead_time_days=7, min_order_quantity=Decimal(12))  # fmt: skip
    # Three a day for twelve weeks, and the last one sold today: the shelf is empty.
    sell_daily(boss, product=kopi, location=toko, per_day=3, weeks=12)

    sign_in("boss")
    page.get_by_test_id("main-nav").get_by_role("link", name="Reports").click()
    page.get_by_test_id("report-list").get_by_role("link", name="Demand forecast").click()
    page.get_by_test_id("forecast-run-now").click()
    expect(page.get_by_test_id("forecast-run")).to_have_attribute("data-status", "done")
    expect(page.get_by_test_id("report-table-products")).to_contain_text("KOPI-1")

    page.get_by_test_id("forecast-actions").get_by_role("link", name="Replenishment").click()
    line = page.get_by_test_id("suggestion").filter(has_text="KOPI-1")
    expect(line.get_by_test_id("reasoning")).to_contain_text("available")
    line.get_by_label("Order KOPI-1 for Toko").check()
    line.get_by_label("Quantity of KOPI-1").fill("40")
    page.get_by_role("button", name="Create draft purchase orders").click()

    expect(page.get_by_role("alert")).to_contain_text("Created draft purchase order PO-")
    order = PurchaseOrder.objects.get()
    page.get_by_test_id("created-orders").get_by_role("link", name=order.number).click()
    expect(page.locator("h1")).to_contain_text(order.number)
    expect(page.locator("h1")).to_contain_text("draft")
    expect(page.get_by_test_id("order-lines")).to_contain_text("KOPI-1")
    assert order.lines.get().quantity == 40
    assert order.supplier == supplier
    assert order.location == toko
