import pytest

from products.models import Product
from products.selectors import (
    category_choices,
    category_descendant_ids,
    category_tree,
    product_search,
)
from products.tests.factories import CategoryFactory, ProductFactory

pytestmark = pytest.mark.django_db


def search(text: str) -> set[str]:
    return set(product_search(Product.objects.all(), text).values_list("sku", flat=True))


@pytest.fixture
def shelf():
    ProductFactory(sku="KOP-0001", name="Kopi Susu Gula Aren", barcode="8991000000017")
    ProductFactory(sku="KOP-0002", name="Kopi Hitam", barcode="8991000000024")
    ProductFactory(sku="TEH-0001", name="Teh Melati")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("kopi", {"KOP-0001", "KOP-0002"}),  # a word of the name
        ("KOPI aren", {"KOP-0001"}),  # every word must match, any case
        ("ar", {"KOP-0001"}),  # word prefix
        ("kop-000", {"KOP-0001", "KOP-0002"}),  # SKU prefix
        ("0002", {"KOP-0002"}),  # a part of the SKU
        ("8991000000024", {"KOP-0002"}),  # barcode, as a scanner types it
        ("  teh  ", {"TEH-0001"}),
        ("kopi & teh | !", set()),  # query syntax is not interpreted
        ("", {"KOP-0001", "KOP-0002", "TEH-0001"}),
        ("zzz", set()),
    ],
)
def test_search_matches_sku_name_and_barcode(shelf, text, expected):
    assert search(text) == expected


def test_descendants_include_the_whole_subtree_and_nothing_else():
    food = CategoryFactory(name="Food")
    snacks = CategoryFactory(name="Snacks", parent=food)
    chips = CategoryFactory(name="Chips", parent=snacks)
    drinks = CategoryFactory(name="Drinks")
    assert category_descendant_ids([food.pk]) == {food.pk, snacks.pk, chips.pk}
    assert category_descendant_ids([drinks.pk]) == {drinks.pk}


def test_category_tree_is_in_tree_order_with_rolled_up_counts(django_assert_num_queries):
    food = CategoryFactory(name="Food")
    snacks = CategoryFactory(name="Snacks", parent=food)
    bread = CategoryFactory(name="Bread", parent=food)
    ProductFactory.create_batch(2, category=snacks)
    ProductFactory(category=food)
    with django_assert_num_queries(1):
        tree = category_tree()
    assert [(n.category.name, n.depth, n.product_count) for n in tree] == [
        ("Food", 0, 3),
        ("Bread", 1, 0),
        ("Snacks", 1, 2),
    ]
    assert bread.pk in {n.category.pk for n in tree}


def test_category_choices_are_indented_in_tree_order(django_assert_num_queries):
    food = CategoryFactory(name="Food")
    CategoryFactory(name="Snacks", parent=food)
    CategoryFactory(name="Bakery")
    with django_assert_num_queries(1):
        choices = category_choices()
    assert [label for _, label in choices] == ["Bakery", "Food", "\u2003Snacks"]
