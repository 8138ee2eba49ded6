"""The product table as people keep it in a spreadsheet: exported here, imported by imports.py.

The columns are the same both ways, so an export edited in a spreadsheet imports back.
"""

from collections.abc import Iterator

from django.db.models import QuerySet

from .models import Category, Product

# (column, needs permission to see cost)
PRODUCT_COLUMNS: list[tuple[str, bool]] = [
    ("sku", False),
    ("barcode", False),
    ("name", False),
    ("description", False),
    ("unit", False),
    ("category", False),
    ("tags", False),
    ("preferred_supplier", False),
    ("cost_price", True),
    ("sale_price", False),
    ("tax_rate", False),
    ("reorder_point", False),
    ("reorder_quantity", False),
    ("active", False),
]
CATEGORY_SEPARATOR = " > "


def product_columns(user) -> list[str]:
    """Return the columns `user` may export: cost only for those who may see costs."""
    sees_cost = user.has_perm("products.view_cost_price")
    return [name for name, costly in PRODUCT_COLUMNS if sees_cost or not costly]


def category_paths() -> dict[int, str]:
    """Return "Parent > Child" for every category id (one query)."""
    rows = {
        pk: (name, parent)
        for pk, name, parent in Category.objects.values_list("pk", "name", "parent_id")
    }

    def path(pk: int) -> str:
        name, parent = rows[pk]
        return f"{path(parent)}{CATEGORY_SEPARATOR}{name}" if parent else name

    return {pk: path(pk) for pk in rows}


def product_rows(queryset: QuerySet[Product], columns: list[str]) -> Iterator[list]:
    """Yield one row per product, in `columns` order, reading the database in chunks."""
    paths = category_paths()
    queryset = queryset.select_related("preferred_supplier").prefetch_related("tags")
    for product in queryset.iterator(chunk_size=2000):
        values = {
            "sku": product.sku,
            "barcode": product.barcode or "",
            "name": product.name,
            "description": product.description,
            "unit": product.unit,
            "category": paths.get(product.category_id, ""),
            "tags": ", ".join(sorted(t.name for t in product.tags.all())),
            "preferred_supplier": product.preferred_supplier.name
            if product.preferred_supplier
            else "",
            "cost_price": product.cost_price,
            "sale_price": product.sale_price,
            "tax_rate": product.tax_rate,
            "reorder_point": product.reorder_point,
            "reorder_quantity": product.reorder_quantity,
            "active": "yes" if product.is_active else "no",
        }
        yield [values[column] for column in columns]
