"""The sales report against hand-computed numbers, and the same numbers in every form: page,
CSV, XLSX, PDF and API."""

import csv
import io
import uuid
from datetime import date, datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from accounts.roles import Role
from orders.services.history import PastSale, orders_history_load
from orders.services.sales import SaleLine, counter_sale, sales_order_return
from orders.tests.factories import CustomerFactory
from products.tests.factories import ProductFactory
from reports.base import Params
from reports.library.sales import SalesReport
from stock.services import PastMovement, stock_history_load
from stock.tests.factories import LocationFactory

pytestmark = pytest.mark.django_db
MARCH = {"start": "2025-03-01", "end": "2025-03-31", "grain": "month"}


def at(*args) -> datetime:
    return timezone.make_aware(datetime(*args))  # noqa: DTZ001 - local time, made aware


@pytest.fixture
def trade(make_user):
    """Coffee at 10,000 (cost 6,000), tea at 5,000 (cost 2,000); three sales in March 2025,
    one in February, one in March 2024."""
    manager = make_user(Role.MANAGER)
    shop = LocationFactory(name="Toko")
    kopi = ProductFactory(sku="KOPI", name="Kopi", sale_price=Decimal(10000), tax_rate=10)
    teh = ProductFactory(sku="TEH", name="Teh", sale_price=Decimal(5000), tax_rate=0)
    warung = CustomerFactory(name="Warung")
    stock_history_load(
        actor=manager,
        movements=[
            PastMovement("receipt", kopi.pk, Decimal(100), at(2024, 1, 1), to_location_id=shop.pk,
                         unit_cost=Decimal(6000)),
            PastMovement("receipt", teh.pk, Decimal(100), at(2024, 1, 1), to_location_id=shop.pk,
                         unit_cost=Decimal(2000)),
        ],
    )  # fmt: skip
    orders_history_load(
        actor=manager,
        sales=[
            PastSale(shop.pk, at(2024, 3, 5, 10), [(teh.pk, Decimal(10))]),
            PastSale(shop.pk, at(2025, 2, 10, 10), [(kopi.pk, Decimal(5))]),
            PastSale(shop.pk, at(2025, 3, 3, 10), [(kopi.pk, Decimal(2))], "cash"),
            PastSale(shop.pk, at(2025, 3, 4, 10), [(teh.pk, Decimal(3)), (kopi.pk, Decimal(1))],
                     "card", warung.pk),
            PastSale(shop.pk, at(2025, 3, 10, 10), [(kopi.pk, Decimal(4))], "transfer"),
        ],
    )  # fmt: skip
    return manager, shop, kopi, teh


def test_the_figures_are_the_hand_computed_ones(trade):
    result = SalesReport().build(Params(start=date(2025, 3, 1),
                                        end=date(2025, 3, 31)))  # fmt: skip
    figures = {figure.key: figure for figure in result.figures}
    assert figures["revenue"].value == Decimal("85000.00")  # 20,000 + 25,000 + 40,000
    assert figures["revenue"].previous == Decimal("50000.00")  # February: 5 coffees
    assert figures["revenue"].change == Decimal("70.0")
    assert figures["units"].value == 10
    assert figures["orders"].value == 3
    assert figures["average_order"].value == Decimal("28333.33")
    products = {row["product__sku"]: row for row in result.table("products").rows}
    assert products["KOPI"]["revenue"] == Decimal("70000.00")
    assert products["KOPI"]["units"] == 7
    assert products["TEH"]["revenue"] == Decimal("15000.00")
    assert products["KOPI"]["share"] == Decimal("82.4")  # 70,000 / 85,000
    payments = {row["payment"]: row["revenue"] for row in result.table("payments").rows}
    assert payments == {"Cash": Decimal("20000.00"), "Card": Decimal("25000.00"),
                        "Bank transfer": Decimal("40000.00")}  # fmt: skip
    customers = {row["customer__name"]: row["revenue"] for row in result.table("customers").rows}
    assert customers["Warung"] == Decimal("25000.00")
    (march,) = result.table("periods").rows
    assert march["last_year"] == Decimal("50000.00")  # ten teas in March 2024
    assert march["year_change"] == Decimal("70.0")
    monday = result.table("weekdays").rows[0]
    assert monday["days"] == 5  # 3, 10, 17, 24 and 31 March 2025
    assert monday["revenue"] == Decimal("60000.00")
    assert monday["revenue_per_day"] == Decimal("12000.00")


