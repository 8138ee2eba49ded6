"""Check a sales history file line by line and say what importing it would do; write nothing.

One pass over the file (plus a quick one over the date and number columns the first time, to
settle the file's conventions, see `parsing`). Every problem is counted with its line number;
the first PROBLEMS_SHOWN are kept to show. A line is skipped, not a problem, when its product
code is excluded, when it repeats an earlier line of the file exactly (same date, document,
code, quantity, price, customer and location: "duplicate of line N"), or when an earlier import
already holds it (same fingerprint). Blank lines are ignored.
"""

import hashlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from functools import cached_property

from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _

from orders.models import Customer
from products.models import Product
from stock.models import Location

from ..models import ImportedSale
from .parsing import (
    Conventions,
    date_order_evidence,
    number_convention_evidence,
    parse_date,
    parse_number,
)

PROBLEMS_SHOWN = 1000
SKIPPED_SHOWN = 200
NEW_SHOWN = 50
CHECK_EVERY = 5000  # lines per "already imported?" query, and per progress report
QUANTITY_STEP = Decimal("0.001")
PRICE_STEP = Decimal("0.0001")
CENT = Decimal("0.01")
MAX_QUANTITY = Decimal(10) ** 11
MAX_PRICE = Decimal(10) ** 12
MAX_REVENUE = Decimal(10) ** 14
_CACHE_LIMIT = 50_000

Progress = Callable[[int], None]


@dataclass(frozen=True)
class ImportOptions:
    """What the user chose: which column holds which field, codes to skip, new products."""

    mapping: dict[str, int]  # field key -> column index
    excluded_codes: tuple[str, ...] = ()  # as the user wrote them
    create_products: bool = False

    @classmethod
    def from_dict(cls, data: dict) -> "ImportOptions":
        return cls(
            mapping={key: int(column) for key, column in data.get("mapping", {}).items()},
            excluded_codes=tuple(data.get("excluded_codes", ())),
            create_products=bool(data.get("create_products")),
        )

    def as_dict(self) -> dict:
        return {
            "mapping": self.mapping,
            "excluded_codes": list(self.excluded_codes),
            "create_products": self.create_products,
        }

    @cached_property
    def excluded_keys(self) -> frozenset[str]:
        return frozenset(code.lower() for code in self.excluded_codes)


@dataclass(slots=True)
class SaleLine:
    line: int
    day: date
    document: str
    code_key: str
    description: str
    quantity: Decimal
    price: Decimal
    customer: str  # as written (spaces collapsed); "" for none
    location_id: int | None
    fingerprint: bytes


@dataclass
class Lookups:
    """What the database holds, keyed the way file values are matched (lower case)."""

    products: dict[str, tuple[int, Decimal]]  # sku -> (pk, cost price)
    customers: dict[str, int]  # name, spaces collapsed -> pk (the oldest of namesakes)
    locations: dict[str, int]

    @classmethod
    def load(cls) -> "Lookups":
        products = {
            sku: (pk, cost)
            for sku, pk, cost in Product.objects.annotate(key=Lower("sku"))
            .values_list("key", "pk", "cost_price")
            .iterator(chunk_size=10_000)
        }
        customers: dict[str, int] = {}
        for pk, name in Customer.objects.order_by("pk").values_list("pk", "name").iterator():
            customers.setdefault(customer_key(name), pk)
        locations = {
            name.strip().lower(): pk for pk, name in Location.objects.values_list("pk", "name")
        }
        return cls(products, customers, locations)


def customer_key(name: str) -> str:
    return " ".join(name.split()).lower()


@dataclass(frozen=True)
class Problem:
    line: int
    column: str  # the file's header of the column, or "" for the whole line
    message: str

    def as_dict(self) -> dict:
        return {"line": self.line, "column": self.column, "message": self.message}


