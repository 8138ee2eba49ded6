"""Database constraints back the catalogue's rules even when Python is bypassed."""

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from products.models import Category, Product, Tag
from products.tests.factories import CategoryFactory, ProductFactory

pytestmark = pytest.mark.django_db


def violates(**fields) -> bool:
    try:
        with transaction.atomic():
            ProductFactory(**fields)
    except IntegrityError:
        return True
    return False


def test_sku_is_unique_whatever_its_case():
    ProductFactory(sku="Kopi-01")
    assert violates(sku="KOPI-01")


def test_barcode_is_optional_but_unique():
    ProductFactory(barcode=None)
    ProductFactory(barcode=None)
    ProductFactory(barcode="8991234567890")
    assert violates(barcode="8991234567890")
    assert violates(barcode="")  # empty means "none": stored as NULL, never as ""


@pytest.mark.parametrize(
    "fields",
    [
        {"cost_price": Decimal("-0.01")},
        {"sale_price": Decimal("-1")},
        {"tax_rate": Decimal("100.01")},
        {"tax_rate": Decimal("-1")},
        {"reorder_point": Decimal("-1")},
        {"reorder_quantity": Decimal("-1")},
    ],
)
def test_negative_prices_and_quantities_are_refused_by_the_database(fields):
    assert violates(**fields)


def test_tag_and_sibling_category_names_are_unique_whatever_their_case():
    Tag.objects.create(name="Promo")
    with pytest.raises(IntegrityError), transaction.atomic():
        Tag.objects.create(name="PROMO")
    drinks = CategoryFactory(name="Drinks")
    Category.objects.create(name="Coffee", parent=drinks)
    Category.objects.create(name="Coffee", parent=None)  # a different parent is fine
    with pytest.raises(IntegrityError), transaction.atomic():
        Category.objects.create(name="coffee", parent=drinks)
    with pytest.raises(IntegrityError), transaction.atomic():
        Category.objects.create(name="COFFEE", parent=None)


def test_search_vector_is_kept_by_the_database():
    product = ProductFactory(sku="AB-77", name="Teh Botol", barcode="899100")
    vector = Product.objects.values_list("search_vector", flat=True).get(pk=product.pk)
    for word in ("'ab'", "'77'", "'teh'", "'botol'", "'899100'"):
        assert word in vector
