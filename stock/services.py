"""The only code that writes StockLevel: every change is one ledger row plus the level change,
in one transaction.

Locks: product rows (by pk) before stock levels (by product, then location), in that fixed
order in every function, so two transactions never wait for each other in a cycle; the levels
of one call are locked in one statement. Where stock arrives, missing level rows are inserted
first, in the same order, before any lock is taken (where it leaves or is reserved, a missing
level has nothing to give). Checks against available stock happen on the locked rows; the
database CHECK constraints are the last line.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation

from django.db import connection, transaction
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from integrations.events import stock_levels_changed
from products.models import Product

from .alerts import low_stock_watch
from .models import Location, LocationMinimum, StockLevel, StockMovement

Kind = StockMovement.Kind
COST_PLACES = Decimal("0.0001")


class StockError(Exception):
    """A stock action that cannot be done; `message` says why, for a person."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class InsufficientStock(StockError):  # noqa: N818 - the domain's own word
    """Less is available than asked for."""

    def __init__(self, *, product: Product, location: Location, requested, available):
        self.product, self.location = product, location
        self.requested, self.available = requested, available
        message = _(
            "Not enough %(product)s at %(location)s: %(requested)s asked, %(available)s available."
        )
        values = {"requested": _plain(requested), "available": _plain(available)}
        super().__init__(message % {"product": product, "location": location, **values})


class LocationNotAllowed(StockError):  # noqa: N818
    def __init__(self, *, user: User, location: Location):
        self.user, self.location = user, location
        super().__init__(_("You may not move stock at %(location)s.") % {"location": location})


def _plain(value: Decimal) -> str:
    """12.500 -> "12.5": quantities in messages as people write them."""
    return format(Decimal(value).normalize(), "f")


def _positive(quantity) -> Decimal:
    try:
        value = Decimal(quantity)
    except (InvalidOperation, TypeError, ValueError):
        raise StockError(_("%(value)s is not a quantity.") % {"value": quantity}) from None
    if not value.is_finite() or value <= 0:
        raise StockError(_("The quantity must be above zero."))
    return value


def user_may_work_at(user: User, location: Location) -> bool:
    """Managers and admins work anywhere; staff assigned to locations only there."""
    if user.has_perm("stock.work_any_location"):
        return True
    assigned = set(user.locations.values_list("pk", flat=True))
    return not assigned or location.pk in assigned


def _check_location(user: User, *locations: Location) -> None:
    for location in locations:
        if location is not None and not user_may_work_at(user, location):
            raise LocationNotAllowed(user=user, location=location)


def _lock_levels(
    keys: Iterable[tuple[int, int]], *, create: bool = True
) -> dict[tuple[int, int], StockLevel]:
    """Create missing (product, location) levels, then lock them all in a fixed order.

    Each level comes with its product as the database holds it (not locked): movements take
    the moving-average cost of their moment from there, not from the caller's copy, which may
    predate a receipt. Without `create` (taking stock out or reserving it, which a missing
    level can never allow) missing levels are left out of the answer instead.
    """
    keys = sorted(set(keys))
    if create:
        StockLevel.objects.bulk_create(
            [StockLevel(product_id=p, location_id=loc) for p, loc in keys], ignore_conflicts=True
        )
    locations = {location_id for _product_id, location_id in keys}
    if len(locations) == 1:  # the usual case: one index range instead of an OR per product
        wanted = Q(location_id=next(iter(locations)), product_id__in=[p for p, _loc in keys])
    else:
        wanted = Q()
        for product_id, location_id in keys:
            wanted |= Q(product_id=product_id, location_id=location_id)
    rows = (
        StockLevel.objects.select_for_update(of=("self",))
        .select_related("product")
        .filter(wanted)
        .order_by("product_id", "location_id")
    )
    return {(row.product_id, row.location_id): row for row in rows}


def _save(level: StockLevel) -> None:
    level.save(update_fields=["on_hand", "reserved", "updated_at"])


