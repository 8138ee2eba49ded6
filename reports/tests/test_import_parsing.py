from datetime import date, datetime
from decimal import Decimal

import pytest

from reports.importing.columns import guess_mapping
from reports.importing.parsing import parse_date, parse_number
from reports.importing.planning import ImportOptions, detect_conventions


@pytest.mark.parametrize(
    "text",
    [
        "2025-03-31",
        "2025/03/31",
        "31/03/2025",
        "31-03-2025",
        "31.03.2025",
        "31/3/25",
        "2025-03-31 14:22:05",
        "2025-03-31T14:22",
        "31/03/2025 09:15",
        "31 Mar 2025",
        "31-Mar-2025",
        "31 Maret 2025",
        datetime(2025, 3, 31, 10, 30),  # noqa: DTZ001 - spreadsheet dates are naive
        date(2025, 3, 31),
        45747,  # the Excel serial number of 2025-03-31
    ],
)
def test_date_formats_are_read(text):
    assert parse_date(text) == date(2025, 3, 31)


def test_an_ambiguous_date_is_day_first_unless_the_file_is_month_first():
    assert parse_date("03/04/2025") == date(2025, 4, 3)
    assert parse_date("03/04/2025", month_first=True) == date(2025, 3, 4)


@pytest.mark.parametrize("text", ["31/02/2025", "2025-13-01", "yesterday", "12", "1.5", ""])
def test_what_is_not_a_date_is_refused(text):
    with pytest.raises(ValueError, match=r".*"):
        parse_date(text)


@pytest.mark.parametrize(
    ("text", "decimal_comma", "expected"),
    [
        ("1.234,50", False, "1234.50"),
        ("1,234.50", True, "1234.50"),
        ("1.234.567", False, "1234567"),
        ("1,234,567", True, "1234567"),
        ("12,5", False, "12.5"),
        ("12.5", True, "12.5"),
        ("0,500", False, "0.500"),
        ("1.234", True, "1234"),
        ("1.234", False, "1.234"),
        ("1,234", False, "1234"),
        ("Rp 15.000", True, "15000"),
        ("Rp15.000,00", False, "15000.00"),
        ("-2", False, "-2"),
        ("(3)", False, "-3"),
        ("3-", False, "-3"),
        ("\u22124", False, "-4"),
        ("1 234,50", False, "1234.50"),
        ("0", False, "0"),
        (7, False, "7"),
        (2.5, False, "2.5"),
    ],
)
def test_numbers_in_either_convention(text, decimal_comma, expected):
    assert parse_number(text, decimal_comma=decimal_comma) == Decimal(expected)


@pytest.mark.parametrize("text", ["abc", "1.2.3,4.5", "12,34,5", "1,23.4", "--", "", True])
def test_what_is_not_a_number_is_refused(text):
    with pytest.raises(ValueError, match=r".*"):
        parse_number(text)


def _rows(*values):
    return [(line, list(cells)) for line, cells in enumerate(values, start=2)]


OPTIONS = ImportOptions({"date": 0, "quantity": 1, "price": 2})


def test_a_file_whose_dates_only_read_month_first_is_month_first():
    rows = _rows(("03/04/2025", "1", "5"), ("12/31/2025", "1", "5"))
    assert detect_conventions(rows, OPTIONS).month_first


def test_a_file_with_any_date_only_read_day_first_is_day_first():
    rows = _rows(("12/31/2025", "1", "5"), ("31/12/2025", "1", "5"))
    assert not detect_conventions(rows, OPTIONS).month_first


def test_the_number_convention_follows_the_values_that_show_it():
    assert detect_conventions(_rows(("", "1", "1.234,50")), OPTIONS).decimal_comma
    assert not detect_conventions(_rows(("", "1", "1,234.50")), OPTIONS).decimal_comma
    assert detect_conventions(_rows(("", "1", "15.000")), OPTIONS, delimiter=";").decimal_comma


def test_columns_are_guessed_from_english_and_indonesian_headers():
    headers = ["Tanggal", "No Faktur", "Kode", "Nama Barang", "Qty", "Harga", "Pelanggan", "Lokasi"]
    assert guess_mapping(headers) == {
        "date": 0,
        "document": 1,
        "code": 2,
        "description": 3,
        "quantity": 4,
        "price": 5,
        "customer": 6,
        "location": 7,
    }
    english = ["Invoice Date", "Invoice No", "SKU", "Description", "Quantity", "Unit Price"]
    assert guess_mapping(english) == {
        "date": 0,
        "document": 1,
        "code": 2,
        "description": 3,
        "quantity": 4,
        "price": 5,
    }
