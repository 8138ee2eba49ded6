"""Import supplier catalogues (who sells which product at what price) from a spreadsheet.

One row per supplier and product: supplier (name), sku (our product), supplier_sku,
purchase_price, lead_time_days, min_order_quantity. Rows are matched to existing catalogue
entries by supplier and SKU, whatever their case; the plan/apply contract is the one of
products.imports.
"""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from inventory_site.spreadsheets import Sheet, parse_decimal
from products.imports import ImportPlan, RowError
from products.models import Product

from .models import Supplier, SupplierProduct

COLUMNS = ("supplier", "sku", "supplier_sku", "purchase_price", "lead_time_days")
COLUMNS += ("min_order_quantity",)
ALIASES = {"supplier_name": "supplier", "product_sku": "sku", "price": "purchase_price",
           "lead_time": "lead_time_days", "moq": "min_order_quantity",
           "harga_beli": "purchase_price"}  # fmt: skip
COMPARED = ("supplier_sku", "purchase_price", "lead_time_days", "min_order_quantity")


@dataclass
class CatalogueRow:
    line: int
    action: str
    item: SupplierProduct
    changes: list[str] = field(default_factory=list)

    @property
    def product(self) -> Product:  # what the preview table shows
        return self.item.product


def catalogue_import_plan(sheet: Sheet, *, user: User) -> ImportPlan:
    """Work out what importing `sheet` into the supplier catalogues would do."""
    rename = {h: ALIASES.get(h, h) for h in sheet.headers}
    present = set(rename.values())
    missing = [c for c in ("supplier", "sku", "purchase_price") if c not in present]
    if missing:
        message = _("The file needs these columns: %s") % ", ".join(missing)
        return ImportPlan([], [RowError(1, missing[0], message)], [], [], [])
    rows = [(r.line, {rename[k]: v for k, v in r.values.items() if rename.get(k) in COLUMNS})
            for r in sheet.rows]  # fmt: skip
    suppliers = {s.name.lower(): s for s in Supplier.objects.all()}
    skus = {str(v.get("sku") or "").strip().lower() for _line, v in rows} - {""}
    found = Product.objects.alias(key=Lower("sku")).filter(key__in=skus).only("pk", "sku", "name")
    products = {p.sku.lower(): p for p in found}
    items = {
        (i.supplier_id, i.product_id): i
        for i in SupplierProduct.objects.filter(product__in=products.values())
    }
    planned, errors, seen = [], [], {}
    for line, values in rows:
        row_errors = []

        def fail(column, message, _errors=row_errors, _line=line):
            _errors.append(RowError(_line, column, message))

        supplier_name = str(values.get("supplier") or "").strip()
        sku = str(values.get("sku") or "").strip()
        supplier = suppliers.get(supplier_name.lower())
        product = products.get(sku.lower())
        if supplier is None:
            fail("supplier", _("No supplier is called %(name)s.") % {"name": supplier_name})
        if product is None:
            fail("sku", _("No product has the SKU %(sku)s.") % {"sku": sku})
        if supplier and product:
            key = (supplier.pk, product.pk)
            if key in seen:
                fail("sku", _("%(sku)s of %(supplier)s appears again (first on line %(line)s).")
                     % {"sku": sku, "supplier": supplier, "line": seen[key]})  # fmt: skip
            seen.setdefault(key, line)
        if row_errors:
            errors.extend(row_errors)
            continue
        existing = items.get((supplier.pk, product.pk))
        item = SupplierProduct(supplier=supplier, product=product)
        if existing:
            item.pk = existing.pk
            item._state.adding = False
            for name in COMPARED:
                setattr(item, name, getattr(existing, name))
        if "supplier_sku" in values:
            item.supplier_sku = str(values["supplier_sku"] or "").strip()
        for name in ("purchase_price", "lead_time_days", "min_order_quantity"):
            if name in values and str(values[name] or "").strip():
                try:
                    number = parse_decimal(values[name], sheet.decimal_comma)
                    setattr(item, name, int(number) if name == "lead_time_days" else number)
                except ValueError:
                    fail(name, _("%(value)s is not a number.") % {"value": values[name]})
        try:
            item.clean_fields(exclude=["supplier", "product"])
            if item.min_order_quantity <= 0:
                message = _("The minimum order quantity must be above zero.")
                raise ValidationError({"min_order_quantity": message})
        except ValidationError as error:
            for column, messages in error.message_dict.items():
                if not any(e.column == column for e in row_errors):
                    fail(column, " ".join(messages))
        if row_errors:
            errors.extend(row_errors)
            continue
        if existing is None:
            planned.append(CatalogueRow(line, "create", item))
        else:
            changes = [n for n in COMPARED if getattr(item, n) != getattr(existing, n)]
            planned.append(CatalogueRow(line, "update" if changes else "unchanged", item, changes))
    return ImportPlan(planned, errors, [], [], [])


@transaction.atomic
def catalogue_import_apply(plan: ImportPlan, *, actor: User) -> dict[str, int]:
    """Write a valid catalogue plan in one transaction."""
    if not plan.is_valid:
        raise ValueError("only a valid plan can be applied")
    creates = [row.item for row in plan.rows if row.action == "create"]
    updates = [row.item for row in plan.rows if row.action == "update"]
    now = timezone.now()
    for item in updates:
        item.updated_at = now
    SupplierProduct.objects.bulk_create(creates, batch_size=1000)
    SupplierProduct.objects.bulk_update(updates, [*COMPARED, "updated_at"], batch_size=1000)
    return {"created": len(creates), "updated": len(updates), "unchanged": plan.count("unchanged")}
