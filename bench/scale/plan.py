"""Plan the large data set in memory as compact numpy arrays (no database here).

The plan is built so that the ledger can never go below zero: sales (and stock written off)
are drawn first, then every store gets transfers from its product's warehouse ahead of the
sales they cover, and every warehouse gets supplier deliveries (purchase order receipts) ahead
of the transfers and orders they feed. Deliveries come in purchase orders: each supplier
delivers to one warehouse on a roughly monthly schedule, the first delivery being the opening
stock of every product it supplies.

Money is kept in integers: sale prices in cents, costs in ten-thousandths, so the amounts of
orders.pricing and the moving average of stock.services come out exactly.
"""

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import numpy as np

DAY = 86_400
YEARS = 2
DAYS = 365 * YEARS
WAREHOUSES = 5
LOCATIONS = 50
# Movement kinds, in the order that the same second books them (stock in before stock out).
RECEIPT, CUSTOMER_RETURN, COUNT_IN, FOUND, TRANSFER, SALE, DAMAGED, COUNT_OUT, SUPPLIER_RETURN = (
    range(9)
)
OUT_KINDS = (DAMAGED, COUNT_OUT, SUPPLIER_RETURN)


@dataclass(frozen=True)
class Sizes:
    products: int
    suppliers: int
    customers: int
    users: int
    sales_lines: int
    purchase_orders: int
    movements: int
    categories: tuple[int, int, int] = (10, 10, 10)

    @classmethod
    def at(cls, scale: float) -> "Sizes":
        def scaled(n: int, least: int) -> int:
            return max(least, round(n * scale))

        return cls(
            products=scaled(100_000, 500),
            suppliers=scaled(1_000, 10),
            customers=scaled(5_000, 50),
            users=scaled(200, 20),
            sales_lines=scaled(500_000, 2_500),
            purchase_orders=scaled(20_000, 100),
            movements=scaled(2_000_000, 10_000),
        )


@dataclass
class Catalogue:
    """Products (index = id - 1) and what the plan needs to know about them."""

    supplier: np.ndarray  # preferred supplier index
    warehouse: np.ndarray  # location index of the warehouse its supplier delivers to
    popularity: np.ndarray  # probability of being on a sales line
    sale_cents: np.ndarray
    cost_units: np.ndarray  # cost price in 1/10,000
    tax_bp: np.ndarray  # tax rate in 1/100 %
    category: np.ndarray  # leaf category index
    active: np.ndarray
    lead_days: np.ndarray  # per supplier
    moq: np.ndarray  # per product, preferred supplier's minimum order


@dataclass
class Sales:
    """Orders (index = id - 1, in time order) and their lines (index = id - 1)."""

    time: np.ndarray
    location: np.ndarray
    customer: np.ndarray  # -1: none
    channel: np.ndarray  # 0 counter, 1 order
    payment: np.ndarray  # 0 cash, 1 card, 2 transfer
    cancelled: np.ndarray
    user: np.ndarray
    line_order: np.ndarray
    line_product: np.ndarray
    line_qty: np.ndarray
    line_discount: np.ndarray  # percent, whole numbers
    returned: np.ndarray  # quantity returned per line
    return_time: np.ndarray  # when (0: no return)


@dataclass
class Movements:
    """Every ledger row, not yet in time order (ids are given after sorting)."""

    parts: list[dict] = field(default_factory=list)

    def add(self, **columns) -> None:
        self.parts.append(columns)

    def merged(self) -> dict[str, np.ndarray]:
        names = [
            "time",
            "kind",
            "product",
            "src",
            "dst",
            "qty",
            "cost",
            "po_line",
            "so_line",
            "user",
        ]
        out = {}
        for name in names:
            chunks = []
            for part in self.parts:
                n = len(part["time"])
                value = part.get(name, -1)
                chunks.append(np.broadcast_to(np.asarray(value, dtype=np.int64), (n,)))
            out[name] = np.concatenate(chunks).astype(np.int64)
        order = np.lexsort((out["kind"], out["time"]))
        return {name: column[order] for name, column in out.items()}


@dataclass
class Purchases:
    """Purchase orders (index = id - 1, by order date) and their lines."""

    supplier: np.ndarray
    location: np.ndarray
    ordered: np.ndarray  # time the order was placed
    expected: np.ndarray  # time (day) it was expected
    received: np.ndarray  # time it arrived; 0 = still open
    line_order: np.ndarray
    line_product: np.ndarray
    line_qty: np.ndarray
    line_cost: np.ndarray


