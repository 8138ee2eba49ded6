"""What the order services share: their error, quantity checks and the status history."""

from collections.abc import Sequence
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from accounts.models import User
from integrations.events import order_statuses_changed
from stock.services import StockError

from ..models import OrderStatusChange, PurchaseOrder


class OrderError(StockError):
    """An order action that cannot be done; `message` says why, for a person."""


def plain(value) -> str:
    """12.500 -> "12.5"."""
    return format(Decimal(value).normalize(), "f")


def quantity_or_none(value) -> Decimal | None:
    """A quantity as entered: None for blank or zero; OrderError if it is not a number."""
    if value is None or value == "":
        return None
    try:
        quantity = Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        raise OrderError(_("%(value)s is not a quantity.") % {"value": value}) from None
    if not quantity.is_finite() or quantity < 0:
        raise OrderError(_("A quantity cannot be negative."))
    return quantity or None


def positive(value) -> Decimal:
    quantity = quantity_or_none(value)
    if quantity is None:
        raise OrderError(_("The quantity must be above zero."))
    return quantity


def product_of(lines: dict, pk) -> int:
    """The product id of line `pk` of `lines` (by primary key), 0 for a line not there."""
    line = lines.get(pk)
    return line.product_id if line is not None else 0


def record_status(order, old: str, new: str, actor: User, note: str = "") -> OrderStatusChange:
    """Write the history row of a status change (in the caller's transaction)."""
    return record_statuses(order, [(old, new)], actor, note)[0]


def record_statuses(
    order, steps: Sequence[tuple[str, str]], actor: User, note: str = ""
) -> list[OrderStatusChange]:
    """Write the history rows of several status changes, each (old, new), in one statement."""
    which = "purchase_order" if isinstance(order, PurchaseOrder) else "sales_order"
    return OrderStatusChange.objects.bulk_create(
        [
            OrderStatusChange(
                **{which: order}, from_status=old, to_status=new, user=actor, note=note[:500]
            )
            for old, new in steps
        ]
    )


def lock_order(order, *related: str):
    """Lock the order's row (a second click waits here, then sees the new status); `related`
    foreign keys come along, read but not locked."""
    queryset = type(order).objects.select_for_update(of=("self",))
    if related:
        queryset = queryset.select_related(*related)
    return queryset.get(pk=order.pk)


def require_status(order, *statuses: str, action: str) -> None:
    """Refuse `action` unless the order is in one of `statuses`."""
    if order.status not in statuses:
        raise OrderError(
            _("%(number)s is %(status)s: it cannot be %(action)s.")
            % {"number": order.number, "status": order.get_status_display(), "action": action}
        )


def move_status(order, status: str, actor: User, note: str = "", *fields: str):
    """Set the order's status (and save `fields` with it) and record the change."""
    old = order.status
    order.status = status
    order.save(update_fields=["status", "updated_at", *fields])
    record_status(order, old, status, actor, note)
    announce_status(order, [(old, status)], actor)
    return order


def announce_status(order, steps: Sequence[tuple[str, str]], actor: User) -> None:
    """Tell webhooks about the order's status changes, each (old, new), and have its document
    drawn after commit (once per transaction)."""
    order_statuses_changed(order, steps, actor=actor)
    from ..tasks import document_prepare_later

    document_prepare_later(order)
