"""Dates and numbers as sales exports write them.

Dates: ISO `2025-03-31` and `2025/03/31`, day-first `31/03/2025`, `31-03-2025`, `31.03.2025`
(two-digit years are 20xx), `31 Mar 2025` with English or Indonesian month names, spreadsheet
date cells and Excel serial numbers; a time after the date is ignored. Whether `03/04/2025` is
the 3rd of April or the 4th of March is decided once per file (`detect_conventions`): day first,
unless some date of the file only makes sense month first (`04/13/2025`) and none only day first.

Numbers: `1.234,50` and `1,234.50` (the last separator of both is the decimal one), `12,5`,
`Rp 15.000`, `(3)` and `3-` for negative. A lone separator followed by exactly three digits
(`1.234`, `1,234`) is the only ambiguous case; the file's convention decides it.
"""

import math
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january", "januari"),
            ("feb", "february", "februari", "pebruari"),
            ("mar", "march", "maret"),
            ("apr", "april"),
            ("may", "mei"),
            ("jun", "june", "juni"),
            ("jul", "july", "juli"),
            ("aug", "august", "agu", "agt", "agustus"),
            ("sep", "sept", "september"),
            ("oct", "october", "okt", "oktober"),
            ("nov", "november", "nop", "nopember"),
            ("dec", "december", "des", "desember"),
        ),
        start=1,
    )
    for name in names
}
_TIME = r"(?:[t ,].*)?"  # text is lower-cased first
_YEAR_FIRST = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})" + _TIME)
_NUMERIC = re.compile(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4}|\d{2})" + _TIME)
_MONTH_NAME = re.compile(r"(\d{1,2})[-/. ]+([a-z]{3,9})\.?[-/., ]+(\d{4}|\d{2})" + _TIME)
# Excel serial day numbers of 1955 to 2119: a plain number outside is not taken for a date.
_EXCEL_SERIALS = range(20_000, 80_000)
_EXCEL_EPOCH = date(1899, 12, 30)


@dataclass(frozen=True)
class Conventions:
    """How one file writes what is ambiguous: d/m or m/d dates, and `1.234` or `1,234`."""

    month_first: bool = False
    decimal_comma: bool = False


def parse_date(value, *, month_first: bool = False) -> date:
    """Return the date `value` stands for; raise ValueError if it is none."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        if not math.isfinite(value) or int(value) not in _EXCEL_SERIALS:
            raise ValueError(value)
        return _EXCEL_EPOCH + timedelta(days=int(value))
    text = str(value).strip().lower()
    if match := _YEAR_FIRST.fullmatch(text):
        year, month, day = (int(part) for part in match.groups())
    elif match := _NUMERIC.fullmatch(text):
        first, second, year = (int(part) for part in match.groups())
        day, month = (second, first) if month_first else (first, second)
        year = _full_year(year, match.group(3))
    elif (match := _MONTH_NAME.fullmatch(text)) and match.group(2) in MONTHS:
        day, month = int(match.group(1)), MONTHS[match.group(2)]
        year = _full_year(int(match.group(3)), match.group(3))
    elif text.isdigit() and int(text) in _EXCEL_SERIALS:
        return _EXCEL_EPOCH + timedelta(days=int(text))
    else:
        raise ValueError(value)
    return date(year, month, day)  # raises ValueError for the 31st of April and the like


def _full_year(year: int, written: str) -> int:
    return 2000 + year if len(written) == 2 else year


def date_order_evidence(value) -> str | None:
    """Say what a date string proves about its file: "day" (31/03), "month" (03/31) or None."""
    if not isinstance(value, str) or not (match := _NUMERIC.fullmatch(value.strip().lower())):
        return None
    first, second = int(match.group(1)), int(match.group(2))
    if first > 12 >= second:
        return "day"
    if second > 12 >= first:
        return "month"
    return None


_CURRENCY = re.compile(r"^(?:rp\.?|idr|usd|eur|sgd|\$|€|£)|(?:rp|idr|usd|eur|sgd|\$|€|£)$")
_SPACES = re.compile(r"[\s'\u00a0\u202f]")
_DIGITS_AND_SEPARATORS = re.compile(r"[\d.,]*\d[\d.,]*")


def parse_number(value, *, decimal_comma: bool = False) -> Decimal:
    """Return the number `value` stands for; raise ValueError if it is none.

    `decimal_comma` only settles a lone separator before exactly three digits (`1.234`).
    """
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, int | Decimal):
        return Decimal(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(value)
        return Decimal(repr(value))
    text = _SPACES.sub("", str(value).lower()).replace("\u2212", "-")
    negative = False
    if text.startswith("(") and text.endswith(")"):
        negative, text = True, text[1:-1]
    if text.endswith("-"):
        negative, text = True, text[:-1]
    if text.startswith(("-", "+")):
        negative, text = negative or text.startswith("-"), text[1:]
    text = _CURRENCY.sub("", text)
    if not _DIGITS_AND_SEPARATORS.fullmatch(text):
        raise ValueError(value)
    number = Decimal(_plain(text, decimal_comma, value))
    return -number if negative else number


def _plain(text: str, decimal_comma: bool, original) -> str:
    """'1.234,5' -> '1234.5': drop the thousands separators, make the decimal one a point."""
    commas, points = text.count(","), text.count(".")
    if commas and points:
        decimal = "," if text.rfind(",") > text.rfind(".") else "."
    elif commas > 1 or points > 1:
        decimal = "." if commas else ","  # a repeated separator groups thousands
    elif commas or points:
        separator = "," if commas else "."
        whole, _sep, fraction = text.partition(separator)
        if len(fraction) != 3 or not whole or (whole.startswith("0") and len(whole) == 1):
            decimal = separator  # 12,5 or 0.500 or ,5: cannot be a thousands separator
        else:
            decimal = "," if decimal_comma else "."
    else:
        return text
    thousands = "." if decimal == "," else ","
    whole, _sep, fraction = text.partition(decimal)
    if decimal in fraction or thousands in fraction:
        raise ValueError(original)
    if thousands in whole and not re.fullmatch(rf"\d{{1,3}}(?:\{thousands}\d{{3}})+", whole):
        raise ValueError(original)
    return f"{whole.replace(thousands, '') or '0'}.{fraction or '0'}"


def number_convention_evidence(value) -> str | None:
    """Say what a number string proves about its file: "comma" (decimal), "point" or None."""
    if not isinstance(value, str):
        return None
    text = _SPACES.sub("", value)
    commas, points = text.count(","), text.count(".")
    if commas and points:
        return "comma" if text.rfind(",") > text.rfind(".") else "point"
    if commas > 1:
        return "point"
    if points > 1:
        return "comma"
    if commas or points:
        separator = "," if commas else "."
        whole, _sep, fraction = text.partition(separator)
        digits = re.sub(r"\D", "", fraction)
        if len(digits) != 3 or not re.search(r"\d", whole):
            return "comma" if commas else "point"
    return None
