"""Purchase orders: draft → ordered → partially received → received → closed, or cancelled.

Every transition locks the order row first (a double click waits, then finds the new status),
records an OrderStatusChange in the same transaction, and books stock only through
stock.services.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from accounts.models import User
from integrations.events import purchase_order_received
from products.models import Product
from stock.models import Location
from stock.services import stock_receive
from suppliers.models import Supplier, SupplierProduct

from ..models import PurchaseOrder, PurchaseOrderLine
from ..numbers import next_number
from .common import (
    OrderError,
    lock_order,
    move_status,
    plain,
    positive,
    product_of,
    quantity_or_none,
    record_status,
    require_status,
)

Status = PurchaseOrder.Status


@dataclass(frozen=True)
class PurchaseLine:
    product: Product
    quantity: Decimal
    unit_cost: Decimal | None = None  # None: the supplier's catalogue price, else the cost


def _write_lines(order: PurchaseOrder, lines: Iterable[PurchaseLine]) -> None:
    lines = list(lines)
    products = [line.product.pk for line in lines]
    if len(products) != len(set(products)):
        raise OrderError(_("Each product may appear on an order once."))
    prices = dict(
        SupplierProduct.objects.filter(supplier=order.supplier, product__in=products).values_list(
            "product_id", "purchase_price"
        )
    )
    rows = []
    for line in lines:
        cost = line.unit_cost
        if cost is None:
            cost = prices.get(line.product.pk, line.product.cost_price)
        if Decimal(cost) < 0:
            raise OrderError(_("A unit cost cannot be negative."))
        rows.append(
            PurchaseOrderLine(
                order=order, product=line.product, quantity=positive(line.quantity),
                unit_cost=cost,
            )
        )  # fmt: skip
    order.lines.all().delete()
    PurchaseOrderLine.objects.bulk_create(rows)


@transaction.atomic
def purchase_order_create(
    *,
    actor: User,
    supplier: Supplier,
    location: Location,
    lines: Iterable[PurchaseLine] = (),
    expected_date: date | None = None,
    notes: str = "",
) -> PurchaseOrder:
    """Create a draft purchase order with its number; unit costs default to the supplier's
    catalogue price (or the product's cost when the supplier does not list it)."""
    order = PurchaseOrder(
        number=next_number("PO"), supplier=supplier, location=location,
        expected_date=expected_date, notes=notes, created_by=actor,
    )  # fmt: skip
    order.full_clean(exclude=["number"])
    order.save()
    _write_lines(order, lines)
    record_status(order, "", Status.DRAFT, actor)
    return order


@transaction.atomic
def purchase_order_update(
    *,
    actor: User,
    order: PurchaseOrder,
    lines: Iterable[PurchaseLine] | None = None,
    **fields,
) -> PurchaseOrder:
    """Change a draft's supplier, location, dates, notes and (if given) its lines."""
    order = lock_order(order)
    require_status(order, Status.DRAFT, action=pgettext("order action", "edited"))
    for name, value in fields.items():
        setattr(order, name, value)
    order.full_clean()
    order.save()
    if lines is not None:
        _write_lines(order, lines)
    return order


@transaction.atomic
def purchase_order_place(*, actor: User, order: PurchaseOrder, note: str = "") -> PurchaseOrder:
    """Send a draft to the supplier: draft → ordered, dated today."""
    order = lock_order(order)
    require_status(order, Status.DRAFT, action=pgettext("order action", "ordered"))
    if not order.lines.exists():
        raise OrderError(_("Add at least one line before ordering."))
    order.order_date = timezone.localdate()
    return move_status(order, Status.ORDERED, actor, note, "order_date")


@transaction.atomic
def purchase_order_receive(
    *,
    actor: User,
    order: PurchaseOrder,
    quantities: Mapping[int, Decimal],
    note: str = "",
) -> PurchaseOrder:
    """Receive goods against an ordered purchase order: `quantities` maps line ids to what
    arrived. Each becomes a receipt movement at the order's location (updating the average
    cost); receiving more than is outstanding on a line is refused. All or nothing."""
    order = lock_order(order)
    require_status(
        order,
        Status.ORDERED,
        Status.PARTIALLY_RECEIVED,
        action=pgettext("order action", "received"),
    )
    lines = {line.pk: line for line in order.lines.select_related("product").order_by("pk")}
    wanted = {pk: quantity_or_none(q) for pk, q in quantities.items()}
    wanted = {pk: q for pk, q in wanted.items() if q is not None}
    if not wanted:
        raise OrderError(_("Enter what arrived for at least one line."))
    received = []
    # In product order, as every stock service books several products: each product's total
    # (stock.StockTotal) is then locked in the same order by every transaction, never crossed.
    for pk, quantity in sorted(
        wanted.items(), key=lambda item: (product_of(lines, item[0]), item[0])
    ):
        line = lines.get(pk)
        if line is None:
            message = _("Line %(line)s is not on %(number)s.")
            raise OrderError(message % {"line": pk, "number": order})
        if quantity > line.outstanding:
            raise OrderError(
                _("%(product)s: %(quantity)s received but only %(outstanding)s outstanding.")
                % {
                    "product": line.product, "quantity": plain(quantity),
                    "outstanding": plain(line.outstanding),
                }
            )  # fmt: skip
        stock_receive(
            actor=actor, product=line.product, location=order.location, quantity=quantity,
            unit_cost=line.unit_cost, note=note or str(order), purchase_order_line=line,
        )  # fmt: skip
        line.received_quantity += quantity
        line.save(update_fields=["received_quantity"])
        received.append((line, quantity))
    done = all(line.received_quantity >= line.quantity for line in lines.values())
    target = Status.RECEIVED if done else Status.PARTIALLY_RECEIVED
    if target != order.status:
        order = move_status(order, target, actor, note)
    purchase_order_received(order, received=received, actor=actor)
    return order


@transaction.atomic
def purchase_order_cancel(*, actor: User, order: PurchaseOrder, note: str = "") -> PurchaseOrder:
    """Cancel a draft or an order nothing has arrived for (once goods came in, close it)."""
    order = lock_order(order)
    require_status(
        order, Status.DRAFT, Status.ORDERED, action=pgettext("order action", "cancelled")
    )
    return move_status(order, Status.CANCELLED, actor, note)


@transaction.atomic
def purchase_order_close(*, actor: User, order: PurchaseOrder, note: str = "") -> PurchaseOrder:
    """Close an order: fully received, or partly received with no more to come."""
    order = lock_order(order)
    require_status(
        order, Status.PARTIALLY_RECEIVED, Status.RECEIVED, action=pgettext("order action", "closed")
    )
    return move_status(order, Status.CLOSED, actor, note)


@transaction.atomic
def purchase_order_delete(*, actor: User, order: PurchaseOrder) -> None:
    """Delete a draft; an order that was placed is kept for its history (cancel it)."""
    order = lock_order(order)
    require_status(order, Status.DRAFT, action=pgettext("order action", "deleted"))
    order.delete()
