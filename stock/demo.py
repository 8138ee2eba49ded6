"""Demo stock: a warehouse and two shops with four months of believable history, all booked
through stock.services like real work, back-dated.

Each product sells at its own rate (a few fast movers, many slow ones, busier weekends) at the
shops; shops are refilled from the warehouse every Monday; the warehouse reorders from suppliers
when it runs low and the goods arrive a few days later at a slightly different cost; now and
then something is damaged or expires, and the branch counts a shelf each month.
"""

import math
import random
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from decimal import Decimal

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import Notification, User
from accounts.notifications import without_email
from products.models import Product

from . import services
from .models import Location, LocationMinimum, LowStockAlert

DAYS = 90
LEAD_DAYS = 5


@dataclass
class Demand:
    product: Product
    per_day: float  # units a shop sells on an average weekday
    carried_by_branch: bool


def _poisson(rng: random.Random, mean: float) -> int:
    """A Poisson draw (Knuth): how many units sell in a day."""
    limit, k, p = math.exp(-mean), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


class _Book:
    """The demo's clock and a cache of available stock, so the loader plans without queries."""

    def __init__(self, rng: random.Random, start: datetime):
        self.rng, self.start = rng, start
        self.free: dict[tuple[int, int], Decimal] = {}

    def at(self, day: int, hour_from: int = 9, hour_to: int = 20) -> datetime:
        moment = self.start + timedelta(days=day)
        minutes = self.rng.randint(hour_from * 60, hour_to * 60 - 1)
        return moment + timedelta(minutes=minutes)

    def get(self, product: Product, location: Location) -> Decimal:
        return self.free.get((product.pk, location.pk), Decimal(0))

    def add(self, product: Product, location: Location, quantity) -> None:
        self.free[(product.pk, location.pk)] = self.get(product, location) + Decimal(quantity)


@transaction.atomic
def stock_load(*, actor: User, staff: User | None = None, seed: int = 2026) -> int:
    """Create the demo locations and their history; return how many movements were booked.

    Low-stock alerts fire as they would have, in-app only: demo data emails nobody."""
    with without_email():
        count = _history(actor, staff, seed)
    _tidy_notifications()
    return count


