"""The quick paths of a report page (table rows, remembered charts) write what the slow ones
did."""

import re

import pytest
from django.urls import reverse

from accounts.roles import Role
from orders.tests.factories import CustomerFactory
from products.tests.factories import CategoryFactory
from reports import charts, rendering
from reports.base import DATE, MONEY, TEXT
from suppliers.tests.factories import SupplierFactory


def test_html_rows_escape_text_and_right_align_numbers():
    rows = [[("<b>Kopi</b>", TEXT), ("IDR 1,000.00", MONEY), ("2026-01-02", DATE)]]

    assert rendering.html_rows(rows) == [
        '<tr><td>&lt;b&gt;Kopi&lt;/b&gt;</td><td class="text-end text-nowrap">IDR 1,000.00</td>'
        "<td>2026-01-02</td></tr>"
    ]


def _ids(svg: str) -> set[str]:
    return set(re.findall(r'id="(c[0-9a-f]{8})-', svg))


def test_a_chart_drawn_again_is_the_same_drawing_with_its_own_ids():
    first = charts.bar_chart(["a", "b"], [1, 2])
    again = charts.bar_chart(["a", "b"], [1, 2])

    assert _ids(first) != _ids(again)
    assert re.sub(r"c[0-9a-f]{8}-", "", first) == re.sub(r"c[0-9a-f]{8}-", "", again)


def test_a_chart_of_other_numbers_is_drawn_anew():
    first = charts.bar_chart(["a", "b"], [1, 2])
    other = charts.bar_chart(["a", "b"], [1, 3])

    assert re.sub(r"c[0-9a-f]{8}-", "", first) != re.sub(r"c[0-9a-f]{8}-", "", other)


@pytest.mark.django_db
def test_the_report_filter_carries_only_the_chosen_customer_supplier_and_category(
    client, make_user
):
    customers = CustomerFactory.create_batch(30)
    SupplierFactory.create_batch(30)
    CategoryFactory.create_batch(30)
    client.force_login(make_user(Role.MANAGER))
    url = reverse("reports:report", args=["sales"])

    page = client.get(url).content.decode()
    for field in ("customer", "supplier", "category"):
        select = re.search(rf'<select name="{field}".*?</select>', page, re.S).group(0)
        assert "data-autocomplete-url" in select
        assert select.count("<option") == 1  # the empty choice only

    page = client.get(url, {"customer": customers[7].pk}).content.decode()
    select = re.search(r'<select name="customer".*?</select>', page, re.S).group(0)
    assert select.count("<option") == 2
    assert f'value="{customers[7].pk}" selected' in select
