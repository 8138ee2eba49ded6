"""Sales orders: draft → confirmed (stock reserved) → partially fulfilled → fulfilled (sale
movements) → completed, or cancelled (reservations released); returns book stock back.

A counter sale is a sales order confirmed and fulfilled in one transaction, made once per token.
Every transition locks the order row first, records an OrderStatusChange in the same
transaction, and moves stock only through stock.services.
"""

import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from accounts.models import User
from products.models import Product
from stock.models import Location, StockMovement
from stock.services import (
    IssueLine,
    LocationNotAllowed,
    stock_issue_many,
    stock_receive,
    stock_release_many,
    stock_reserve_many,
    user_may_work_at,
)

from ..models import Customer, SalesOrder, SalesOrderLine, SalesReturn, SalesReturnLine
from ..numbers import next_number
from ..pricing import line_amounts, order_totals
from .common import (
    OrderError,
    announce_status,
    lock_order,
    move_status,
    plain,
    positive,
    product_of,
    quantity_or_none,
    record_status,
    record_statuses,
    require_status,
)

Status = SalesOrder.Status


@dataclass(frozen=True)
class SaleLine:
    product: Product
    quantity: Decimal
    discount_percent: Decimal = Decimal(0)


def _check_location(actor: User, location: Location) -> None:
    if not user_may_work_at(actor, location):
        raise LocationNotAllowed(user=actor, location=location)


PRICE_FIELDS = ["unit_price", "tax_rate", "gross_amount", "discount_amount", "tax_amount"]
TOTAL_FIELDS = ["subtotal", "discount_total", "tax_total", "total"]


def _price(order: SalesOrder, lines: list[SalesOrderLine]) -> list[SalesOrderLine]:
    """Copy each product's current sale price and tax rate onto its line, compute the amounts
    (orders.pricing) and the order's totals (not saved); return the saved lines whose price
    changed (the caller writes them)."""
    amounts, changed = [], []
    for line in lines:
        before = [getattr(line, name) for name in PRICE_FIELDS]
        line.unit_price, line.tax_rate = line.product.sale_price, line.product.tax_rate
        money = line_amounts(line.quantity, line.unit_price, line.discount_percent, line.tax_rate)
        line.gross_amount, line.discount_amount, line.tax_amount = (
            money.gross, money.discount, money.tax,
        )  # fmt: skip
        amounts.append(money)
        if line.pk is not None and before != [getattr(line, name) for name in PRICE_FIELDS]:
            changed.append(line)
    totals = order_totals(amounts)
    order.subtotal, order.discount_total = totals.subtotal, totals.discount_total
    order.tax_total, order.total = totals.tax_total, totals.total
    return changed


def _reprice(order: SalesOrder, lines: list[SalesOrderLine]) -> None:
    """Price the saved lines at today's prices (_price) and write those whose price changed
    (the order's totals are the caller's to save)."""
    if changed := _price(order, lines):
        SalesOrderLine.objects.bulk_update(changed, PRICE_FIELDS)


def _new_lines(order: SalesOrder, lines: Iterable[SaleLine]) -> list[SalesOrderLine]:
    """The order's lines as given (not saved), checked: each product once, a positive quantity,
    a discount between 0 and 100%."""
    lines = list(lines)
    products = [line.product.pk for line in lines]
    if len(products) != len(set(products)):
        raise OrderError(_("Each product may appear on an order once."))
    rows = []
    for line in lines:
        discount = Decimal(line.discount_percent or 0)
        if not 0 <= discount <= 100:
            raise OrderError(_("A discount is between 0 and 100%."))
        rows.append(
            SalesOrderLine(
                order=order, product=line.product, quantity=positive(line.quantity),
                discount_percent=discount, unit_price=0,
            )
        )  # fmt: skip
    return rows


def _write_lines(order: SalesOrder, lines: Iterable[SaleLine]) -> None:
    """Replace the order's lines, priced, and save its totals."""
    rows = _new_lines(order, lines)
    order.lines.all().delete()
    _price(order, rows)
    SalesOrderLine.objects.bulk_create(rows)
    order.save(update_fields=[*TOTAL_FIELDS, "updated_at"])