def _history(actor: User, staff: User | None, seed: int) -> int:
    rng = random.Random(seed)  # noqa: S311 - demo data, not security
    warehouse = Location.objects.create(
        name="Gudang Utama", kind=Location.Kind.WAREHOUSE, address="Jl. Industri 5, Bekasi"
    )
    central = Location.objects.create(name="Toko Pusat", address="Jl. Sudirman 10, Jakarta")
    branch = Location.objects.create(name="Toko Cabang", address="Jl. Margonda 88, Depok")
    if staff is not None:
        branch.users.add(staff)  # the demo staff member works at the branch
    branch_clerk = staff or actor

    today = timezone.localdate()
    start = timezone.make_aware(datetime.combine(today - timedelta(days=DAYS), time()))
    book = _Book(rng, start)
    demand = []
    for product in Product.objects.filter(is_active=True).order_by("pk"):
        speed = rng.random()
        per_day = rng.uniform(0.4, 1.0) if speed < 0.08 else rng.uniform(0.02, 0.1)
        if speed > 0.5:
            per_day = rng.uniform(0.003, 0.015)
        demand.append(Demand(product, per_day, carried_by_branch=rng.random() < 0.7))

    count = 0

    def receive(item: Demand, quantity: int, day: int, cost: Decimal) -> None:
        nonlocal count
        services.stock_receive(
            actor=actor, product=item.product, location=warehouse, quantity=quantity,
            unit_cost=cost, note="Pengiriman pemasok", occurred_at=book.at(day, 8, 11),
        )  # fmt: skip
        book.add(item.product, warehouse, quantity)
        count += 1

    def order_size(item: Demand) -> int:
        """A month of both shops' sales, at least the reorder quantity, in whole dozens."""
        month = max(item.per_day * 2 * 30, float(item.product.reorder_quantity), 12)
        return math.ceil(month / 12) * 12

    def reorder_level(item: Demand) -> float:
        """Reorder when what is left would reach the reorder point during the lead time."""
        return float(item.product.reorder_point) + item.per_day * 2 * LEAD_DAYS

    # Day 0: the opening stock arrives at the warehouse.
    for item in demand:
        receive(item, order_size(item) + math.ceil(reorder_level(item)), 0, item.product.cost_price)

    shops = [
        (central, actor, lambda item: True),
        (branch, branch_clerk, lambda item: item.carried_by_branch),
    ]
    # The fast movers must never run dry at the main shop: it has its own reorder points.
    for item in sorted(demand, key=lambda item: -item.per_day)[:8]:
        LocationMinimum.objects.create(
            product=item.product, location=central, reorder_point=math.ceil(item.per_day * 3)
        )
    arriving: dict[int, list[tuple[Demand, int]]] = {}
    for day in range(DAYS):
        weekday = (start + timedelta(days=day)).weekday()
        if weekday == 0 or day == 0:  # Monday (and the first day): refill the shops
            for shop, _clerk, carries in shops:
                lines = []
                for item in demand:
                    if not carries(item):
                        continue
                    target = max(2, math.ceil(item.per_day * 14))
                    if book.get(item.product, shop) > target / 2:
                        continue  # enough on the shelf until next week
                    want = target - book.get(item.product, shop)
                    take = min(want, book.get(item.product, warehouse))
                    if take >= 1:
                        lines.append(services.TransferLine(item.product, Decimal(int(take))))
                if lines:
                    services.stock_transfer(
                        actor=actor, from_location=warehouse, to_location=shop, lines=lines,
                        note="Isi ulang mingguan", occurred_at=book.at(day, 7, 8),
                    )  # fmt: skip
                    for line in lines:
                        book.add(line.product, warehouse, -line.quantity)
                        book.add(line.product, shop, line.quantity)
                    count += len(lines)
        for item, quantity in arriving.pop(day, []):
            drift = Decimal(str(round(rng.uniform(0.95, 1.08), 2)))
            receive(item, quantity, day, (item.product.cost_price * drift).quantize(Decimal(1)))
        busy = 1.4 if weekday >= 5 else 1.0
        sales = []
        for shop, clerk, carries in shops:
            for item in demand:
                if carries(item):
                    sold = min(_poisson(rng, item.per_day * busy), book.get(item.product, shop))
                    if sold >= 1:
                        sales.append((book.at(day), shop, clerk, item, int(sold)))
        for moment, shop, clerk, item, sold in sorted(sales, key=lambda sale: sale[0]):
            services.stock_issue(
                actor=clerk, product=item.product, location=shop, quantity=sold,
                occurred_at=moment,
            )  # fmt: skip
            book.add(item.product, shop, -sold)
            count += 1
        item = None
        if rng.random() < 0.3:  # now and then something breaks or expires on a shelf
            shop, clerk, carries = rng.choice(shops)
            shelf = [i for i in demand if book.get(i.product, shop) >= 1]
            item = rng.choice(shelf) if shelf else None
        if item is not None:
            reason, note = rng.choice([("damaged", "Kemasan rusak"), ("expired", "Kedaluwarsa")])
            services.stock_adjust(
                actor=actor, product=item.product, location=shop, change=-1, reason=reason,
                note=note, occurred_at=book.at(day, 18, 21),
            )  # fmt: skip
            book.add(item.product, shop, -1)
            count += 1
        if day % 30 == 15:  # a monthly shelf count at the branch finds small differences
            shelf = [i for i in demand if i.carried_by_branch][day % 7 :: 12][:25]
            counts = {}
            for item in shelf:
                held = book.get(item.product, branch)
                counts[item.product] = max(Decimal(0), held + rng.choice([0, 0, 0, -1, 1]))
            moves = services.stock_count(
                actor=branch_clerk, location=branch, counts=counts, note="Stock opname bulanan",
                occurred_at=book.at(day, 20, 22),
            )  # fmt: skip
            for product, counted in counts.items():
                book.free[(product.pk, branch.pk)] = counted
            count += len(moves)
        # The warehouse reorders what is about to reach its reorder point.
        on_order = {item.product.pk for items in arriving.values() for item, _q in items}
        for item in demand:
            if item.product.pk in on_order:
                continue
            held = sum(book.get(item.product, place) for place in (warehouse, central, branch))
            if held <= reorder_level(item):
                lead = LEAD_DAYS + rng.choice([-1, 0, 0, 1, 3])  # suppliers are not clocks
                arriving.setdefault(day + lead, []).append((item, order_size(item)))
    return count


def _tidy_notifications() -> None:
    """Keep the managers' inbox believable: only alerts about what is low today, as if the
    older ones had been dealt with."""
    alerts = LowStockAlert.objects.values_list("product_id", flat=True)
    keep_per_link = Counter(reverse("products:product_detail", args=[pk]) for pk in alerts)
    stale = []
    for notification in Notification.objects.order_by("-created_at", "-pk"):
        if keep_per_link[notification.link] > 0:
            keep_per_link[notification.link] -= 1  # the latest news of what is low today
        else:
            stale.append(notification.pk)
    Notification.objects.filter(pk__in=stale).delete()