@dataclass
class ImportPlan:
    conventions: Conventions
    lookups: Lookups
    lines: int = 0  # data lines, blank ones not counted
    excluded: int = 0
    duplicates: int = 0
    # Fingerprint -> line of the first occurrence, for every line not skipped as a duplicate.
    first_line: dict[bytes, int] = field(default_factory=dict)
    already_imported: set[bytes] = field(default_factory=set)
    problems: list[Problem] = field(default_factory=list)
    problem_count: int = 0
    skipped: list[list] = field(default_factory=list)  # [line, why] of the first ones
    new_products: dict[str, tuple[str, str]] = field(default_factory=dict)  # key -> (sku, name)
    new_customers: dict[str, str] = field(default_factory=dict)  # key -> name

    @property
    def to_import(self) -> int:
        return len(self.first_line) - len(self.already_imported)

    @property
    def skipped_count(self) -> int:
        return self.excluded + self.duplicates + len(self.already_imported)

    @property
    def can_apply(self) -> bool:
        return not self.problem_count and self.to_import > 0

    def add_problem(self, problem: Problem) -> None:
        self.problem_count += 1
        if len(self.problems) < PROBLEMS_SHOWN:
            self.problems.append(problem)

    def skip(self, line: int, why: str) -> None:
        if len(self.skipped) < SKIPPED_SHOWN:
            self.skipped.append([line, why])

    def summary(self) -> dict:
        """The plan's figures as JSON for the batch: what the preview and the result show."""
        return {
            "lines": self.lines,
            "to_import": self.to_import,
            "excluded": self.excluded,
            "duplicates": self.duplicates,
            "already_imported": len(self.already_imported),
            "skipped_count": self.skipped_count,
            "skipped": self.skipped,
            "problem_count": self.problem_count,
            "new_product_count": len(self.new_products),
            "new_products": list(self.new_products.values())[:NEW_SHOWN],
            "new_customer_count": len(self.new_customers),
            "new_customers": list(self.new_customers.values())[:NEW_SHOWN],
            "month_first": self.conventions.month_first,
            "decimal_comma": self.conventions.decimal_comma,
        }


def detect_conventions(
    rows: Iterable[tuple[int, list]], options: ImportOptions, delimiter: str = ","
) -> Conventions:
    """Read the date and number columns once and settle the file's ambiguous conventions.

    Dates are day first unless some date only reads month first and none only day first.
    Numbers follow the majority of values that show their decimal separator; with none, a
    `;`-separated file writes decimal commas and any other a decimal point.
    """
    date_column = options.mapping["date"]
    number_columns = [options.mapping["quantity"], options.mapping["price"]]
    dates = {"day": 0, "month": 0}
    numbers = {"comma": 0, "point": 0}
    for _line, cells in rows:
        if date_column < len(cells) and (found := date_order_evidence(cells[date_column])):
            dates[found] += 1
        for column in number_columns:
            if column < len(cells) and (found := number_convention_evidence(cells[column])):
                numbers[found] += 1
    if numbers["comma"] == numbers["point"]:
        decimal_comma = delimiter == ";"
    else:
        decimal_comma = numbers["comma"] > numbers["point"]
    return Conventions(
        month_first=bool(dates["month"]) and not dates["day"], decimal_comma=decimal_comma
    )


def sales_history_plan(
    rows: Iterable[tuple[int, list]],
    *,
    headers: list[str],
    options: ImportOptions,
    conventions: Conventions,
    progress: Progress | None = None,
) -> ImportPlan:
    """Check every data row (header and blank rows already left out) and return the plan."""
    plan = ImportPlan(conventions, Lookups.load())
    reader = LineReader(plan, headers=headers, options=options)
    pending: list[bytes] = []
    for count, sale in enumerate(reader.read(rows), start=1):
        if sale is not None:
            pending.append(sale.fingerprint)
            if len(pending) == CHECK_EVERY:
                _mark_already_imported(plan, pending)
        if progress and count % CHECK_EVERY == 0:
            progress(count)
    _mark_already_imported(plan, pending)
    return plan


def _mark_already_imported(plan: ImportPlan, fingerprints: list[bytes]) -> None:
    if not fingerprints:
        return
    found = ImportedSale.objects.filter(fingerprint__in=[f.hex() for f in fingerprints])
    plan.already_imported.update(
        bytes.fromhex(fingerprint) for fingerprint in found.values_list("fingerprint", flat=True)
    )
    fingerprints.clear()


