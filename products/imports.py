"""Import products from a spreadsheet: plan every row first, then apply all or nothing.

`product_import_plan` only reads the database and says, per row, what would be created or
updated, and every error with its line and column. `product_import_apply` writes a valid plan
in one transaction with bulk statements (10,000 rows in seconds). Rows are matched to products
by SKU whatever its case, so importing the same file twice leaves the same state.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from inventory_site.spreadsheets import Sheet, parse_bool, parse_decimal
from suppliers.models import Supplier

from .exports import CATEGORY_SEPARATOR, PRODUCT_COLUMNS
from .models import Category, Product, Tag

DECIMAL_COLUMNS = ("cost_price", "sale_price", "tax_rate", "reorder_point", "reorder_quantity")
# Other names people give the columns (after normalising: lower case, underscores).
ALIASES = {
    "is_active": "active",
    "status": "active",
    "code": "sku",
    "kode": "sku",
    "product_name": "name",
    "nama": "name",
    "ean": "barcode",
    "kategori": "category",
    "satuan": "unit",
    "supplier": "preferred_supplier",
    "price": "sale_price",
    "harga_jual": "sale_price",
    "cost": "cost_price",
    "harga_pokok": "cost_price",
    "tax": "tax_rate",
    "pajak": "tax_rate",
}
UNITS = {value: value for value in Product.Unit.values} | {
    "piece": "pcs",
    "pieces": "pcs",
    "pc": "pcs",
    "buah": "pcs",
    "unit": "pcs",
    "kilogram": "kg",
    "gram": "g",
    "liter": "l",
    "litre": "l",
    "milliliter": "ml",
    "millilitre": "ml",
    "meter": "m",
    "metre": "m",
    "dus": "box",
    "pak": "pack",
}
# Product fields a row can change, compared to tell an update from "unchanged".
COMPARED = (
    "barcode",
    "name",
    "description",
    "unit",
    "preferred_supplier_id",
    "cost_price",
    "sale_price",
    "tax_rate",
    "reorder_point",
    "reorder_quantity",
    "is_active",
)


@dataclass(frozen=True)
class RowError:
    line: int
    column: str
    message: str


@dataclass
class PlannedRow:
    line: int
    action: str  # "create", "update" or "unchanged"
    product: Product
    category_path: tuple[str, ...] | None = None  # None: the row does not set the category
    tag_names: list[str] | None = None  # None: the row does not set the tags
    changes: list[str] = field(default_factory=list)


@dataclass
class ImportPlan:
    rows: list[PlannedRow]
    errors: list[RowError]
    notices: list[str]
    new_categories: list[tuple[str, ...]]
    new_tags: list[str]

    @property
    def is_valid(self) -> bool:
        return not self.errors and bool(self.rows)

    def count(self, action: str) -> int:
        return sum(1 for row in self.rows if row.action == action)


def product_import_plan(sheet: Sheet, *, user: User) -> ImportPlan:
    """Work out what importing `sheet` would do, without writing anything."""
    return _Planner(sheet, user).plan()


class _Planner:
    def __init__(self, sheet: Sheet, user: User):
        self.sheet = sheet
        self.errors: list[RowError] = []
        self.notices: list[str] = []
        self.columns = self._columns(sheet.headers, user)
        self.rename = {h: ALIASES.get(h, h) for h in sheet.headers}
        self.first_sku: dict[str, int] = {}
        self.first_barcode: dict[str, int] = {}
        self.new_categories: set[tuple[str, ...]] = set()
        self.new_tags: dict[str, str] = {}

    def _columns(self, headers: list[str], user: User) -> set[str]:
        known = {name for name, _costly in PRODUCT_COLUMNS}
        canonical = {h: ALIASES.get(h, h) for h in headers if h}
        ignored = sorted(h for h, c in canonical.items() if c not in known)
        if ignored:
            self.notices.append(_("Columns ignored (not product fields): %s") % ", ".join(ignored))
        columns = {c for c in canonical.values() if c in known}
        if "cost_price" in columns and not user.has_perm("products.view_cost_price"):
            columns.discard("cost_price")
            self.notices.append(
                _("The cost_price column was ignored: your role may not set costs.")
            )
        return columns

    def plan(self) -> ImportPlan:
        if "sku" not in self.columns:
            self.errors.append(RowError(1, "sku", _("The file needs an 'sku' column.")))
            return self._result([])
        rows = [(row.line, self._known_values(row.values)) for row in self.sheet.rows]
        self.db = _Lookups.load(rows)
        planned = [p for line, values in rows if (p := self._row(line, values)) is not None]
        return self._result(planned)

    def _known_values(self, values: dict) -> dict:
        """The row's cells under their canonical column names, known columns only."""
        return {self.rename[k]: v for k, v in values.items() if self.rename.get(k) in self.columns}

    def _result(self, planned: list[PlannedRow]) -> ImportPlan:
        return ImportPlan(
            planned,
            self.errors,
            self.notices,
            sorted(self.new_categories, key=len),
            sorted(self.new_tags.values(), key=str.lower),
        )

    def _row(self, line: int, values: dict) -> PlannedRow | None:
        errors: list[RowError] = []

        def fail(column: str, message: str) -> None:
            errors.append(RowError(line, column, message))

        sku = _text(values.get("sku"))
        if not sku:
            fail("sku", _("SKU is missing."))
        elif sku.lower() in self.first_sku:
            first = self.first_sku[sku.lower()]
            fail(
                "sku",
                _("SKU %(sku)s appears again (first on line %(line)s).")
                % {"sku": sku, "line": first},
            )
        if errors:
            self.errors.extend(errors)
            return None
        self.first_sku[sku.lower()] = line

        existing = self.db.products.get(sku.lower())
        product = _copy(existing) if existing else Product(sku=sku)
        for column in ("name", "description"):
            if column in values:
                setattr(product, column, _text(values[column]))
        if "barcode" in values:
            self._barcode(product, values["barcode"], line, fail)
        if _given(values, "unit"):
            unit = UNITS.get(_text(values["unit"]).lower())
            if unit is None:
                units = ", ".join(Product.Unit.values)
                fail(
                    "unit",
                    _("Unknown unit %(unit)s; use one of: %(units)s.")
                    % {"unit": values["unit"], "units": units},
                )
            else:
                product.unit = unit
        for column in DECIMAL_COLUMNS:
            if _given(values, column):
                try:
                    setattr(
                        product, column, parse_decimal(values[column], self.sheet.decimal_comma)
                    )
                except ValueError:
                    fail(column, _("%(value)s is not a number.") % {"value": values[column]})
        if _given(values, "active"):
            try:
                product.is_active = parse_bool(values["active"])
            except ValueError:
                fail("active", _("Write yes or no, not %(value)s.") % {"value": values["active"]})
        if "preferred_supplier" in values:
            name = _text(values["preferred_supplier"])
            product.preferred_supplier = self.db.suppliers.get(name.lower()) if name else None
            if name and product.preferred_supplier is None:
                fail("preferred_supplier", _("No supplier is called %(name)s.") % {"name": name})
        category_path = self._category_path(values) if "category" in values else None
        tag_names = self._tag_names(values) if "tags" in values else None

        try:
            product.clean_fields(
                exclude=["search_vector", "image", "category", "preferred_supplier"]
            )
        except ValidationError as error:
            for column, messages in error.message_dict.items():
                if not any(e.column == column for e in errors):
                    fail(column, " ".join(messages))
        if errors:
            self.errors.extend(errors)
            return None
        if existing is None:
            return PlannedRow(line, "create", product, category_path, tag_names)
        changes = [f for f in COMPARED if getattr(product, f) != getattr(existing, f)]
        if category_path is not None and self.db.category_id(category_path) != existing.category_id:
            changes.append("category")
        if (
            tag_names is not None
            and {t.lower() for t in tag_names} != self.db.product_tags[existing.pk]
        ):
            changes.append("tags")
        action = "update" if changes else "unchanged"
        return PlannedRow(line, action, product, category_path, tag_names, changes)

    def _barcode(self, product: Product, value, line: int, fail) -> None:
        if isinstance(value, float) and value.is_integer():
            value = int(value)  # a spreadsheet turned the barcode into a number
        barcode = _text(value)
        product.barcode = barcode or None
        if not barcode:
            return
        owner = self.db.barcodes.get(barcode)
        if barcode in self.first_barcode:
            first = self.first_barcode[barcode]
            fail(
                "barcode",
                _("Barcode %(code)s appears again (first on line %(line)s).")
                % {"code": barcode, "line": first},
            )
        elif owner is not None and owner != product.sku.lower():
            fail("barcode", _("Barcode %(code)s belongs to another product.") % {"code": barcode})
        self.first_barcode.setdefault(barcode, line)

    def _category_path(self, values: dict) -> tuple[str, ...]:
        parts = _text(values["category"]).split(CATEGORY_SEPARATOR.strip())
        path = tuple(p.strip() for p in parts if p.strip())
        self.new_categories.update(self.db.missing_categories(path))
        return path

    def _tag_names(self, values: dict) -> list[str]:
        names = {t.strip() for t in _text(values["tags"]).replace(";", ",").split(",") if t.strip()}
        for name in names:
            if name.lower() not in self.db.tags:
                self.new_tags.setdefault(name.lower(), name)
        return sorted(names, key=str.lower)