def _lines(order: SalesOrder) -> list[SalesOrderLine]:
    """The order's lines with their products, in product order (the order locks are taken in)."""
    return list(order.lines.select_related("product").order_by("product_id"))


@transaction.atomic
def sales_order_create(
    *,
    actor: User,
    location: Location,
    customer: Customer | None = None,
    lines: Iterable[SaleLine] = (),
    notes: str = "",
    channel: str = SalesOrder.Channel.ORDER,
    token: uuid.UUID | None = None,
) -> SalesOrder:
    """Create a draft sales order priced at today's prices (prices are fixed on confirming)."""
    order = SalesOrder(
        number=next_number("SO"), location=location, customer=customer, notes=notes,
        channel=channel, token=token, created_by=actor,
    )  # fmt: skip
    rows = _new_lines(order, lines)
    _price(order, rows)
    order.full_clean(exclude=["number", "token"], validate_unique=False)
    order.save()
    SalesOrderLine.objects.bulk_create(rows)
    record_status(order, "", Status.DRAFT, actor)
    return order


@transaction.atomic
def sales_order_update(
    *, actor: User, order: SalesOrder, lines: Iterable[SaleLine] | None = None, **fields
) -> SalesOrder:
    """Change a draft's customer, location, notes and (if given) its lines."""
    order = lock_order(order)
    require_status(order, Status.DRAFT, action=pgettext("order action", "edited"))
    for name, value in fields.items():
        setattr(order, name, value)
    order.full_clean(validate_unique=False)
    order.save()
    if lines is not None:
        _write_lines(order, lines)
    else:
        _reprice(order, _lines(order))
        order.save(update_fields=[*TOTAL_FIELDS, "updated_at"])
    return order


@transaction.atomic
def sales_order_confirm(*, actor: User, order: SalesOrder, note: str = "") -> SalesOrder:
    """Fix prices and tax rates, reserve every line's quantity at the order's location (all or
    nothing: InsufficientStock names the first line, in product order, that cannot be
    reserved), draft → confirmed. Locks the order, then the stock levels (stock.services)."""
    order = lock_order(order, "location")
    require_status(order, Status.DRAFT, action=pgettext("order action", "confirmed"))
    _check_location(actor, order.location)
    lines = _lines(order)
    if not lines:
        raise OrderError(_("Add at least one line before confirming."))
    _reprice(order, lines)
    stock_reserve_many(
        actor=actor,
        location=order.location,
        lines=[(line.product, line.quantity) for line in lines],
    )
    return move_status(order, Status.CONFIRMED, actor, note, *TOTAL_FIELDS)


@transaction.atomic
def sales_order_fulfil(
    *,
    actor: User,
    order: SalesOrder,
    quantities: Mapping[int, Decimal] | None = None,
    note: str = "",
) -> SalesOrder:
    """Hand goods over: turn reservations into sale movements. `quantities` maps line ids to
    what goes out now (partial fulfilment); None sends everything outstanding."""
    order = lock_order(order, "location")
    require_status(
        order,
        Status.CONFIRMED,
        Status.PARTIALLY_FULFILLED,
        action=pgettext("order action", "fulfilled"),
    )
    _check_location(actor, order.location)
    lines = _lines(order)
    if quantities is None:
        wanted = {line.pk: line.outstanding for line in lines if line.outstanding}
    else:
        wanted = {pk: quantity_or_none(q) for pk, q in quantities.items()}
        wanted = {pk: q for pk, q in wanted.items() if q is not None}
    if not wanted:
        raise OrderError(_("Enter what goes out for at least one line."))
    by_id = {line.pk: line for line in lines}
    if unknown := set(wanted) - set(by_id):
        raise OrderError(_("Line %(line)s is not on this order.") % {"line": min(unknown)})
    going = [(line, wanted[line.pk]) for line in lines if line.pk in wanted]
    for line, quantity in going:
        if quantity > line.outstanding:
            raise OrderError(
                _("%(product)s: %(quantity)s to send but only %(outstanding)s outstanding.")
                % {
                    "product": line.product, "quantity": plain(quantity),
                    "outstanding": plain(line.outstanding),
                }
            )  # fmt: skip
    stock_issue_many(
        actor=actor, location=order.location, from_reserved=True, note=str(order),
        lines=[IssueLine(line.product, quantity, line) for line, quantity in going],
    )  # fmt: skip
    for line, quantity in going:
        line.fulfilled_quantity += quantity
    SalesOrderLine.objects.bulk_update([line for line, _q in going], ["fulfilled_quantity"])
    done = all(line.fulfilled_quantity >= line.quantity for line in lines)
    target = Status.FULFILLED if done else Status.PARTIALLY_FULFILLED
    return move_status(order, target, actor, note) if target != order.status else order