def timeline(now: datetime | None = None) -> tuple[int, int]:
    """(start, end) in epoch seconds: two years up to an hour ago, starting at a midnight."""
    now = now or datetime.now(UTC)
    end = int((now - timedelta(hours=1)).timestamp())
    start_day = (now - timedelta(days=DAYS)).date()
    start = int(datetime(start_day.year, start_day.month, start_day.day, tzinfo=UTC).timestamp())
    return start, end


def catalogue(rng: np.random.Generator, sizes: Sizes) -> Catalogue:
    n = sizes.products
    supplier = rng.integers(0, sizes.suppliers, n)
    warehouse = supplier % WAREHOUSES
    # Long tail: popularity by rank ~ 1/(rank + 10)^0.9, ranks shuffled over the catalogue.
    ranks = rng.permutation(n) + 1
    popularity = 1.0 / (ranks + 10.0) ** 0.9
    popularity /= popularity.sum()
    sale = np.exp(rng.normal(np.log(25_000), 1.0, n)).clip(500, 5_000_000)
    sale_cents = (np.round(sale / 100) * 100 * 100).astype(np.int64)
    cost_units = np.round(sale_cents * rng.uniform(0.55, 0.85, n)).astype(np.int64) * 100
    tax_bp = np.where(rng.random(n) < 0.8, 1100, 0)
    leaves = sizes.categories[0] * sizes.categories[1] * sizes.categories[2]
    # Bigger and smaller categories: a leaf's share is lognormal.
    leaf_weight = np.exp(rng.normal(0, 0.8, leaves))
    category = rng.choice(leaves, n, p=leaf_weight / leaf_weight.sum())
    active = rng.random(n) >= 0.02
    lead_days = rng.integers(2, 31, sizes.suppliers)
    moq = rng.choice([1, 1, 1, 6, 12, 24], n)
    return Catalogue(
        supplier, warehouse, popularity, sale_cents, cost_units, tax_bp, category, active,
        lead_days, moq,
    )  # fmt: skip


def day_weights(start: int, shop: bool) -> np.ndarray:
    """Relative sales per day: growth, a yearly season with a December peak, the week."""
    days = np.arange(DAYS)
    dates = [datetime.fromtimestamp(start + d * DAY, UTC) for d in days]
    doy = np.array([d.timetuple().tm_yday for d in dates])
    weekday = np.array([d.weekday() for d in dates])
    trend = 1 + 0.3 * days / DAYS
    season = 1 + 0.15 * np.sin(2 * np.pi * (doy - 100) / 365)
    december = np.array([1.6 if d.month == 12 and 8 <= d.day <= 24 else 1.0 for d in dates])
    week = (
        np.array([0.9, 0.9, 0.95, 1.0, 1.1, 1.4, 1.25])
        if shop
        else np.array([1.1, 1.15, 1.1, 1.1, 1.0, 0.35, 0.1])
    )
    weights = trend * season * december * week[weekday]
    weights[:2] = 0  # the opening deliveries come first
    return weights / weights.sum()


def _times(rng, start, end, n, shop) -> np.ndarray:
    day = rng.choice(DAYS, n, p=day_weights(start, shop))
    hours = np.arange(24)
    if shop:
        hour_w = np.where((hours >= 8) & (hours <= 20), 1.0, 0.0)
        hour_w += np.where((hours == 12) | (hours == 13) | (hours == 18) | (hours == 19), 0.8, 0)
    else:
        hour_w = np.where((hours >= 8) & (hours <= 16), 1.0, 0.0)
    hour = rng.choice(24, n, p=hour_w / hour_w.sum())
    t = start + day * DAY + hour * 3600 + rng.integers(0, 3600, n)
    return np.minimum(t, end - rng.integers(60, 3600, n))