def _text(value) -> str:
    return "" if value is None else str(value).strip()


def _given(values: dict, column: str) -> bool:
    return column in values and _text(values[column]) != ""


def _copy(product: Product) -> Product:
    """An unsaved-looking copy to change, so the original stays to compare with."""
    copy = Product(
        **{
            f.attname: getattr(product, f.attname)
            for f in Product._meta.concrete_fields
            if not f.generated
        }
    )
    copy._state.adding = False
    return copy


@dataclass
class _Lookups:
    """What a plan needs from the database, read in a handful of queries."""

    products: dict[str, Product]  # lower(sku) -> product
    barcodes: dict[str, str]  # barcode -> lower(sku) of its product
    suppliers: dict[str, Supplier]  # lower(name) -> supplier
    tags: dict[str, Tag]  # lower(name) -> tag
    categories: dict[tuple[int | None, str], int]  # (parent id, lower(name)) -> id
    product_tags: dict[int, set[str]]  # product id -> lower(tag names)

    @classmethod
    def load(cls, rows: list[tuple[int, dict]]) -> "_Lookups":
        skus = sorted({_text(values.get("sku")).lower() for _line, values in rows} - {""})
        products: dict[str, Product] = {}
        for start in range(0, len(skus), 5000):
            found = Product.objects.alias(key=Lower("sku")).filter(
                key__in=skus[start : start + 5000]
            )
            products |= {p.sku.lower(): p for p in found.defer("search_vector")}
        codes = {_text(values.get("barcode")) for _line, values in rows} - {""}
        barcodes = Product.objects.filter(barcode__in=codes).values_list("barcode", "sku")
        tagged = Product.tags.through.objects.filter(
            product_id__in=[p.pk for p in products.values()]
        )
        product_tags: dict[int, set[str]] = defaultdict(set)
        for product_id, name in tagged.values_list("product_id", "tag__name"):
            product_tags[product_id].add(name.lower())
        return cls(
            products=products,
            barcodes={code: sku.lower() for code, sku in barcodes},
            suppliers={s.name.lower(): s for s in Supplier.objects.all()},
            tags={t.name.lower(): t for t in Tag.objects.all()},
            categories=_category_keys(),
            product_tags=product_tags,
        )

    def category_id(self, path: tuple[str, ...]) -> int | None:
        parent = None
        for name in path:
            parent = self.categories.get((parent, name.lower()))
            if parent is None:
                return None
        return parent

    def missing_categories(self, path: tuple[str, ...]) -> list[tuple[str, ...]]:
        """Return the prefixes of `path` that are not categories yet ("A", "A > B", ...)."""
        for depth in range(1, len(path) + 1):
            if self.category_id(path[:depth]) is None:
                return [path[:n] for n in range(depth, len(path) + 1)]
        return []


