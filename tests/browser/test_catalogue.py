import pytest
from playwright.sync_api import expect

from accounts.roles import Role
from accounts.tests.factories import UserFactory
from products.tests.factories import CategoryFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_manager_creates_a_product_and_staff_find_it_by_search(page, live_server, sign_in):
    UserFactory(username="boss", role=Role.MANAGER)
    UserFactory(username="kasir", role=Role.STAFF)
    CategoryFactory(name="Coffee")

    sign_in("boss")
    page.get_by_test_id("main-nav").get_by_role("link", name="Products").click()
    page.get_by_role("link", name="New product").click()
    page.get_by_label("SKU").fill("KOPI-ARN-250")
    page.get_by_label("Barcode").fill("8997000111222")
    page.get_by_label("Name").fill("Kopi Gula Aren 250 g")
    page.get_by_label("Category").select_option(label="Coffee")
    page.get_by_label("Cost price").fill("21000")
    page.get_by_label("Sale price").fill("32500")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name="Kopi Gula Aren 250 g")).to_be_visible()
    expect(page.get_by_test_id("cost-price")).to_contain_text("IDR 21,000")
    page.get_by_test_id("user-menu").click()
    page.get_by_test_id("logout").click()

    sign_in("kasir")
    page.goto(f"{live_server.url}/products/")
    page.get_by_label("Search").fill("gula aren")
    page.get_by_test_id("search-button").click()
    table = page.get_by_test_id("product-table")
    expect(table.get_by_role("row")).to_have_count(2)  # header + the product
    expect(table).to_contain_text("KOPI-ARN-250")
    expect(table).not_to_contain_text("21,000")  # staff never see the cost
    table.get_by_role("link", name="KOPI-ARN-250").click()
    expect(page.get_by_test_id("sale-price")).to_contain_text("32,500")
    expect(page.get_by_test_id("cost-price")).to_have_count(0)
    expect(page.get_by_role("link", name="Edit")).to_have_count(0)

    page.goto(f"{live_server.url}/products/?q=8997000111222")  # a scanned barcode
    expect(page.get_by_test_id("product-table")).to_contain_text("Kopi Gula Aren")
