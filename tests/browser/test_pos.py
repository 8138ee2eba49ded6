from decimal import Decimal

import pytest
from playwright.sync_api import expect

from accounts.roles import Role
from accounts.tests.factories import UserFactory
from orders.models import SalesOrder
from products.tests.factories import ProductFactory
from stock import services
from stock.models import StockLevel
from stock.tests.factories import LocationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def shop():
    manager = UserFactory(role=Role.MANAGER)
    kasir = UserFactory(username="kasir", role=Role.STAFF)
    toko = LocationFactory(name="Toko Pusat")
    toko.users.add(kasir)
    kopi = ProductFactory(
        sku="KOPI-1", name="Kopi Bubuk", barcode="8991234567890",
        sale_price=Decimal("15000"), tax_rate=Decimal("11"),
    )  # fmt: skip
    teh = ProductFactory(sku="TEH-1", name="Teh Melati", sale_price=Decimal("5000"), tax_rate=0)
    for product in (kopi, teh):
        services.stock_receive(
            actor=manager, product=product, location=toko, quantity=10, unit_cost=1
        )
    return toko, kopi, teh


def test_staff_sell_at_the_counter_and_print_the_receipt(page, live_server, sign_in, shop):
    toko, kopi, teh = shop
    sign_in("kasir")
    page.get_by_test_id("main-nav").get_by_role("link", name="Counter").click()
    page.set_viewport_size({"width": 1024, "height": 768})  # a tablet on its side
    expect(page.get_by_test_id("pos-location")).to_have_value(str(toko.pk))
    code = page.locator("#pos-code")
    # A USB scanner types the barcode and presses Enter; then once more.
    code.fill("8991234567890")
    code.press("Enter")
    expect(page.get_by_test_id("pos-basket")).to_contain_text("Kopi Bubuk")
    page.locator("#pos-code").fill("8991234567890")
    page.locator("#pos-code").press("Enter")
    expect(page.get_by_test_id("pos-total")).to_contain_text("33,300.00")
    # Typing part of a name offers the match to pick.
    page.locator("#pos-code").fill("melati")
    page.locator("#pos-code").press("Enter")
    expect(page.get_by_test_id("pos-basket")).to_contain_text("Teh Melati")
    expect(page.get_by_test_id("pos-total")).to_contain_text("38,300.00")
    # After each swap the scan field takes the focus back (ready for the next scan): wait for
    # it, as a cashier's hand would, before typing the cash.
    expect(page.locator("#pos-code")).to_be_focused()
    # and for the last swap to land: one landing after the cash is typed would clear it
    page.wait_for_load_state("networkidle")
    page.locator("#pos-paid").fill("50000")
    expect(page.locator("#pos-paid")).to_have_value("50000")
    expect(page.locator(".js-change")).to_contain_text("11,700.00")
    page.get_by_test_id("pos-finish").click()
    expect(page.get_by_test_id("receipt")).to_contain_text("Kopi Bubuk")
    expect(page.get_by_test_id("receipt-total")).to_contain_text("38,300.00")
    expect(page.get_by_test_id("receipt-change")).to_contain_text("11,700.00")
    sale = SalesOrder.objects.get()
    assert (sale.status, sale.channel, sale.payment_method) == ("completed", "counter", "cash")
    assert StockLevel.objects.get(product=kopi, location=toko).on_hand == 8
    assert StockLevel.objects.get(product=teh, location=toko).on_hand == 9
    page.get_by_test_id("next-sale").click()
    expect(page.get_by_test_id("pos-basket")).to_contain_text("The basket is empty")