def _category_keys() -> dict[tuple[int | None, str], int]:
    rows = Category.objects.values_list("pk", "name", "parent_id")
    return {(parent, name.lower()): pk for pk, name, parent in rows}


@transaction.atomic
def product_import_apply(plan: ImportPlan, *, actor: User) -> dict[str, int]:
    """Write a valid plan in one transaction: new categories and tags, then the products."""
    if not plan.is_valid:
        raise ValueError("only a valid plan can be applied")
    categories = _category_keys()

    def category_id(path: tuple[str, ...]) -> int | None:
        parent = None
        for name in path:
            key = (parent, name.lower())
            if key not in categories:
                categories[key] = Category.objects.create(name=name, parent_id=parent).pk
            parent = categories[key]
        return parent

    tags = {t.name.lower(): t for t in Tag.objects.all()}
    created_tags = Tag.objects.bulk_create(
        [Tag(name=n) for n in plan.new_tags if n.lower() not in tags]
    )
    tags |= {t.name.lower(): t for t in created_tags}

    now = timezone.now()
    creates, updates = [], []
    for row in plan.rows:
        if row.category_path is not None:
            row.product.category_id = category_id(row.category_path)
        if row.action == "create":
            creates.append(row.product)
        elif row.action == "update":
            row.product.updated_at = now
            updates.append(row.product)
    Product.objects.bulk_create(creates, batch_size=1000)
    fields = [f.removesuffix("_id") for f in COMPARED] + ["category", "updated_at"]
    Product.objects.bulk_update(updates, fields, batch_size=1000)

    through = Product.tags.through
    retagged = [row for row in plan.rows if row.tag_names is not None and row.action != "unchanged"]
    through.objects.filter(product_id__in=[row.product.pk for row in retagged]).delete()
    links = [
        through(product_id=row.product.pk, tag_id=tags[name.lower()].pk)
        for row in retagged
        for name in row.tag_names
    ]
    through.objects.bulk_create(links, batch_size=2000)
    return {"created": len(creates), "updated": len(updates), "unchanged": plan.count("unchanged")}
