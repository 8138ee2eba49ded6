"""What the order services share: their error, quantity checks and the status history."""

from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from accounts.models import User
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


def record_status(order, old: str, new: str, actor: User, note: str = "") -> OrderStatusChange:
    """Write the history row of a status change (in the caller's transaction)."""
    which = "purchase_order" if isinstance(order, PurchaseOrder) else "sales_order"
    return OrderStatusChange.objects.create(
        **{which: order}, from_status=old, to_status=new, user=actor, note=note[:500]
    )