def _save_all(levels: list[StockLevel]) -> None:
    """Write several locked levels back in one statement: constant text, the values as arrays
    (bulk_update builds a CASE per field and row, and cost a counter sale more Python than
    its whole write)."""
    if len(levels) == 1:
        _save(levels[0])
        return
    now = timezone.now()  # as auto_now would
    for level in levels:
        level.updated_at = now
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE stock_stocklevel l"
            " SET on_hand = v.on_hand, reserved = v.reserved, updated_at = %s"
            " FROM unnest(%s::bigint[], %s::numeric[], %s::numeric[]) AS v(id, on_hand, reserved)"
            " WHERE l.id = v.id",
            [
                now,
                [level.pk for level in levels],
                [level.on_hand for level in levels],
                [level.reserved for level in levels],
            ],
        )


def _take(level: StockLevel, product: Product, location: Location, quantity: Decimal) -> None:
    if level.on_hand - level.reserved < quantity:
        raise InsufficientStock(
            product=product, location=location, requested=quantity, available=level.available
        )
    level.on_hand -= quantity
    _save(level)


def _record(*, occurred_at: datetime | None, **fields) -> StockMovement:
    """Write one ledger row. `occurred_at` back-dates it (history loaded from elsewhere, demo
    data); otherwise the database stamps the time of the transaction. Every caller passes
    `average_cost`, the product's moving-average cost once the movement is booked."""
    return _record_all([StockMovement(**fields)], occurred_at)[0]


def _record_all(
    movements: list[StockMovement], occurred_at: datetime | None
) -> list[StockMovement]:
    """Write several ledger rows (as _record) in one statement, in the order given."""
    if occurred_at is not None:
        if timezone.is_naive(occurred_at) or occurred_at > timezone.now():
            raise StockError(_("A movement's time must be a past, timezone-aware time."))
        for movement in movements:
            movement.created_at = occurred_at
    return StockMovement.objects.bulk_create(movements)


@transaction.atomic
def stock_receive(
    *,
    actor: User,
    product: Product,
    location: Location,
    quantity,
    unit_cost,
    kind: str = Kind.RECEIPT,
    note: str = "",
    occurred_at: datetime | None = None,
    purchase_order_line=None,
    sales_order_line=None,
) -> StockMovement:
    """Book goods in at `location` and update the product's moving-average unit cost.

    `kind` is RECEIPT (from a supplier) or CUSTOMER_RETURN (cost unchanged). Locks the product
    row, then the level. The order line that caused it, if any, is linked to the movement.
    """
    if kind not in (Kind.RECEIPT, Kind.CUSTOMER_RETURN):
        raise ValueError(f"stock_receive cannot book a {kind}")
    _check_location(actor, location)
    quantity = _positive(quantity)
    unit_cost = Decimal(unit_cost)
    if unit_cost < 0:
        raise StockError(_("The unit cost cannot be negative."))
    # NO KEY: the ledger's and levels' foreign-key checks of other transactions (KEY SHARE, at
    # their commit) must not wait for it while they hold the product's StockTotal row.
    product = Product.objects.select_for_update(no_key=True).get(pk=product.pk)
    level = _lock_levels([(product.pk, location.pk)])[(product.pk, location.pk)]
    if kind == Kind.RECEIPT:
        held = StockLevel.objects.filter(product=product).aggregate(total=Sum("on_hand"))["total"]
        held = max(held or Decimal(0), Decimal(0))
        average = (held * product.cost_price + quantity * unit_cost) / (held + quantity)
        product.cost_price = average.quantize(COST_PLACES)
        product.save(update_fields=["cost_price", "updated_at"])
    level.on_hand += quantity
    _save(level)
    movement = _record(
        kind=kind, product=product, to_location=location, quantity=quantity,
        unit_cost=unit_cost, average_cost=product.cost_price, note=note, user=actor,
        occurred_at=occurred_at, purchase_order_line=purchase_order_line,
        sales_order_line=sales_order_line,
    )  # fmt: skip
    stock_levels_changed([level], kind=kind, movements=[movement], occurred_at=occurred_at)
    low_stock_watch([(product.pk, location.pk, quantity)], occurred_at)
    return movement


@dataclass(frozen=True)
class IssueLine:
    """One product to take out at a location: how much, and the order line it goes out for."""

    product: Product
    quantity: Decimal
    sales_order_line: object = None  # orders.SalesOrderLine


