"""A report's filters as SQL conditions, for the selectors that write their own statements
(window functions and several aggregations in one round trip read better as SQL than as ORM).

Every fragment here is constant text with `%s` placeholders; the values travel as parameters.
"""

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection, transaction

from ..base import Params

# Per sort or hash of a report query (hashes get twice as much, hash_mem_multiplier): two years
# of per-product sums and the window sorts over all products fit in memory instead of spilling
# to disk, which took most of their time at 4 MB. Only for the report's own transaction.
REPORT_WORK_MEM = "64MB"


def product_conditions(params: Params, alias: str = "p") -> tuple[str, list]:
    """Conditions on a `products_product` row called `alias` for the product, category (with
    its subcategories) and supplier (products in its catalogue) filters, with positional
    placeholders; "TRUE" when none."""
    parts, args = ["TRUE"], []
    for condition, value in _product_filters(params, alias):
        parts.append(condition.replace("{value}", "%s"))
        args.append(value)
    return " AND ".join(parts), args


def product_conditions_named(params: Params, alias: str = "p") -> tuple[str, dict]:
    """The same conditions with named placeholders (`%(product_filter_0)s`, ...)."""
    parts, args = ["TRUE"], {}
    for n, (condition, value) in enumerate(_product_filters(params, alias)):
        parts.append(condition.replace("{value}", f"%(product_filter_{n})s"))
        args[f"product_filter_{n}"] = value
    return " AND ".join(parts), args


def _product_filters(params: Params, alias: str) -> list[tuple[str, object]]:
    found = []
    if params.product is not None:
        found.append((f"{alias}.id = {{value}}", params.product.pk))
    if params.category_ids is not None:
        found.append((f"{alias}.category_id = ANY({{value}})", sorted(params.category_ids)))
    if params.supplier is not None:
        # Constant text: only the alias (chosen by the selector) is put in, never a value.
        catalogue = (
            "EXISTS (SELECT 1 FROM suppliers_supplierproduct sp"  # noqa: S608
            f" WHERE sp.product_id = {alias}.id AND sp.supplier_id = {{value}})"
        )
        found.append((catalogue, params.supplier.pk))
    return found


@contextmanager
def report_queries() -> Iterator[None]:
    """Run the queries of a report inside one transaction with `REPORT_WORK_MEM` (a local
    setting: it ends with the transaction, so pages sharing the connection keep the default).
    """
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT set_config('work_mem', %s, true)", [REPORT_WORK_MEM])
        yield


def location_id(params: Params) -> int | None:
    return getattr(params.location, "pk", None)


def fetch_dicts(cursor) -> list[dict]:
    """The cursor's remaining rows as dicts keyed by column name."""
    names = [column.name for column in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
