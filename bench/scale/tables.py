"""Rows of every table but the ledger, as COPY text lines built from the plan."""

from collections.abc import Iterator

import numpy as np

from .ledger import NULL, Stamps, money4, ref
from .plan import DAY, LOCATIONS, WAREHOUSES, Catalogue, Purchases, Sales


def words(text: str) -> list[str]:
    return text.split()


BRANDS = words(
    "Sinar Jaya Makmur Sentosa Indah Abadi Mulia Prima Nusantara Bintang Cahaya Harapan Maju "
    "Surya Rejeki Berkah Mitra Karya Mandiri Setia Anugerah Bahari Cemerlang Gemilang Lestari"
)
NOUNS = words(
    "kopi teh gula beras susu roti sabun minyak garam sampo pasta sikat tisu kecap saus sambal "
    "mie biskuit wafer cokelat permen sirup jus air deterjen pewangi pembersih lampu baterai "
    "kabel obeng palu paku sekrup cat kuas lem selotip buku pena pensil spidol map amplop "
    "kertas "
    "gelas piring sendok garpu panci wajan ember sapu pel handuk kaos kaus-kaki topi tas payung"
)
VARIANTS = words(
    "original premium super hemat ekstra mini jumbo klasik spesial lite plus pro gold silver "
    "merah hijau biru putih hitam manis pedas asin vanila stroberi mangga jeruk melon pandan"
)
SIZES = words("50g 100g 200g 250g 500g 1kg 2kg 5kg 100ml 250ml 500ml 1l 2l 5l 1pcs 2pcs 6pcs 12pcs")
UNITS = ["pcs", "pcs", "pcs", "box", "pack", "kg", "l"]
CITIES = words(
    "Jakarta Bandung Surabaya Medan Semarang Makassar Palembang Denpasar Yogyakarta Malang "
    "Bogor Depok Tangerang Bekasi Solo Padang Pekanbaru Balikpapan Manado Pontianak"
)
STATUS_SO = {0: "completed", 1: "cancelled"}
PAYMENTS = ["cash", "card", "transfer"]
RETURN_REASONS = ["damaged", "wrong_item", "not_wanted", "other"]


def cents(value: int) -> str:
    sign = "-" if value < 0 else ""
    whole, frac = divmod(abs(value), 100)
    return f"{sign}{whole}.{frac:02d}"


def ean13(n: int) -> str:
    body = f"899{n:09d}"
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(body))
    return body + str((10 - total % 10) % 10)


def locations() -> Iterator[str]:
    for i in range(LOCATIONS):
        city = CITIES[i % len(CITIES)]
        if i < WAREHOUSES:
            yield f"{i + 1}\tWarehouse {city}\twarehouse\tJl. Industri {i + 1}, {city}\tt\n"
        else:
            name = f"Store {city} {i - WAREHOUSES + 1:02d}"
            yield f"{i + 1}\t{name}\tstore\tJl. Raya {i}, {city}\tt\n"