def stock_issue(
    *,
    actor: User,
    product: Product,
    location: Location,
    quantity,
    kind: str = Kind.SALE,
    note: str = "",
    occurred_at: datetime | None = None,
    from_reserved: bool = False,
    sales_order_line=None,
) -> StockMovement:
    """Take `quantity` out of what is available at `location` (a sale or a supplier return).

    Raise InsufficientStock if less is available (on hand minus reserved). With
    `from_reserved`, take it out of what was reserved for the order instead (fulfilling it).
    """
    [movement] = stock_issue_many(
        actor=actor, location=location, kind=kind, note=note, occurred_at=occurred_at,
        from_reserved=from_reserved,
        lines=[IssueLine(product, quantity, sales_order_line)],
    )  # fmt: skip
    return movement


@transaction.atomic
def stock_issue_many(
    *,
    actor: User,
    location: Location,
    lines: Iterable[IssueLine],
    kind: str = Kind.SALE,
    note: str = "",
    occurred_at: datetime | None = None,
    from_reserved: bool = False,
) -> list[StockMovement]:
    """Take several products out at `location` at once, all or nothing (as stock_issue does
    one): one ledger row per line, in product order; return them in that order.

    Locks every level in one statement (product order); a product listed twice is taken twice
    from the same level. InsufficientStock (or, `from_reserved`, StockError) names the first
    line in product order that cannot go out.
    """
    if kind not in (Kind.SALE, Kind.SUPPLIER_RETURN):
        raise ValueError(f"stock_issue cannot book a {kind}")
    _check_location(actor, location)
    lines = sorted(
        (
            IssueLine(line.product, _positive(line.quantity), line.sales_order_line)
            for line in lines
        ),
        key=lambda line: line.product.pk,
    )
    if not lines:
        return []
    levels = _lock_levels([(line.product.pk, location.pk) for line in lines], create=False)
    rows, changes = [], []
    for line in lines:
        product, quantity = line.product, line.quantity
        level = levels.get((product.pk, location.pk))
        if from_reserved:
            if level is None or level.reserved < quantity:
                reserved = level.reserved if level else Decimal(0)
                raise StockError(
                    _("Only %(reserved)s of %(product)s is reserved at %(location)s.")
                    % {"reserved": _plain(reserved), "product": product, "location": location}
                )
            level.reserved -= quantity
        elif level is None or level.available < quantity:
            available = level.available if level else Decimal(0)
            raise InsufficientStock(
                product=product, location=location, requested=quantity, available=available
            )
        level.on_hand -= quantity
        cost = level.product.cost_price
        rows.append(
            StockMovement(
                kind=kind, product=product, from_location=location, quantity=quantity,
                unit_cost=cost, average_cost=cost, note=note, user=actor,
                sales_order_line=line.sales_order_line,
            )
        )  # fmt: skip
        # Taking reserved stock leaves what is available unchanged: nothing to announce.
        changes.append((product.pk, location.pk, Decimal(0) if from_reserved else -quantity))
    touched = list(levels.values())
    _save_all(touched)
    movements = _record_all(rows, occurred_at)
    stock_levels_changed(touched, kind=kind, movements=movements, occurred_at=occurred_at)
    low_stock_watch(changes, occurred_at)
    return movements


@dataclass(frozen=True)
class TransferLine:
    product: Product
    quantity: Decimal


@transaction.atomic
def stock_transfer(
    *,
    actor: User,
    from_location: Location,
    to_location: Location,
    lines: Iterable[TransferLine],
    note: str = "",
    occurred_at: datetime | None = None,
) -> list[StockMovement]:
    """Move several products from one location to another, all or nothing."""
    if from_location.pk == to_location.pk:
        raise StockError(_("Choose two different locations."))
    _check_location(actor, from_location)
    lines = [TransferLine(line.product, _positive(line.quantity)) for line in lines]
    if not lines:
        raise StockError(_("A transfer needs at least one line."))
    keys = [(line.product.pk, loc.pk) for line in lines for loc in (from_location, to_location)]
    levels = _lock_levels(keys)
    # Levels change in product order: the database's per-product stock totals (StockTotal) are
    # locked as each level is written, so every transaction must reach them in the same order.
    for line in sorted(lines, key=lambda line: line.product.pk):
        _take(
            levels[(line.product.pk, from_location.pk)], line.product, from_location, line.quantity
        )
        target = levels[(line.product.pk, to_location.pk)]
        target.on_hand += line.quantity
        _save(target)
    movements = []
    for line in lines:
        cost = levels[(line.product.pk, to_location.pk)].product.cost_price
        movements.append(
            _record(
                kind=Kind.TRANSFER, product=line.product, from_location=from_location,
                to_location=to_location, quantity=line.quantity,
                unit_cost=cost, average_cost=cost, note=note, user=actor,
                occurred_at=occurred_at,
            )
        )  # fmt: skip
    changes = [
        change
        for line in lines
        for change in (
            (line.product.pk, from_location.pk, -line.quantity),
            (line.product.pk, to_location.pk, line.quantity),
        )
    ]
    stock_levels_changed(
        levels.values(), kind=Kind.TRANSFER, movements=movements, occurred_at=occurred_at
    )
    low_stock_watch(changes, occurred_at)
    return movements


