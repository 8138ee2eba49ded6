"""Reads of the catalogue that pages, exports and the API share."""

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.postgres.search import SearchQuery
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Lower

from suppliers.models import SupplierProduct

from .models import Category, Product


def category_descendant_ids(category_ids: Iterable[int]) -> set[int]:
    """Return the given categories and all their descendants (one query over all categories)."""
    children = defaultdict(list)
    for pk, parent_id in Category.objects.values_list("pk", "parent_id"):
        children[parent_id].append(pk)
    found, todo = set(), list(category_ids)
    while todo:
        pk = todo.pop()
        if pk not in found:
            found.add(pk)
            todo.extend(children[pk])
    return found


@dataclass(frozen=True)
class TreeNode:
    category: Category
    depth: int
    product_count: int  # products in this category and all below it


def category_tree() -> list[TreeNode]:
    """Return every category in tree order (parents before children, siblings by name).

    Two queries: the categories with their own product counts, rolled up here.
    """
    categories = list(Category.objects.annotate(own=Count("products")).order_by(Lower("name")))
    children = defaultdict(list)
    for category in categories:
        children[category.parent_id].append(category)

    def total(category: Category) -> int:
        return category.own + sum(total(child) for child in children[category.pk])

    nodes: list[TreeNode] = []

    def walk(parent_id: int | None, depth: int) -> None:
        for category in children[parent_id]:
            nodes.append(TreeNode(category, depth, total(category)))
            walk(category.pk, depth + 1)

    walk(None, 0)
    return nodes


def category_choices() -> list[tuple[int, str]]:
    """Return (pk, indented name) for every category, in tree order, for select boxes.

    One light query (no product counts: this runs on every product list page).
    """
    children = defaultdict(list)
    for pk, name, parent_id in Category.objects.order_by(Lower("name")).values_list(
        "pk", "name", "parent_id"
    ):
        children[parent_id].append((pk, name))
    choices: list[tuple[int, str]] = []

    def walk(parent_id: int | None, depth: int) -> None:
        for pk, name in children[parent_id]:
            choices.append((pk, "\u2003" * depth + name))
            walk(pk, depth + 1)

    walk(None, 0)
    return choices


def category_path(category: Category) -> str:
    """Return "Grandparent / Parent / Name" joined by a right angle quote (parents must be
    select_related)."""
    names = []
    while category is not None:
        names.insert(0, category.name)
        category = category.parent
    return " \u203a ".join(names)


def category_options(text: str, *, limit: int) -> list[tuple[int, str]]:
    """Return (pk, path) of up to `limit` categories whose name contains `text`, by name;
    the top-level categories when `text` is empty. One query (a tree of up to three levels is
    shown whole; deeper parents are read one by one)."""
    categories = Category.objects.select_related("parent__parent").order_by(Lower("name"), "pk")
    if text:
        categories = categories.filter(name__icontains=text)
    else:
        categories = categories.filter(parent__isnull=True)
    return [(category.pk, category_path(category)) for category in categories[:limit]]


def product_list() -> QuerySet[Product]:
    """Return products with what list pages, exports and the API list show (no N+1)."""
    return Product.objects.select_related("category", "preferred_supplier").defer("search_vector")


_WORD = re.compile(r"\w+", re.UNICODE)


def product_search(queryset: QuerySet[Product], text: str) -> QuerySet[Product]:
    """Filter by words of SKU, name or barcode (prefix match), an SKU prefix, or a barcode.

    Every branch is served by an index: the GIN full-text index, lower(sku) text_pattern_ops,
    and the unique barcode index.
    """
    text = text.strip()
    words = _WORD.findall(text.lower())
    if not text:
        return queryset
    condition = Q(barcode=text) | Q(sku_lower__startswith=text.lower())
    if words:
        query = SearchQuery(" & ".join(f"{w}:*" for w in words), search_type="raw", config="simple")
        condition |= Q(search_vector=query)
    return queryset.alias(sku_lower=Lower("sku")).filter(condition)


def products_in_categories(queryset: QuerySet[Product], category_ids: Iterable[int]):
    return queryset.filter(category_id__in=category_descendant_ids(category_ids))


def products_of_supplier(queryset: QuerySet[Product], supplier_id: int) -> QuerySet[Product]:
    """Products the supplier sells us (catalogue) or that name it as preferred supplier.

    One `id IN (… UNION …)` of two index scans: an OR of the two conditions made PostgreSQL
    test every product.
    """
    listed = SupplierProduct.objects.filter(supplier_id=supplier_id).order_by().values("product_id")
    preferred = Product.objects.filter(preferred_supplier_id=supplier_id).order_by().values("pk")
    return queryset.filter(pk__in=listed.union(preferred))
