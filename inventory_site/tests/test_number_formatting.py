"""The fast number formatting of report pages writes exactly what Django's number_format
writes, in both languages, for every kind of number a report shows."""

import random
from decimal import Decimal

import pytest
from django.utils import translation
from django.utils.formats import number_format

from inventory_site.templatetags.formatting import grouped, money, qty


def django_text(number, places: int) -> str:
    return number_format(number, decimal_pos=places, use_l10n=True, force_grouping=True)


def samples() -> list[Decimal]:
    rng = random.Random(11)
    fixed = ["0", "-0", "0.004", "-0.004", "0.05", "-0.05", "0.5", "-0.015", "999.999",
             "1000", "-1000", "1234567.891", "-98765432.10", "12.500", "3.000", "1E+3",
             "1E-7", "123456789012345678901234567890.123"]  # fmt: skip
    found = [Decimal(text) for text in fixed]
    for _ in range(400):
        digits = rng.randint(1, 14)
        exponent = rng.randint(-6, 4)
        found.append(Decimal(rng.randint(-(10**digits), 10**digits)).scaleb(exponent))
    return found


@pytest.mark.parametrize("language", ["en", "id"])
def test_grouped_writes_what_number_format_writes(language):
    with translation.override(language):
        for number in samples():
            for places in (0, 1, 2, 3, 5):
                assert grouped(number, places) == django_text(number, places), (number, places)
        for whole in (0, 7, -12, 1234, -9876543210):
            assert grouped(whole, 0) == django_text(whole, 0)


def test_the_indonesian_page_groups_with_dots():
    with translation.override("id"):
        assert qty(Decimal("1234567.500")) == "1.234.567,5"
        assert money(Decimal("1500")).endswith(" 1.500,00")
    with translation.override("en"):
        assert qty(Decimal("1234567.500")) == "1,234,567.5"