@transaction.atomic
def stock_adjust(
    *,
    actor: User,
    product: Product,
    location: Location,
    change,
    reason: str,
    note: str = "",
    occurred_at: datetime | None = None,
) -> StockMovement:
    """Add (change > 0) or remove (change < 0) stock for a stated reason."""
    if reason not in StockMovement.Reason.values:
        raise StockError(_("Give a reason for the adjustment."))
    _check_location(actor, location)
    change = Decimal(change)
    quantity = _positive(abs(change))
    level = _lock_levels([(product.pk, location.pk)])[(product.pk, location.pk)]
    if change < 0:
        _take(level, product, location, quantity)
        ends = {"from_location": location}
    else:
        level.on_hand += quantity
        _save(level)
        ends = {"to_location": location}
    movement = _record(
        kind=Kind.ADJUSTMENT, product=product, quantity=quantity, reason=reason,
        unit_cost=level.product.cost_price, average_cost=level.product.cost_price, note=note,
        user=actor, occurred_at=occurred_at, **ends,
    )  # fmt: skip
    stock_levels_changed(
        [level], kind=Kind.ADJUSTMENT, movements=[movement], occurred_at=occurred_at
    )
    low_stock_watch([(product.pk, location.pk, change)], occurred_at)
    return movement


@transaction.atomic
def stock_count(
    *,
    actor: User,
    location: Location,
    counts: dict[Product, Decimal],
    note: str = "",
    occurred_at: datetime | None = None,
) -> list[StockMovement]:
    """Set on-hand at `location` to what was counted; one count movement per difference.

    A count below what is reserved there is refused (the reservation would have no stock).
    """
    _check_location(actor, location)
    levels = _lock_levels([(product.pk, location.pk) for product in counts])
    movements, changes = [], []
    for product, counted in sorted(counts.items(), key=lambda item: item[0].pk):
        try:
            counted = Decimal(counted)
        except (InvalidOperation, TypeError, ValueError):
            raise StockError(_("%(value)s is not a quantity.") % {"value": counted}) from None
        if counted < 0:
            raise StockError(_("A counted quantity cannot be negative."))
        level = levels[(product.pk, location.pk)]
        if counted < level.reserved:
            message = _("%(product)s: %(counted)s counted but %(reserved)s is reserved for orders.")
            values = {"counted": _plain(counted), "reserved": _plain(level.reserved)}
            raise StockError(message % {"product": product, **values})
        difference = counted - level.on_hand
        if not difference:
            continue
        changes.append((product.pk, location.pk, difference))
        level.on_hand = counted
        _save(level)
        ends = {"to_location": location} if difference > 0 else {"from_location": location}
        movements.append(
            _record(
                kind=Kind.COUNT, product=product, quantity=abs(difference),
                unit_cost=level.product.cost_price, average_cost=level.product.cost_price,
                note=note, user=actor, occurred_at=occurred_at, **ends,
            )
        )  # fmt: skip
    counted_levels = [levels[change[:2]] for change in changes]
    stock_levels_changed(
        counted_levels, kind=Kind.COUNT, movements=movements, occurred_at=occurred_at
    )
    low_stock_watch(changes, occurred_at)
    return movements


def stock_reserve(*, actor: User, product: Product, location: Location, quantity) -> StockLevel:
    """Hold `quantity` of what is available at `location` for an order (no ledger row)."""
    return stock_reserve_many(actor=actor, location=location, lines=[(product, quantity)])[0]


