"""Writes to the catalogue. Views, the API and imports call these; nothing else writes."""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError
from django.utils.translation import gettext as _

from accounts.models import User
from inventory_site.exceptions import HasHistoryError

from .models import Category, Product, Tag
from .selectors import category_descendant_ids

PRODUCT_FIELDS = (
    "sku",
    "barcode",
    "name",
    "description",
    "unit",
    "category",
    "preferred_supplier",
    "cost_price",
    "sale_price",
    "tax_rate",
    "reorder_point",
    "reorder_quantity",
    "image",
    "is_active",
)


@transaction.atomic
def product_save(
    *, actor: User, product: Product | None = None, tags: Iterable[Tag] | None = None, **fields
) -> Product:
    """Create a product, or update `product`, with the given fields; validate before saving."""
    unknown = set(fields) - set(PRODUCT_FIELDS)
    if unknown:
        raise TypeError(f"unknown product fields: {sorted(unknown)}")
    product = product or Product()
    for name, value in fields.items():
        setattr(product, name, value)
    if product.barcode == "":
        product.barcode = None
    product.full_clean(exclude=["search_vector"])
    product.save()
    if tags is not None:
        product.tags.set(tags)
    return product


def product_set_active(*, actor: User, product: Product, active: bool) -> Product:
    """Activate or deactivate a product (inactive products stay in history, leave the lists)."""
    product.is_active = active
    product.save(update_fields=["is_active", "updated_at"])
    return product


@transaction.atomic
def product_delete(*, actor: User, product: Product) -> None:
    """Delete a product that has no history; raise HasHistoryError otherwise."""
    try:
        product.delete()
    except ProtectedError as error:
        raise HasHistoryError(
            product,
            _("%(product)s has stock or order history and cannot be deleted; deactivate it.")
            % {"product": product},
        ) from error


@transaction.atomic
def category_save(
    *, actor: User, category: Category | None = None, name: str, parent: Category | None
) -> Category:
    """Create or rename/move a category; refuse to move it under itself or its descendants."""
    category = category or Category()
    if category.pk and parent and parent.pk in category_descendant_ids([category.pk]):
        raise ValidationError(
            {"parent": _("A category cannot be moved under itself or one of its children.")},
            code="cycle",
        )
    category.name, category.parent = name, parent
    category.full_clean()
    category.save()
    return category


@transaction.atomic
def category_delete(*, actor: User, category: Category) -> None:
    """Delete an empty category; raise HasHistoryError if products or sub-categories use it."""
    try:
        category.delete()
    except ProtectedError as error:
        raise HasHistoryError(
            category,
            _(
                "Category %(category)s still has products or sub-categories: move them to "
                "another category first."
            )
            % {"category": category},
        ) from error