def sales(rng, sizes: Sizes, cat: Catalogue, start: int, end: int, staff) -> Sales:
    """Counter sales in the shops (3/4 of the lines) and customer orders from the warehouses."""
    counter_sizes = np.array([1, 2, 3, 4, 5, 6])
    counter_p = np.array([0.35, 0.25, 0.15, 0.1, 0.08, 0.07])
    n_counter = round(sizes.sales_lines * 0.75 / (counter_sizes @ counter_p) * 1.02)
    n_orders = round(sizes.sales_lines * 0.25 / 11.5 * 1.02)
    shops = np.arange(WAREHOUSES, LOCATIONS)
    shop_w = np.exp(rng.normal(0, 0.5, len(shops)))
    c_loc = rng.choice(shops, n_counter, p=shop_w / shop_w.sum())
    c_time = _times(rng, start, end, n_counter, shop=True)
    c_lines = rng.choice(counter_sizes, n_counter, p=counter_p)
    o_loc = rng.integers(0, WAREHOUSES, n_orders)
    o_time = _times(rng, start, end, n_orders, shop=False)
    o_lines = rng.integers(3, 21, n_orders)

    time = np.concatenate([c_time, o_time])
    location = np.concatenate([c_loc, o_loc])
    channel = np.concatenate([np.zeros(n_counter, np.int64), np.ones(n_orders, np.int64)])
    n_lines = np.concatenate([c_lines, o_lines])
    by_time = np.argsort(time, kind="stable")
    time, location, channel, n_lines = (a[by_time] for a in (time, location, channel, n_lines))
    n = len(time)
    customer_w = rng.pareto(1.2, sizes.customers) + 1
    customer = rng.choice(sizes.customers, n, p=customer_w / customer_w.sum())
    customer = np.where((channel == 1) | (rng.random(n) < 0.1), customer, -1)
    payment = np.where(
        channel == 1,
        np.where(rng.random(n) < 0.8, 2, 1),
        rng.choice(3, n, p=[0.55, 0.35, 0.1]),
    )
    cancelled = (channel == 1) & (rng.random(n) < 0.01)
    user = np.array([staff[loc][rng.integers(len(staff[loc]))] for loc in location.tolist()])

    line_order = np.repeat(np.arange(n), n_lines)
    line_loc = location[line_order]
    product = np.empty(len(line_order), np.int64)
    shop_line = channel[line_order] == 0
    cum = np.cumsum(cat.popularity)
    product[shop_line] = np.searchsorted(cum, rng.random(shop_line.sum()) * cum[-1])
    for w in range(WAREHOUSES):
        homed = np.flatnonzero(cat.warehouse == w)
        wcum = np.cumsum(cat.popularity[homed])
        mine = ~shop_line & (line_loc == w)
        product[mine] = homed[np.searchsorted(wcum, rng.random(mine.sum()) * wcum[-1])]
    product = np.minimum(product, sizes.products - 1)
    # One line per product on an order (as the app enforces), and only products on sale then.
    _keys, first = np.unique(line_order * sizes.products + product, return_index=True)
    keep = np.sort(first)
    keep = keep[cat.active[product[keep]]]
    line_order, product = line_order[keep], product[keep]
    shop_line = channel[line_order] == 0
    qty = np.where(
        shop_line,
        rng.choice([1, 2, 3, 4, 5, 6], len(product), p=[0.7, 0.18, 0.05, 0.03, 0.02, 0.02]),
        rng.choice([1, 2, 3, 5, 6, 10, 12, 24], len(product)),
    )
    discount = np.where(~shop_line & (rng.random(len(product)) < 0.3), rng.choice([5, 10]), 0)
    # Some goods come back: 1% of fulfilled lines, within a month, part or all.
    returning = (rng.random(len(product)) < 0.01) & ~cancelled[line_order]
    return_time = np.where(returning, time[line_order] + rng.integers(DAY, 30 * DAY), 0)
    returning &= return_time < end
    return_time = np.where(returning, return_time, 0)
    returned = np.where(returning, np.ceil(qty * rng.uniform(0.01, 1, len(qty))), 0)
    return Sales(
        time, location, customer, channel, payment, cancelled, user, line_order, product,
        qty.astype(np.int64), discount.astype(np.int64), returned.astype(np.int64), return_time,
    )  # fmt: skip