def users(count: int, password: str, joined: str) -> tuple[list[str], list[str], dict]:
    """User rows, their group rows, and staff per location (location index -> user ids).

    5% admins, 15% managers (user 1 of them is `bench-manager`), the rest staff spread over
    the locations."""
    rows, groups, staff = [], [], {loc: [] for loc in range(LOCATIONS)}
    admins = max(1, count // 20)
    managers = max(2, count * 15 // 100)
    for i in range(count):
        uid = i + 1
        if i == 0:
            name, group = "bench-manager", 2
        elif i < 1 + admins:
            name, group = f"admin{i:03d}", 1
        elif i < 1 + admins + managers:
            name, group = f"manager{i:03d}", 2
        else:
            name, group = f"staff{i:03d}", 3
        superuser = "f"
        is_staff = "t" if group == 1 else "f"
        rows.append(
            f"{uid}\t{password}\t{NULL}\t{superuser}\t{name}\t{name.title()}\tBench\t{is_staff}\t"
            f"t\t{joined}\t{name}@bench.example\t\n"
        )
        groups.append(f"{uid}\t{uid}\t{group}\n")
        if group == 3:
            staff[(i - 1 - admins - managers) % LOCATIONS].append(uid)
    return rows, groups, staff


def categories(shape: tuple[int, int, int]) -> tuple[list[str], np.ndarray]:
    """A three-level tree; return the rows and the id of each leaf (leaf index -> id)."""
    rows, leaves = [], []
    next_id = 1
    for a in range(shape[0]):
        top = next_id
        rows.append(f"{top}\t{NOUNS[a % len(NOUNS)].title()} & more {a + 1}\t{NULL}\n")
        next_id += 1
        for b in range(shape[1]):
            mid = next_id
            rows.append(f"{mid}\tAisle {a + 1}.{b + 1}\t{top}\n")
            next_id += 1
            for c in range(shape[2]):
                rows.append(f"{next_id}\tShelf {a + 1}.{b + 1}.{c + 1}\t{mid}\n")
                leaves.append(next_id)
                next_id += 1
    return rows, np.array(leaves)


def suppliers(count: int, created: str) -> Iterator[str]:
    for s in range(count):
        city = CITIES[s % len(CITIES)]
        name = f"PT {BRANDS[s % len(BRANDS)]} {BRANDS[(s // len(BRANDS)) % len(BRANDS)]} {s + 1}"
        yield (
            f"{s + 1}\t{name}\tContact {s + 1}\t+62 21 {5550000 + s}\tsales{s + 1}@supplier.example"
            f"\tJl. Gudang {s + 1}, {city}\t\tt\t{created}\t{created}\n"
        )


def customers(count: int, created: str) -> Iterator[str]:
    for c in range(count):
        city = CITIES[c % len(CITIES)]
        kind = "Toko" if c % 3 else "CV"
        name = f"{kind} {BRANDS[c % len(BRANDS)]} {VARIANTS[c % len(VARIANTS)].title()} {c + 1}"
        yield (
            f"{c + 1}\t{name}\t\t+62 812 {1000000 + c}\tbuyer{c + 1}@customer.example\t"
            f"Jl. Pasar {c + 1}, {city}\t\t\tt\t{created}\t{created}\n"
        )


def products(rng, cat: Catalogue, leaf_ids, final_cost, reorder, created) -> Iterator[str]:
    n = len(cat.supplier)
    brand = rng.integers(0, len(BRANDS), n).tolist()
    noun = rng.integers(0, len(NOUNS), n).tolist()
    variant = rng.integers(0, len(VARIANTS), n).tolist()
    size = rng.integers(0, len(SIZES), n).tolist()
    unit = rng.integers(0, len(UNITS), n).tolist()
    no_barcode = (rng.random(n) < 0.1).tolist()
    category = leaf_ids[cat.category].tolist()
    supplier = cat.supplier.tolist()
    sale, tax = cat.sale_cents.tolist(), cat.tax_bp.tolist()
    point, quantity = reorder
    point, quantity, cost = point.tolist(), quantity.tolist(), final_cost
    active = cat.active.tolist()
    for p in range(n):
        name = f"{BRANDS[brand[p]]} {NOUNS[noun[p]]} {VARIANTS[variant[p]]} {SIZES[size[p]]}"
        sku = f"{NOUNS[noun[p]][:3].upper()}-{p + 1:06d}"
        barcode = NULL if no_barcode[p] else ean13(p + 1)
        yield (
            f"{p + 1}\t{sku}\t{barcode}\t{name.title()}\t{name} from {BRANDS[brand[p]]}\t"
            f"{UNITS[unit[p]]}\t{money4(cost[p])}\t{cents(sale[p])}\t{cents(tax[p])}\t"
            f"{point[p]}\t{quantity[p]}\t\t{'t' if active[p] else 'f'}\t{created}\t{created}\t"
            f"{category[p]}\t{supplier[p] + 1}\n"
        )


def product_tags(rng, n_products: int, n_tags: int) -> Iterator[str]:
    tagged = np.flatnonzero(rng.random(n_products) < 0.3)
    tags = rng.integers(0, n_tags, len(tagged))
    for i, (p, t) in enumerate(zip(tagged.tolist(), tags.tolist(), strict=True)):
        yield f"{i + 1}\t{p + 1}\t{t + 1}\n"


def supplier_products(rng, cat: Catalogue, n_suppliers: int, updated: str) -> Iterator[str]:
    """The preferred supplier of every product, and a second one for half of them."""
    n = len(cat.supplier)
    second = np.flatnonzero(rng.random(n) < 0.5)
    other = (cat.supplier[second] + rng.integers(1, n_suppliers, len(second))) % n_suppliers
    product = np.concatenate([np.arange(n), second])
    supplier = np.concatenate([cat.supplier, other])
    markup = np.concatenate([np.ones(n), rng.uniform(0.95, 1.15, len(second))])
    price = np.round(cat.cost_units[product] * markup).astype(np.int64).tolist()
    lead = np.where(
        np.arange(len(product)) < n,
        cat.lead_days[supplier],
        rng.integers(2, 31, len(product)),
    ).tolist()
    moq = np.concatenate([cat.moq, rng.choice([1, 6, 12], len(second))]).tolist()
    for i, (p, s) in enumerate(zip(product.tolist(), supplier.tolist(), strict=True)):
        yield (
            f"{i + 1}\tS{s + 1}-{p + 1}\t{money4(price[i])}\t{lead[i]}\t{moq[i]}\t{updated}\t"
            f"{p + 1}\t{s + 1}\n"
        )


def sales_orders(sales: Sales, totals, numbers: list[str], stamp: Stamps) -> Iterator[str]:
    subtotal, discount, tax = (a.tolist() for a in totals)
    times, loc = sales.time.tolist(), sales.location.tolist()
    customer, channel = sales.customer.tolist(), sales.channel.tolist()
    payment, cancelled, user = sales.payment.tolist(), sales.cancelled.tolist(), sales.user.tolist()
    for o in range(len(times)):
        when = stamp(times[o])
        total = subtotal[o] - discount[o] + tax[o]
        status = "cancelled" if cancelled[o] else "completed"
        paid = NULL if cancelled[o] else cents(total)
        yield (
            f"{o + 1}\t{numbers[o]}\t{status}\t{'order' if channel[o] else 'counter'}\t"
            f"{when[:10]}\t\t{PAYMENTS[payment[o]]}\t{paid}\t{NULL}\t{cents(subtotal[o])}\t"
            f"{cents(discount[o])}\t{cents(tax[o])}\t{cents(total)}\t{when}\t{when}\t{user[o]}\t"
            f"{ref(customer[o])}\t{loc[o] + 1}\n"
        )


def line_amounts(sales: Sales, cat: Catalogue):
    """orders.pricing in integers: gross, discount and tax per line in cents, half-up once."""
    price = cat.sale_cents[sales.line_product]
    gross = sales.line_qty * price
    discount = (gross * sales.line_discount + 50) // 100
    tax = ((gross - discount) * cat.tax_bp[sales.line_product] + 5000) // 10_000
    return price, gross, discount, tax


def order_totals(sales: Sales, gross, discount, tax):
    totals = []
    for amount in (gross, discount, tax):
        total = np.zeros(len(sales.time), np.int64)
        np.add.at(total, sales.line_order, amount)
        totals.append(total)
    return totals


def sales_lines(sales: Sales, cat: Catalogue, amounts) -> Iterator[str]:
    price, gross, discount, tax = (a.tolist() for a in amounts)
    qty, pct = sales.line_qty.tolist(), sales.line_discount.tolist()
    rate = cat.tax_bp[sales.line_product].tolist()
    order, product = sales.line_order.tolist(), sales.line_product.tolist()
    cancelled = sales.cancelled[sales.line_order].tolist()
    returned = sales.returned.tolist()
    for i in range(len(qty)):
        fulfilled = 0 if cancelled[i] else qty[i]
        yield (
            f"{i + 1}\t{qty[i]}\t{cents(price[i])}\t{pct[i]}\t{cents(rate[i])}\t{cents(gross[i])}\t"
            f"{cents(discount[i])}\t{cents(tax[i])}\t{fulfilled}\t{returned[i]}\t{order[i] + 1}\t"
            f"{product[i] + 1}\n"
        )


def sales_returns(rng, sales: Sales, stamp: Stamps) -> tuple[list[str], list[str]]:
    """One customer return per returned line (its own visit to the shop)."""
    lines = np.flatnonzero(sales.returned > 0)
    reason = rng.integers(0, len(RETURN_REASONS), len(lines)).tolist()
    head, body = [], []
    for i, line in enumerate(lines.tolist()):
        order = int(sales.line_order[line])
        head.append(
            f"{i + 1}\t{RETURN_REASONS[reason[i]]}\t\t{stamp(int(sales.return_time[line]))}\t"
            f"{order + 1}\t{int(sales.user[order])}\n"
        )
        body.append(f"{i + 1}\t{int(sales.returned[line])}\t{line + 1}\t{i + 1}\n")
    return head, body


def purchase_orders(po: Purchases, numbers, users, stamp: Stamps) -> Iterator[str]:
    ordered, expected, received = po.ordered.tolist(), po.expected.tolist(), po.received.tolist()
    supplier, location = po.supplier.tolist(), po.location.tolist()
    for o in range(len(ordered)):
        status = "received" if received[o] else "ordered"
        when = stamp(ordered[o])
        updated = stamp(received[o]) if received[o] else when
        yield (
            f"{o + 1}\t{numbers[o]}\t{status}\t{when[:10]}\t{stamp(expected[o])[:10]}\t\t{when}\t"
            f"{updated}\t{users[o]}\t{location[o] + 1}\t{supplier[o] + 1}\n"
        )


def purchase_lines(po: Purchases) -> Iterator[str]:
    received = (po.received[po.line_order] > 0).tolist()
    qty, cost = po.line_qty.tolist(), po.line_cost.tolist()
    order, product = po.line_order.tolist(), po.line_product.tolist()
    for i in range(len(qty)):
        got = qty[i] if received[i] else 0
        yield f"{i + 1}\t{qty[i]}\t{money4(cost[i])}\t{got}\t{order[i] + 1}\t{product[i] + 1}\n"


def status_changes(sales: Sales, po: Purchases, po_users, stamp: Stamps) -> Iterator[str]:
    """What orders.services.history writes: sales straight to their final status, purchase
    orders ordered, then received."""
    n = 0
    for o, (t, gone, user) in enumerate(
        zip(sales.time.tolist(), sales.cancelled.tolist(), sales.user.tolist(), strict=True)
    ):
        n += 1
        status = "cancelled" if gone else "completed"
        yield f"{n}\t\t{status}\thistory\t{stamp(t)}\t{user}\t{NULL}\t{o + 1}\n"
    for o, (ordered, received) in enumerate(
        zip(po.ordered.tolist(), po.received.tolist(), strict=True)
    ):
        n += 1
        yield f"{n}\t\tordered\thistory\t{stamp(ordered)}\t{po_users[o]}\t{o + 1}\t{NULL}\n"
        if received:
            n += 1
            yield (
                f"{n}\tordered\treceived\thistory\t{stamp(received)}\t{po_users[o]}\t{o + 1}\t"
                f"{NULL}\n"
            )


def stock_levels(levels: dict[int, int], updated: str) -> Iterator[str]:
    for i, key in enumerate(sorted(levels)):
        yield f"{i + 1}\t{levels[key]}\t0\t{updated}\t{key % 64 + 1}\t{key // 64 + 1}\n"


def low_stock_alerts(levels: dict[int, int], point: np.ndarray, active, since: str):
    """An alert row for every product whose stock over all locations is at or below its reorder
    point, as if announced already (so the benchmark's sales do not announce them all again)."""
    total = np.zeros(len(point), np.int64)
    for key, on_hand in levels.items():
        total[key // 64] += on_hand
    low = np.flatnonzero((point > 0) & (total <= point) & active)
    for i, p in enumerate(low.tolist()):
        yield f"{i + 1}\t{total[p]}\t{point[p]}\t{since}\t{NULL}\t{p + 1}\n"


def location_users(staff: dict[int, list[int]]) -> Iterator[str]:
    n = 0
    for loc, ids in staff.items():
        for uid in ids:
            n += 1
            yield f"{n}\t{loc + 1}\t{uid}\n"


def reorder_points(average_per_slot, lead_days, supplier, slot_days) -> tuple:
    """Reorder point: demand over the lead time plus a third of a delivery's worth; reorder
    quantity: a delivery's worth (0 for products nobody buys)."""
    per_day = average_per_slot / slot_days
    point = np.ceil(per_day * lead_days[supplier] + average_per_slot / 3).astype(np.int64)
    quantity = np.ceil(average_per_slot).astype(np.int64)
    return point, quantity


__all__ = ["DAY"]
