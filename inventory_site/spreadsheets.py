"""Read CSV and XLSX files as people make them, for imports.

Tolerates a BOM, `;` or `,` separators, header names in any capitalisation or spacing, blank
lines, thousands separators and decimal commas. Every row keeps its line number in the file so
that errors can point at it.
"""

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _
from openpyxl import load_workbook


class UnreadableFileError(Exception):
    """The file is not a CSV or XLSX we can read; the message says why."""


@dataclass(frozen=True)
class SheetRow:
    line: int  # 1-based line (CSV) or row (XLSX) number in the file
    values: dict[str, object]  # normalised header -> cell value (str, or a number from XLSX)


@dataclass(frozen=True)
class Sheet:
    headers: list[str]  # normalised
    rows: list[SheetRow]
    decimal_comma: bool | None  # how text numbers are written; None: unknown (XLSX)


def normalise_header(name: object) -> str:
    """'  Sale Price ' -> 'sale_price'; 'Min. order-qty' -> 'min_order_qty'."""
    return re.sub(r"[^0-9a-z]+", "_", str(name or "").strip().lower()).strip("_")


def read_sheet(filename: str, content: bytes) -> Sheet:
    """Read an uploaded .csv or .xlsx into rows keyed by normalised header."""
    if filename.lower().endswith(".xlsx"):
        return _read_xlsx(content)
    if filename.lower().endswith((".csv", ".txt")):
        return _read_csv(content)
    raise UnreadableFileError(_("Upload a .csv or .xlsx file."))


def _decode(content: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    return content.decode("latin-1")


def _read_csv(content: bytes) -> Sheet:
    text = _decode(content)
    first_line = text.split("\n", 1)[0]
    delimiter = max(";,\t", key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    return _sheet(enumerate(reader, start=1), decimal_comma=delimiter == ";")


def _read_xlsx(content: bytes) -> Sheet:
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a file that is not XLSX
        raise UnreadableFileError(_("This is not a readable .xlsx file.")) from error
    try:
        rows = workbook.worksheets[0].iter_rows(values_only=True)
        return _sheet(enumerate(rows, start=1), decimal_comma=None)
    finally:
        workbook.close()


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _sheet(numbered_rows: Iterator[tuple[int, list]], decimal_comma: bool | None) -> Sheet:
    headers: list[str] | None = None
    rows: list[SheetRow] = []
    for line, cells in numbered_rows:
        if all(_blank(c) for c in cells):
            continue
        if headers is None:
            headers = [normalise_header(c) for c in cells]
            continue
        values = {
            name: (cell.strip() if isinstance(cell, str) else cell)
            for name, cell in zip(headers, cells, strict=False)
            if name
        }
        rows.append(SheetRow(line, values))
    if headers is None:
        raise UnreadableFileError(_("The file is empty."))
    return Sheet(headers, rows, decimal_comma)


_THOUSANDS_COMMA = re.compile(r"^-?\d{1,3}(,\d{3})+(\.\d+)?$")
_THOUSANDS_DOT = re.compile(r"^-?\d{1,3}(\.\d{3})+(,\d+)?$")


def parse_decimal(value, decimal_comma: bool | None) -> Decimal:
    """Parse '1.234,5', '1,234.5', '12,5', 'Rp 15.000' or a spreadsheet number into a Decimal.

    `decimal_comma` says how the file writes numbers (a `;`-separated CSV uses a decimal comma,
    a `,`-separated one a decimal point); None means guess from the text itself.
    Raise ValueError for anything that is not a number.
    """
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, int | Decimal):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value))
    text = re.sub(r"[^\d.,\-]", "", str(value))
    if not re.search(r"\d", text):
        raise ValueError(value)
    if decimal_comma is None:
        if "," in text and "." in text:
            decimal_comma = text.rfind(",") > text.rfind(".")
        elif "," in text:
            decimal_comma = not _THOUSANDS_COMMA.match(text)
        else:
            decimal_comma = bool(_THOUSANDS_DOT.match(text)) and text.count(".") > 1
    text = text.replace(".", "").replace(",", ".") if decimal_comma else text.replace(",", "")
    try:
        return Decimal(text)
    except InvalidOperation as error:
        raise ValueError(value) from error


TRUE_WORDS = {"1", "yes", "y", "true", "ya", "aktif", "active", "x"}
FALSE_WORDS = {"0", "no", "n", "false", "tidak", "nonaktif", "inactive"}


def parse_bool(value) -> bool:
    """Parse yes/no, true/false, 1/0 (and the Indonesian ya/tidak); raise ValueError otherwise."""
    if isinstance(value, bool):
        return value
    word = str(value).strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ValueError(value)