@transaction.atomic
def sales_order_complete(*, actor: User, order: SalesOrder, note: str = "") -> SalesOrder:
    """Close a fulfilled order (delivered and settled)."""
    order = lock_order(order)
    require_status(order, Status.FULFILLED, action=pgettext("order action", "completed"))
    return move_status(order, Status.COMPLETED, actor, note)


@transaction.atomic
def sales_order_cancel(*, actor: User, order: SalesOrder, note: str = "") -> SalesOrder:
    """Cancel a draft, or a confirmed order whose unfulfilled reservations are released (what
    was handed over already stays sold; take it back with a return)."""
    order = lock_order(order, "location")
    require_status(
        order,
        Status.DRAFT,
        Status.CONFIRMED,
        Status.PARTIALLY_FULFILLED,
        action=pgettext("order action", "cancelled"),
    )
    if order.status != Status.DRAFT:
        _check_location(actor, order.location)
        stock_release_many(
            actor=actor, location=order.location,
            lines=[(line.product, line.outstanding) for line in _lines(order) if line.outstanding],
        )  # fmt: skip
    return move_status(order, Status.CANCELLED, actor, note)


@transaction.atomic
def sales_order_return(
    *,
    actor: User,
    order: SalesOrder,
    quantities: Mapping[int, Decimal],
    reason: str,
    note: str = "",
) -> SalesReturn:
    """Take goods back from a (partly) fulfilled order: customer-return movements into the
    order's location at the cost they left with, and a SalesReturn saying why."""
    order = lock_order(order)
    require_status(
        order, Status.PARTIALLY_FULFILLED, Status.FULFILLED, Status.COMPLETED,
        action=pgettext("order action", "returned"),
    )  # fmt: skip
    if reason not in SalesReturn.Reason.values:
        raise OrderError(_("Say why the goods came back."))
    lines = {line.pk: line for line in _lines(order)}
    wanted = {pk: quantity_or_none(q) for pk, q in quantities.items()}
    wanted = {pk: q for pk, q in wanted.items() if q is not None}
    if not wanted:
        raise OrderError(_("Enter what came back for at least one line."))
    sales_return = SalesReturn.objects.create(order=order, reason=reason, note=note, user=actor)
    costs = dict(
        StockMovement.objects.filter(sales_order_line__order=order, kind=StockMovement.Kind.SALE)
        .order_by("sales_order_line_id", "pk")
        .distinct("sales_order_line_id")
        .values_list("sales_order_line_id", "unit_cost")
    )
    # In product order, as every stock service books several products: each product's total
    # (stock.StockTotal) is then locked in the same order by every transaction, never crossed.
    for pk, quantity in sorted(
        wanted.items(), key=lambda item: (product_of(lines, item[0]), item[0])
    ):
        line = lines.get(pk)
        if line is None:
            raise OrderError(_("Line %(line)s is not on this order.") % {"line": pk})
        returnable = line.fulfilled_quantity - line.returned_quantity
        if quantity > returnable:
            raise OrderError(
                _("%(product)s: %(quantity)s returned but only %(returnable)s can come back.")
                % {
                    "product": line.product, "quantity": plain(quantity),
                    "returnable": plain(returnable),
                }
            )  # fmt: skip
        stock_receive(
            actor=actor, product=line.product, location=order.location, quantity=quantity,
            unit_cost=costs.get(line.pk, line.product.cost_price),
            kind=StockMovement.Kind.CUSTOMER_RETURN, note=note or str(order),
            sales_order_line=line,
        )  # fmt: skip
        line.returned_quantity += quantity
        line.save(update_fields=["returned_quantity"])
        SalesReturnLine.objects.create(sales_return=sales_return, line=line, quantity=quantity)
    return sales_return