@transaction.atomic
def stock_reserve_many(
    *, actor: User, location: Location, lines: Iterable[tuple[Product, Decimal]]
) -> list[StockLevel]:
    """Hold each (product, quantity) of what is available at `location` for an order, all or
    nothing; return the levels in product order. Locks them in one statement (product order);
    InsufficientStock names the first product in that order that is short."""
    return _hold(location, lines, reserve=True)


def stock_release(*, actor: User, product: Product, location: Location, quantity) -> StockLevel:
    """Give back a reservation (an order cancelled or changed)."""
    return stock_release_many(actor=actor, location=location, lines=[(product, quantity)])[0]


@transaction.atomic
def stock_release_many(
    *, actor: User, location: Location, lines: Iterable[tuple[Product, Decimal]]
) -> list[StockLevel]:
    """Give back several reservations at `location` at once (as stock_release does one)."""
    return _hold(location, lines, reserve=False)


def _hold(location: Location, lines, *, reserve: bool) -> list[StockLevel]:
    """Reserve (or release) each (product, quantity) at `location` on levels locked together."""
    lines = sorted(
        ((product, _positive(quantity)) for product, quantity in lines), key=lambda line: line[0].pk
    )
    if not lines:
        return []
    levels = _lock_levels([(product.pk, location.pk) for product, _q in lines], create=False)
    changes = []
    for product, quantity in lines:
        level = levels.get((product.pk, location.pk))
        if reserve:
            if level is None or level.available < quantity:
                available = level.available if level else Decimal(0)
                raise InsufficientStock(
                    product=product, location=location, requested=quantity, available=available
                )
            level.reserved += quantity
        else:
            if level is None or level.reserved < quantity:
                reserved = level.reserved if level else Decimal(0)
                raise StockError(
                    _("Only %(reserved)s is reserved.") % {"reserved": _plain(reserved)}
                )
            level.reserved -= quantity
        changes.append((product.pk, location.pk, -quantity if reserve else quantity))
    touched = list(levels.values())
    _save_all(touched)
    stock_levels_changed(touched, kind="reservation" if reserve else "release")
    low_stock_watch(changes)
    return touched


@transaction.atomic
def location_save(
    *, actor: User, location: Location | None = None, users: Iterable[User] | None = None, **fields
) -> Location:
    """Create or update a location and, if given, the users who work there."""
    location = location or Location()
    for name, value in fields.items():
        setattr(location, name, value)
    location.full_clean()
    location.save()
    if users is not None:
        location.users.set(users)
    return location


@transaction.atomic
def location_minimums_save(
    *, actor: User, product: Product, points: dict[Location, Decimal | None]
) -> None:
    """Set (a quantity above zero) or remove (None or zero) the product's own reorder point at
    each location given; alerts of removed or raised points are brought up to date."""
    for location, point in points.items():
        if point:
            if point < 0:
                raise StockError(_("A reorder point cannot be negative."))
            LocationMinimum.objects.update_or_create(
                product=product, location=location, defaults={"reorder_point": point}
            )
        else:
            LocationMinimum.objects.filter(product=product, location=location).delete()
    # No stock moved (no announcement), but an alert whose point went away or below stock ends.
    low_stock_watch([(product.pk, location.pk, Decimal(0)) for location in points])


@dataclass(frozen=True)
class PastMovement:
    """One movement of the past, for stock_history_load (ids, not objects: history is big)."""

    kind: str
    product_id: int
    quantity: Decimal
    occurred_at: datetime
    from_location_id: int | None = None
    to_location_id: int | None = None
    unit_cost: Decimal | None = None  # a receipt's purchase cost; others: the average then
    reason: str = ""
    note: str = ""
    purchase_order_line_id: int | None = None
    sales_order_line_id: int | None = None


HISTORY_BATCH = 5000
# Which ends each kind has: (from a location, to a location); None: exactly one of the two.
ENDS = {
    Kind.RECEIPT: (False, True), Kind.CUSTOMER_RETURN: (False, True),
    Kind.SALE: (True, False), Kind.SUPPLIER_RETURN: (True, False),
    Kind.TRANSFER: (True, True), Kind.ADJUSTMENT: None, Kind.COUNT: None,
}  # fmt: skip


