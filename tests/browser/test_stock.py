import pytest
from django.core import mail
from playwright.sync_api import expect

from accounts.roles import Role
from accounts.tests.factories import UserFactory
from products.tests.factories import ProductFactory
from stock import services
from stock.models import StockLevel
from stock.tests.factories import LocationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def shop():
    manager = UserFactory(username="boss", role=Role.MANAGER)
    gudang, toko = LocationFactory(name="Gudang"), LocationFactory(name="Toko")
    kopi = ProductFactory(sku="KOPI-1", name="Kopi Bubuk")
    services.stock_receive(actor=manager, product=kopi, location=gudang, quantity=20, unit_cost=5)
    return gudang, toko, kopi


def test_a_manager_transfers_stock_between_locations(page, live_server, sign_in, shop):
    gudang, toko, kopi = shop
    sign_in("boss")
    page.get_by_test_id("main-nav").get_by_role("link", name="Stock").click()
    page.get_by_role("link", name="Transfer").click()
    page.locator("#id_from_location").select_option(label="Gudang")
    page.locator("#id_to_location").select_option(label="Toko")
    page.locator("#id_lines-0-product").fill("kopi-1")
    page.locator("#id_lines-0-quantity").fill("7")
    page.get_by_role("button", name="Transfer").click()
    expect(page.get_by_role("alert")).to_contain_text("Moved 1 product(s) from Gudang to Toko.")
    expect(page.get_by_test_id("movement-table")).to_contain_text("KOPI-1")
    assert StockLevel.objects.get(product=kopi, location=toko).on_hand == 7
    assert StockLevel.objects.get(product=kopi, location=gudang).on_hand == 13


def test_staff_cannot_move_stock_from_another_location(page, live_server, sign_in, shop):
    gudang, toko, kopi = shop
    kasir = UserFactory(username="kasir", role=Role.STAFF)
    toko.users.add(kasir)
    sign_in("kasir")
    page.goto(f"{live_server.url}/stock/transfer/")
    options = page.locator("#id_from_location option")
    expect(options).to_have_text(["---------", "Toko"])  # Gudang is not offered
    # A forged request for Gudang is refused by the form and the service alike.
    response = page.request.post(
        f"{live_server.url}/stock/transfer/",
        form={
            "csrfmiddlewaretoken": page.locator("[name=csrfmiddlewaretoken]").first.input_value(),
            "from_location": str(gudang.pk), "to_location": str(toko.pk),
            "lines-TOTAL_FORMS": "1", "lines-INITIAL_FORMS": "0",
            "lines-0-product": "KOPI-1", "lines-0-quantity": "1",
        },
    )  # fmt: skip
    assert response.status == 200
    assert "Select a valid choice" in response.text()
    assert StockLevel.objects.get(product=kopi, location=gudang).on_hand == 20


def test_a_manager_hears_of_low_stock_and_follows_it_up(page, live_server, sign_in, shop):
    _gudang, _toko, kopi = shop  # 20 at Gudang, reorder point 5
    sign_in("boss")
    bell = page.get_by_test_id("bell").locator("visible=true")
    expect(bell).to_have_attribute("aria-label", "Notifications")
    page.goto(f"{live_server.url}/stock/adjust/")
    page.locator("#id_location").select_option(label="Gudang")
    page.locator("#id_product").fill("KOPI-1")
    page.locator("#id_change").fill("-16")
    page.locator("#id_reason").select_option("damaged")
    page.get_by_role("button", name="Adjust").click()
    expect(page.get_by_role("alert")).to_contain_text(
        "Adjusted KOPI-1 · Kopi Bubuk at Gudang by -16."
    )
    # The bell counts the alert; the email went out after the adjustment committed.
    expect(bell).to_contain_text("1")
    assert [email.to for email in mail.outbox] == [["boss@example.com"]]
    bell.click()
    notice = page.get_by_test_id("notification-unread")
    expect(notice).to_contain_text("Low stock: Kopi Bubuk (KOPI-1), 4 available, reorder point 5.")
    notice.click()
    expect(page).to_have_url(f"{live_server.url}/products/{kopi.pk}/")
    expect(bell).to_have_attribute("aria-label", "Notifications")
    # The low-stock page lists it, with what it is short of.
    page.goto(f"{live_server.url}/stock/")
    page.get_by_test_id("low-stock-link").click()
    row = page.get_by_test_id("low-stock-table").locator("tbody tr")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("KOPI-1")
    expect(row).to_contain_text("All locations")