def test_filters_narrow_the_sales(trade):
    teh = trade[3]
    march = {"start": date(2025, 3, 1), "end": date(2025, 3, 31)}
    only_tea = SalesReport().build(Params(**march, product=teh))
    assert only_tea.figures[0].value == Decimal("15000.00")
    elsewhere = SalesReport().build(Params(**march, location=LocationFactory()))
    assert elsewhere.figures[0].value == 0
    assert elsewhere.table("products").rows == []


def test_a_return_takes_its_revenue_back(make_user):
    manager = make_user(Role.MANAGER)
    shop = LocationFactory()
    kopi = ProductFactory(sale_price=Decimal(10000), tax_rate=0)
    from stock.services import stock_receive

    stock_receive(actor=manager, product=kopi, location=shop, quantity=10, unit_cost=4000)
    sale, _ = counter_sale(
        actor=manager, location=shop, lines=[SaleLine(kopi, 3)], payment_method="card",
        token=uuid.uuid4(),
    )  # fmt: skip
    sales_order_return(
        actor=manager, order=sale, quantities={sale.lines.get().pk: 1}, reason="damaged"
    )
    today = timezone.localdate()
    figures = {f.key: f for f in SalesReport().build(Params(start=today, end=today)).figures}
    assert figures["revenue"].value == Decimal("20000.00")
    assert figures["units"].value == 2
    assert figures["returned"].value == 1
    assert figures["orders"].value == 1


def _csv(response) -> list[dict]:
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def test_page_pdf_csv_xlsx_and_api_carry_the_same_numbers(client, trade):
    manager = trade[0]
    client.force_login(manager)
    url = reverse("reports:report", args=["sales"])
    page = client.get(url, MARCH)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-figure="revenue">IDR 85,000.00<' in html
    assert "IDR 70,000.00" in html  # coffee's line of the product table

    products = _csv(client.get(url, {**MARCH, "format": "csv", "table": "products"}))
    by_sku = {row["SKU"]: row for row in products}
    assert Decimal(by_sku["KOPI"]["Revenue"]) == Decimal("70000.00")
    assert Decimal(by_sku["TEH"]["Units"]) == 3
    summary = _csv(client.get(url, {**MARCH, "format": "csv", "table": "summary"}))
    assert Decimal(summary[0]["Value"]) == Decimal("85000.00")

    workbook = load_workbook(io.BytesIO(client.get(url, {**MARCH, "format": "xlsx"}).content))
    assert workbook.sheetnames[:3] == ["Summary", "By period", "By product"]
    sheet = workbook["By product"]
    header = [cell.value for cell in sheet[1]]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    kopi_row = next(row for row in rows if row[0] == "KOPI")
    assert Decimal(str(kopi_row[header.index("Revenue")])) == Decimal("70000.00")
    assert Decimal(str(workbook["Summary"]["B2"].value)) == Decimal("85000.00")

    pdf = client.get(url, {**MARCH, "format": "pdf"})
    assert pdf["Content-Type"] == "application/pdf"
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "IDR 85,000.00" in text
    assert "IDR 70,000.00" in text
    assert "REVENUE BY PERIOD" in text.upper()  # the chart's title, and the chart with it

    data = client.get(reverse("api:report-sales"), MARCH).json()
    revenue = next(f for f in data["figures"] if f["key"] == "revenue")
    assert Decimal(revenue["value"]) == Decimal("85000.00")
    kopi = next(r for r in data["tables"]["products"]["rows"] if r["product__sku"] == "KOPI")
    assert Decimal(kopi["revenue"]) == Decimal("70000.00")


def test_bad_filters_get_field_errors_not_a_500(client, make_user):
    client.force_login(make_user(Role.MANAGER))
    url = reverse("reports:report", args=["sales"])
    page = client.get(url, {"start": "2025-05-01", "end": "2025-04-01", "product": "NOPE"})
    assert page.status_code == 400
    html = page.content.decode()
    assert "The end date is before the start date." in html
    assert "No product has the SKU NOPE." in html
    api = client.get(reverse("api:report-sales"), {"start": "yesterday", "location": "x"})
    assert api.status_code == 400
    assert set(api.json()) >= {"start", "location"}
    assert client.get(reverse("reports:report", args=["no-such-report"])).status_code == 404


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31", "1989-12-31"])
def test_dates_out_of_reach_are_refused_not_a_500(client, make_user, day):
    client.force_login(make_user(Role.MANAGER))
    for start, end in ((day, ""), ("", day)):
        query = {"start": start, "end": end}
        assert client.get(reverse("reports:report", args=["sales"]), query).status_code == 400
        assert client.get(reverse("api:report-sales"), query).status_code == 400
