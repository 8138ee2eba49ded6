from decimal import Decimal

from orders.pricing import line_amounts, order_totals


def test_each_line_amount_is_rounded_half_up_once():
    amounts = line_amounts(Decimal("3"), Decimal("3.335"), Decimal("10"), Decimal("11"))
    assert amounts.gross == Decimal("10.01")  # 10.005 rounds up
    assert amounts.discount == Decimal("1.00")  # 1.001
    assert amounts.tax == Decimal("0.99")  # 11% of 9.01 = 0.9911
    assert amounts.total == Decimal("10.00")


def test_order_totals_are_sums_of_the_rounded_lines():
    lines = [line_amounts(1, "0.015", 0, 11), line_amounts(1, "0.015", 0, 11)]
    totals = order_totals(lines)
    assert totals.subtotal == Decimal("0.04")  # 0.02 + 0.02, not round(0.03)
    assert totals.tax_total == Decimal("0.00")
    assert totals.total == Decimal("0.04")
