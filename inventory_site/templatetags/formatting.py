"""Numbers as people read them: money with the currency, quantities without noise."""

from decimal import Decimal, InvalidOperation

from django import template
from django.conf import settings
from django.utils.formats import get_format, number_format
from django.utils.translation import get_language

register = template.Library()

_SEPARATORS: dict[str | None, tuple[str, str, object]] = {}


def _separators() -> tuple[str, str, object]:
    """(decimal separator, thousand separator, grouping) of the active language."""
    language = get_language()
    found = _SEPARATORS.get(language)
    if found is None:
        found = _SEPARATORS[language] = (
            get_format("DECIMAL_SEPARATOR"),
            get_format("THOUSAND_SEPARATOR"),
            get_format("NUMBER_GROUPING"),
        )
    return found


def grouped(number: Decimal | int, places: int) -> str:
    """`number_format(number, decimal_pos=places, use_l10n=True, force_grouping=True)`, the
    same text (decimals cut, not rounded; below the last place shown is 0) at a fraction of
    its cost: a report page formats thousands of cells. Languages that group other than in
    threes, and numbers of more than 200 digits, go to Django's own."""
    decimal_sep, thousand_sep, grouping = _separators()
    if grouping != 3 or isinstance(number, float):
        return number_format(number, decimal_pos=places, use_l10n=True, force_grouping=True)
    if isinstance(number, int):
        number = Decimal(number)
    _sign, digits, exponent = number.as_tuple()
    if not isinstance(exponent, int) or abs(exponent) + len(digits) > 200:
        return number_format(number, decimal_pos=places, use_l10n=True, force_grouping=True)
    if abs(number) < _cutoff(places):
        number = Decimal(0)
    text = f"{number:f}"
    sign = ""
    if text[0] == "-":
        sign, text = "-", text[1:]
    whole, _dot, fraction = text.partition(".")
    fraction = (fraction[:places] + "0" * places)[:places]
    whole = f"{int(whole):,}"
    if thousand_sep != ",":
        whole = whole.replace(",", thousand_sep)
    return sign + whole + (decimal_sep + fraction if places else "")


_CUTOFFS: dict[int, Decimal] = {}


def _cutoff(places: int) -> Decimal:
    """Below this a number shows as 0 (Django's rule, 0.1 for no decimals too)."""
    found = _CUTOFFS.get(places)
    if found is None:
        found = _CUTOFFS[places] = Decimal("0." + "1".rjust(places, "0"))
    return found


@register.filter
def money(value, places: int = 2) -> str:
    """Format a Decimal amount with grouping, `places` decimals and the currency code."""
    if value in (None, ""):
        return "—"
    try:
        amount = Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        return str(value)
    return f"{settings.CURRENCY} {grouped(amount, int(places))}"


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
    if not amount.is_finite():
        return str(amount)
    normal = amount.normalize()
    places = max(0, -normal.as_tuple().exponent)
    return grouped(amount, places)
