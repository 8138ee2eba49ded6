"""Numbers as people read them: money with the currency, quantities without noise."""

from decimal import Decimal, InvalidOperation

from django import template
from django.conf import settings
from django.utils.formats import number_format

register = template.Library()


@register.filter
def money(value, places: int = 2) -> str:
    """Format a Decimal amount with grouping, `places` decimals and the currency code."""
    if value in (None, ""):
        return "—"
    try:
        amount = Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        return str(value)
    shown = number_format(amount, decimal_pos=int(places), use_l10n=True, force_grouping=True)
    return f"{settings.CURRENCY} {shown}"


@register.filter
def amount(value, places: int = 2) -> str:
    """Like `money` without the currency code: for columns whose heading names the currency."""
    shown = money(value, places)
    prefix = f"{settings.CURRENCY} "
    return shown[len(prefix) :] if shown.startswith(prefix) else shown


@register.filter
def qty(value) -> str:
    """Format a quantity without trailing zeros: 12.500 -> 12.5, 3.000 -> 3."""
    if value in (None, ""):
        return "—"
    try:
        amount = Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        return str(value)
    normal = amount.normalize()
    places = max(0, -normal.as_tuple().exponent)
    return number_format(amount, decimal_pos=places, use_l10n=True, force_grouping=True)