@transaction.atomic
def sales_order_delete(*, actor: User, order: SalesOrder) -> None:
    """Delete a draft; an order past draft is kept for its history (cancel it)."""
    order = lock_order(order)
    require_status(order, Status.DRAFT, action=pgettext("order action", "deleted"))
    order.delete()


def counter_sale(
    *,
    actor: User,
    location: Location,
    lines: Iterable[SaleLine],
    payment_method: str,
    token: uuid.UUID,
    amount_paid: Decimal | None = None,
    customer: Customer | None = None,
    notes: str = "",
) -> tuple[SalesOrder, bool]:
    """Sell at the counter: a sales order created, confirmed and fulfilled in one transaction.

    Return (the sale, True), or (the earlier sale, False) when a sale with this `token` exists
    already: a double click, a resubmitted form or a retried request sells once, even when the
    two requests run at the same time (the token is unique; the second waits for the first).
    Cash must cover the total (the change is amount paid minus total); card and transfer pay
    the total exactly.
    """
    if earlier := SalesOrder.objects.filter(token=token).first():
        return earlier, False
    try:
        with transaction.atomic():
            return _counter_sale(
                actor=actor, location=location, lines=lines, payment_method=payment_method,
                token=token, amount_paid=amount_paid, customer=customer, notes=notes,
            ), True  # fmt: skip
    except IntegrityError:
        earlier = SalesOrder.objects.filter(token=token).first()
        if earlier is None:
            raise
        return earlier, False  # the same sale, made by a request that was a moment faster


def _counter_sale(*, actor, location, lines, payment_method, token, amount_paid, customer, notes):
    """Book the sale as it ends up: one order (completed, paid), its lines (fulfilled) and
    their sale movements, with the history and events of every step it went through.

    Equivalent to create → confirm → fulfil → complete, without reserving what goes out in
    the same transaction (a reservation lives only in StockLevel.reserved, and would be given
    back before the transaction ends): the same levels are locked in the same order, the same
    availability is checked, the same ledger rows, history rows and events are written. The
    order row needs no lock: nobody else sees it before the transaction commits.
    """
    if payment_method not in SalesOrder.Payment.values:
        raise OrderError(_("Choose how the customer pays."))
    _check_location(actor, location)
    order = SalesOrder(
        number=next_number("SO"), location=location, customer=customer, notes=notes,
        channel=SalesOrder.Channel.COUNTER, token=token, created_by=actor,
        status=Status.COMPLETED, payment_method=payment_method,
    )  # fmt: skip
    rows = _new_lines(order, lines)
    if not rows:
        raise OrderError(_("Add at least one line before confirming."))
    _price(order, rows)
    if payment_method == SalesOrder.Payment.CASH:
        if amount_paid is None or Decimal(amount_paid) < order.total:
            raise OrderError(
                _("Cash received (%(paid)s) is less than the total (%(total)s).")
                % {"paid": plain(amount_paid or 0), "total": plain(order.total)}
            )
        order.amount_paid = amount_paid
    else:
        order.amount_paid = order.total
    # The location, customer and user are rows the caller loaded; the database's foreign keys
    # and CHECK constraints stand behind them and behind the totals orders.pricing computed.
    order.full_clean(
        exclude=["number", "token", "location", "customer", "created_by"],
        validate_unique=False, validate_constraints=False,
    )  # fmt: skip
    order.save()  # a second request with this token waits here, then fails: counter_sale
    for line in rows:
        line.fulfilled_quantity = line.quantity
    SalesOrderLine.objects.bulk_create(rows)
    stock_issue_many(
        actor=actor, location=location, note=str(order),
        lines=[IssueLine(line.product, line.quantity, line) for line in rows],
    )  # fmt: skip
    steps = [
        (Status.DRAFT, Status.CONFIRMED),
        (Status.CONFIRMED, Status.FULFILLED),
        (Status.FULFILLED, Status.COMPLETED),
    ]
    record_statuses(order, [("", Status.DRAFT), *steps], actor)
    announce_status(order, steps, actor)
    return order