def _ends_fit(m: PastMovement) -> bool:
    """Whether the movement has the from/to locations its kind needs."""
    ends = (bool(m.from_location_id), bool(m.to_location_id))
    if m.kind not in ENDS:
        return False
    if ENDS[m.kind] is None:
        return ends in ((True, False), (False, True))
    return ends == ENDS[m.kind] and m.from_location_id != m.to_location_id


@transaction.atomic
def stock_history_load(*, actor: User, movements: Iterable[PastMovement]) -> int:
    """Book many past movements at once (imported history, demo data), oldest first; return
    how many were booked.

    The history is replayed on top of what the levels hold now, so load it before a location
    trades. Every movement must find its quantity available at its source when it happened
    (counting the movements before it): the first that would not raises InsufficientStock and
    nothing is booked. Receipts move the product's average cost in time order; other movements
    carry the average of their moment. Locks the products, then the levels (the usual order);
    the ledger rows and the levels are written together, so check_stock holds. The past raises
    no low-stock announcements; alert rows are only brought up to date.
    """
    movements = sorted(movements, key=lambda m: m.occurred_at)
    if not movements:
        return 0
    now = timezone.now()
    keys, product_ids = set(), set()
    for m in movements:
        if timezone.is_naive(m.occurred_at) or m.occurred_at > now:
            raise StockError(_("A movement's time must be a past, timezone-aware time."))
        _positive(m.quantity)
        if not _ends_fit(m):
            raise StockError(_("A %(kind)s cannot have these locations.") % {"kind": m.kind})
        product_ids.add(m.product_id)
        keys.update((m.product_id, loc) for loc in (m.from_location_id, m.to_location_id) if loc)
    products = {
        p.pk: p
        for p in Product.objects.select_for_update(no_key=True)
        .filter(pk__in=product_ids)
        .order_by("pk")
    }
    levels = _lock_levels(keys)
    held = dict(
        StockLevel.objects.filter(product__in=product_ids)
        .values("product")
        .annotate(total=Sum("on_hand"))
        .values_list("product", "total")
    )
    costs = {pk: product.cost_price for pk, product in products.items()}
    rows = []
    for m in movements:
        quantity = Decimal(m.quantity)
        if m.from_location_id:
            source = levels[(m.product_id, m.from_location_id)]
            if source.on_hand - source.reserved < quantity:
                raise InsufficientStock(
                    product=products[m.product_id],
                    location=Location.objects.get(pk=m.from_location_id),
                    requested=quantity, available=source.on_hand - source.reserved,
                )  # fmt: skip
            source.on_hand -= quantity
        if m.to_location_id:
            levels[(m.product_id, m.to_location_id)].on_hand += quantity
        total = max(held.get(m.product_id) or Decimal(0), Decimal(0))
        cost = costs[m.product_id]
        if m.kind == Kind.RECEIPT:
            unit_cost = Decimal(m.unit_cost if m.unit_cost is not None else cost)
            cost = ((total * cost + quantity * unit_cost) / (total + quantity)).quantize(
                COST_PLACES
            )
            costs[m.product_id] = cost
        else:
            unit_cost = Decimal(m.unit_cost) if m.unit_cost is not None else cost
        change = (quantity if m.to_location_id else 0) - (quantity if m.from_location_id else 0)
        held[m.product_id] = (held.get(m.product_id) or Decimal(0)) + change
        rows.append(
            StockMovement(
                kind=m.kind, product_id=m.product_id, from_location_id=m.from_location_id,
                to_location_id=m.to_location_id, quantity=quantity, unit_cost=unit_cost,
                average_cost=cost, reason=m.reason, note=m.note, user=actor,
                created_at=m.occurred_at, purchase_order_line_id=m.purchase_order_line_id,
                sales_order_line_id=m.sales_order_line_id,
            )
        )  # fmt: skip
    StockMovement.objects.bulk_create(rows, batch_size=HISTORY_BATCH)
    StockLevel.objects.bulk_update(list(levels.values()), ["on_hand"], batch_size=HISTORY_BATCH)
    for pk, product in products.items():
        product.cost_price = costs[pk]
    Product.objects.bulk_update(list(products.values()), ["cost_price"], batch_size=HISTORY_BATCH)
    # One event per level, without the (possibly thousands of) movement ids.
    stock_levels_changed(levels.values(), kind="history")
    low_stock_watch([(p, loc, Decimal(0)) for p, loc in keys])
    return len(rows)