def write_offs(rng, count: int, start: int, end: int, held: np.ndarray) -> dict[str, np.ndarray]:
    """Stock counts and adjustments where goods are kept (`held`: product*64+location keys):
    those that take stock out are planned as demand, so replenishment covers them."""
    pick = held[rng.integers(0, len(held), count)]
    kind = rng.choice(
        [COUNT_IN, FOUND, DAMAGED, COUNT_OUT, SUPPLIER_RETURN],
        count,
        p=[0.3, 0.05, 0.3, 0.3, 0.05],
    )
    location = pick % 64
    # Suppliers take goods back at the warehouses only.
    kind = np.where((kind == SUPPLIER_RETURN) & (location >= WAREHOUSES), DAMAGED, kind)
    return {
        "time": rng.integers(start + 3 * DAY, end, count),
        "kind": kind,
        "product": pick // 64,
        "location": location,
        "qty": rng.choice([1, 1, 1, 2, 3], count),
    }


def transfers(rng, sales: Sales, cat: Catalogue, offs, t0: np.ndarray, window_days: int):
    """Replenish shops from the product's warehouse ahead of what they sell or write off.

    Each transfer covers the shop's demand of `window_days` from its first uncovered event, less
    what the shop still holds, plus a little extra. Returns the transfers' columns.
    """
    sold = ~sales.cancelled[sales.line_order] & (sales.channel[sales.line_order] == 0)
    out = np.isin(offs["kind"], OUT_KINDS) & (offs["location"] >= WAREHOUSES)
    product = np.concatenate([sales.line_product[sold], offs["product"][out]])
    location = np.concatenate([sales.location[sales.line_order[sold]], offs["location"][out]])
    when = np.concatenate([sales.time[sales.line_order[sold]], offs["time"][out]])
    qty = np.concatenate([sales.line_qty[sold], offs["qty"][out]])
    order = np.lexsort((when, product * 64 + location))
    keys = (product * 64 + location)[order].tolist()
    times, qtys = when[order].tolist(), qty[order].tolist()
    window = window_days * DAY
    res_t, res_p, res_loc, res_q = [], [], [], []
    extra = rng.integers(0, 3, len(keys)).tolist()
    lead = rng.uniform(0.1, 1.0, len(keys)).tolist()
    i, n = 0, len(keys)
    while i < n:
        key, stock, previous = keys[i], 0, None
        while i < n and keys[i] == key:
            first = times[i]
            j, need = i, 0
            while j < n and keys[j] == key and times[j] < first + window:
                need += qtys[j]
                j += 1
            if need > stock:
                gap = 2 * DAY if previous is None else min(2 * DAY, first - previous)
                p = key // 64
                at = max(first - int(gap * lead[i]), int(t0[cat.supplier[p]]) + 3600)
                amount = need - stock + extra[i] + need // 5
                res_t.append(min(at, first - 1))
                res_p.append(p)
                res_loc.append(key % 64)
                res_q.append(amount)
                stock += amount
            stock -= need
            previous = times[j - 1]
            i = j
    p = np.array(res_p, np.int64)
    return {
        "time": np.array(res_t, np.int64),
        "kind": TRANSFER,
        "product": p,
        "src": cat.warehouse[p],
        "dst": np.array(res_loc, np.int64),
        "qty": np.array(res_q, np.int64),
    }


def delivery_slots(rng, suppliers: int, start: int, end: int, period_days: float) -> np.ndarray:
    """Arrival times of each supplier's deliveries (suppliers x slots; the first is the
    opening stock on day one, the last lies beyond `end`: an order still open)."""
    count = int((end - start) / (period_days * DAY)) + 2
    first = start + rng.integers(int(0.2 * DAY), int(0.9 * DAY), suppliers)
    steps = np.arange(count) * period_days * DAY
    jitter = rng.integers(-2 * DAY, 2 * DAY, (suppliers, count))
    jitter[:, 0] = 0
    slots = first[:, None] + steps[None, :] + jitter
    return slots.astype(np.int64)


