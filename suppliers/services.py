"""Writes to suppliers and their catalogues."""

from django.db import transaction
from django.db.models import ProtectedError
from django.utils.translation import gettext as _

from accounts.models import User
from inventory_site.exceptions import HasHistoryError

from .models import Supplier, SupplierProduct

SUPPLIER_FIELDS = ("name", "contact_person", "phone", "email", "address", "notes", "is_active")
CATALOGUE_FIELDS = ("product", "supplier_sku", "purchase_price", "lead_time_days")
CATALOGUE_FIELDS += ("min_order_quantity",)


def _save(obj, fields: dict, allowed: tuple[str, ...]):
    unknown = set(fields) - set(allowed)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(obj, name, value)
    obj.full_clean()
    obj.save()
    return obj


@transaction.atomic
def supplier_save(*, actor: User, supplier: Supplier | None = None, **fields) -> Supplier:
    """Create a supplier, or update `supplier`; validate before saving."""
    return _save(supplier or Supplier(), fields, SUPPLIER_FIELDS)


@transaction.atomic
def supplier_delete(*, actor: User, supplier: Supplier) -> None:
    """Delete a supplier with no history (orders); raise HasHistoryError otherwise."""
    try:
        supplier.delete()
    except ProtectedError as error:
        raise HasHistoryError(
            supplier,
            _("%(supplier)s has order history and cannot be deleted; deactivate it instead.")
            % {"supplier": supplier},
        ) from error


@transaction.atomic
def catalogue_item_save(
    *, actor: User, supplier: Supplier, item: SupplierProduct | None = None, **fields
) -> SupplierProduct:
    """Add a product to `supplier`'s catalogue, or update an entry of it."""
    item = item or SupplierProduct(supplier=supplier)
    if item.supplier_id != supplier.pk:
        raise ValueError("catalogue entry belongs to another supplier")
    return _save(item, fields, CATALOGUE_FIELDS)


def catalogue_item_delete(*, actor: User, item: SupplierProduct) -> None:
    """Remove a product from a supplier's catalogue (prices are not history)."""
    item.delete()