class LineReader:
    """Turn rows into sales lines for a plan; record its problems, skips and new records.

    Yields every row's sale (None for a row that is a problem or skipped), so the planner and
    the applier read a file the same way.
    """

    def __init__(self, plan: ImportPlan, *, headers: list[str], options: ImportOptions):
        self.plan = plan
        self.options = options
        self.columns = options.mapping
        self.headers = {
            key: (headers[column] if column < len(headers) else "") or f"#{column + 1}"
            for key, column in options.mapping.items()
        }
        self.today = timezone.localdate()
        self._dates: dict[object, date | None] = {}
        self._numbers: dict[object, Decimal | None] = {}

    def read(self, rows: Iterable[tuple[int, list]]) -> Iterator[SaleLine | None]:
        for line, cells in rows:
            self.plan.lines += 1
            sale = self._sale(line, cells)
            if sale is not None:
                first = self.plan.first_line.setdefault(sale.fingerprint, line)
                if first != line:
                    self.plan.duplicates += 1
                    self.plan.skip(line, _("duplicate of line %(line)s") % {"line": first})
                    sale = None
            yield sale

    def _cell(self, cells: list, key: str):
        column = self.columns.get(key)
        if column is None or column >= len(cells):
            return None
        value = cells[column]
        return value.strip() if isinstance(value, str) else value

    def _problem(self, line: int, key: str, message: str) -> None:
        self.plan.add_problem(Problem(line, self.headers.get(key, ""), message))

    def _sale(self, line: int, cells: list) -> SaleLine | None:
        plan = self.plan
        problems = plan.problem_count
        code = _text(self._cell(cells, "code"))
        code_key = code.lower()
        if not code:
            self._problem(line, "code", _("The product code is missing."))
        elif code_key in self.options.excluded_keys:
            plan.excluded += 1
            plan.skip(line, _("code %(code)s is excluded") % {"code": code})
            return None
        elif len(code) > 64:
            self._problem(line, "code", _("The product code is longer than 64 characters."))
        elif code_key not in plan.lookups.products:
            if self.options.create_products:
                name = _text(self._cell(cells, "description"))[:200] or code
                plan.new_products.setdefault(code_key, (code, name))
            else:
                self._problem(line, "code", _("Unknown product code “%(code)s”.") % {"code": code})

        day = self._date(line, self._cell(cells, "date"))
        quantity = self._number(line, cells, "quantity", QUANTITY_STEP, MAX_QUANTITY)
        if quantity is not None and not quantity:
            self._problem(line, "quantity", _("The quantity is 0."))
        price = self._number(line, cells, "price", PRICE_STEP, MAX_PRICE)
        if price is not None and price < 0:
            self._problem(
                line, "price", _("The price is negative (write a return as a negative quantity).")
            )
        if quantity is not None and price is not None and abs(quantity * price) >= MAX_REVENUE:
            self._problem(line, "price", _("Quantity times price is too large."))

        document = _text(self._cell(cells, "document"))
        if len(document) > 64:
            self._problem(line, "document", _("The document number is longer than 64 characters."))
        customer = " ".join(_text(self._cell(cells, "customer")).split())
        if len(customer) > 200:
            self._problem(line, "customer", _("The customer name is longer than 200 characters."))
        location_id = None
        if location := _text(self._cell(cells, "location")):
            location_id = plan.lookups.locations.get(location.lower())
            if location_id is None:
                self._problem(
                    line, "location", _("Unknown location “%(name)s”.") % {"name": location}
                )
        if plan.problem_count > problems:
            return None

        customer_lower = customer.lower()
        if customer and customer_lower not in plan.lookups.customers:
            plan.new_customers.setdefault(customer_lower, customer)
        key = (day.isoformat(), document, code_key, str(quantity), str(price), customer_lower)
        fingerprint = hashlib.sha256("|".join((*key, location.lower())).encode()).digest()
        description = _text(self._cell(cells, "description"))[:255]
        return SaleLine(
            line=line,
            day=day,
            document=document,
            code_key=code_key,
            description=description,
            quantity=quantity,
            price=price,
            customer=customer,
            location_id=location_id,
            fingerprint=fingerprint,
        )

    def _date(self, line: int, value) -> date | None:
        if value is None or value == "":
            self._problem(line, "date", _("The date is missing."))
            return None
        try:
            day = self._dates[value]
        except KeyError:
            try:
                day = parse_date(value, month_first=self.plan.conventions.month_first)
            except (ValueError, OverflowError):
                day = None
            if len(self._dates) > _CACHE_LIMIT:
                self._dates.clear()
            self._dates[value] = day
        if day is None:
            self._problem(line, "date", _("“%(value)s” is not a date.") % {"value": value})
        elif day > self.today:
            self._problem(line, "date", _("The date %(date)s is in the future.") % {"date": day})
        elif day.year < 1900:
            self._problem(line, "date", _("The date %(date)s is too long ago.") % {"date": day})
            day = None
        return day

    def _number(
        self, line: int, cells: list, key: str, step: Decimal, limit: Decimal
    ) -> Decimal | None:
        value = self._cell(cells, key)
        if value is None or value == "":
            if key == "quantity":
                self._problem(line, key, _("The quantity is missing."))
            else:
                self._problem(line, key, _("The price is missing."))
            return None
        try:
            number = self._numbers[value]
        except KeyError:
            try:
                number = parse_number(value, decimal_comma=self.plan.conventions.decimal_comma)
                number = number.quantize(step, rounding=ROUND_HALF_UP)
                if abs(number) >= limit:
                    number = None
            except (ValueError, ArithmeticError):
                number = None
            if len(self._numbers) > _CACHE_LIMIT:
                self._numbers.clear()
            self._numbers[value] = number
        if number is None:
            if key == "quantity":
                message = _("“%(value)s” is not a valid quantity.")
            else:
                message = _("“%(value)s” is not a valid price.")
            self._problem(line, key, message % {"value": value})
        return number


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # a numeric code read from a spreadsheet: 1001.0 -> "1001"
    return str(value).strip()


def revenue(quantity: Decimal, price: Decimal) -> Decimal:
    """Quantity times unit price, rounded half up to cents."""
    return (quantity * price).quantize(CENT, rounding=ROUND_HALF_UP)