def receipts(rng, cat: Catalogue, demand: dict, slots: np.ndarray, end: int):
    """Deliveries to each product's warehouse: before each slot's interval, enough for its
    demand plus a safety stock, in multiples of the minimum order. Every product gets opening
    stock. Returns (receipt columns, per-product safety stock)."""
    n = len(cat.supplier)
    n_slots = slots.shape[1]
    # One sorted array of every supplier's slots (each supplier offset far apart) finds the
    # slot of every demand at once.
    spread = 10**11
    flat = (slots + np.arange(len(slots))[:, None] * spread).reshape(-1)
    supplier = cat.supplier[demand["product"]]
    slot = np.searchsorted(flat, demand["time"] + supplier * spread, side="right") - 1
    slot = np.maximum(slot - supplier * n_slots, 0)
    need = np.bincount(demand["product"] * n_slots + slot, demand["qty"], n * n_slots)
    need = need.reshape(n, n_slots).astype(np.int64)
    received = slots < end
    average = need.sum(axis=1) / np.maximum(received.sum(axis=1)[cat.supplier], 1)
    safety = np.ceil(average * 0.3).astype(np.int64) + (need.sum(axis=1) > 0)
    opening = rng.choice([2, 3, 5, 6, 10, 12, 24], n)
    res_p, res_k, res_q = [], [], []
    rows = need.tolist()
    for p in range(n):
        s, moq, stock, row = cat.supplier[p], int(cat.moq[p]), 0, rows[p]
        for k in range(n_slots):
            if not received[s, k]:
                break
            want = row[k] + safety[p] - stock
            if k == 0:
                want = max(want, opening[p])
            if want > 0:
                amount = -(-want // moq) * moq
                res_p.append(p)
                res_k.append(k)
                res_q.append(amount)
                stock += amount
            stock -= row[k]
    p, k = np.array(res_p, np.int64), np.array(res_k, np.int64)
    return {"product": p, "slot": k, "qty": np.array(res_q, np.int64)}, safety, average


def purchases(rng, cat: Catalogue, got: dict, slots: np.ndarray, start: int, end: int):
    """Group deliveries into purchase orders (one per supplier and slot), add the orders still
    open (the next slot of busy suppliers), and price every line."""
    n_slots = slots.shape[1]
    key = cat.supplier[got["product"]] * n_slots + got["slot"]
    # Orders still open: the supplier's next slot after `end`, with its usual lines.
    next_slot = (slots < end).sum(axis=1)
    open_s = np.flatnonzero(next_slot < n_slots)
    open_s = open_s[rng.random(len(open_s)) < 0.5]
    recent = got["slot"] == next_slot[cat.supplier[got["product"]]] - 1
    chosen = recent & np.isin(cat.supplier[got["product"]], open_s)
    open_p = got["product"][chosen]
    open_key = cat.supplier[open_p] * n_slots + next_slot[cat.supplier[open_p]]
    all_key = np.concatenate([key, open_key])
    all_p = np.concatenate([got["product"], open_p])
    all_q = np.concatenate([got["qty"], np.maximum(got["qty"][chosen], 1)])
    arrival = slots.reshape(-1)[all_key]
    is_open = np.concatenate([np.zeros(len(key), bool), np.ones(len(open_key), bool)])
    orders, line_order = np.unique(all_key, return_inverse=True)
    s = orders // n_slots
    lead = cat.lead_days[s]
    # Placed lead time (give or take) before it came; a fifth arrive late.
    arrive = slots.reshape(-1)[orders]
    late = rng.random(len(orders)) < 0.2
    slip = np.where(late, rng.integers(1, 8, len(orders)), -rng.integers(0, 3, len(orders)))
    ordered = np.maximum(arrive - (lead + slip) * DAY - rng.integers(0, DAY), start - 40 * DAY)
    ordered = np.minimum(ordered, end - rng.integers(DAY, 4 * DAY, len(orders)))
    expected = ordered + lead * DAY
    received = np.where(arrive < end, arrive, 0)
    received = np.where(np.isin(orders, all_key[is_open]) & (arrive >= end), 0, received)
    by_date = np.argsort(ordered, kind="stable")
    rank = np.empty_like(by_date)
    rank[by_date] = np.arange(len(by_date))
    years = (arrival - start) / (365 * DAY)
    cost = np.round(
        cat.cost_units[all_p] * (1 + 0.05 * years) * rng.uniform(0.97, 1.03, len(all_p))
    ).astype(np.int64)
    line_order = rank[line_order]
    line_sort = np.lexsort((all_p, line_order))
    return Purchases(
        supplier=s[by_date], location=s[by_date] % WAREHOUSES,
        ordered=ordered[by_date], expected=expected[by_date], received=received[by_date],
        line_order=line_order[line_sort], line_product=all_p[line_sort],
        line_qty=all_q[line_sort], line_cost=cost[line_sort],
    )  # fmt: skip
