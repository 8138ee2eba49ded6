"""Replay the planned movements in time order into ledger rows, the way stock.services books
them: levels never below zero, receipts moving the product's average cost, every other movement
carrying the average of its moment (a customer return: the cost its sale left with)."""

from collections.abc import Iterator
from datetime import UTC, datetime

import numpy as np

from .plan import (
    COUNT_IN,
    COUNT_OUT,
    CUSTOMER_RETURN,
    DAMAGED,
    FOUND,
    RECEIPT,
    SALE,
    SUPPLIER_RETURN,
    TRANSFER,
)

KIND_NAMES = {
    RECEIPT: "receipt", CUSTOMER_RETURN: "customer_return", COUNT_IN: "count",
    FOUND: "adjustment", TRANSFER: "transfer", SALE: "sale", DAMAGED: "adjustment",
    COUNT_OUT: "count", SUPPLIER_RETURN: "supplier_return",
}  # fmt: skip
LOSS_REASONS = ["damaged", "lost", "expired"]
MOVEMENT_COLUMNS = (
    "id", "kind", "quantity", "unit_cost", "reason", "note", "created_at", "from_location_id",
    "product_id", "to_location_id", "user_id", "purchase_order_line_id", "sales_order_line_id",
    "average_cost",
)  # fmt: skip


class Stamps:
    """Epoch seconds -> 'YYYY-MM-DD HH:MM:SS+00', fast (one date string per day)."""

    def __init__(self):
        self.days: dict[int, str] = {}

    def __call__(self, seconds: int) -> str:
        day, rest = divmod(seconds, 86_400)
        prefix = self.days.get(day)
        if prefix is None:
            prefix = datetime.fromtimestamp(day * 86_400, UTC).strftime("%Y-%m-%d ")
            self.days[day] = prefix
        hour, rest = divmod(rest, 3600)
        return f"{prefix}{hour:02d}:{rest // 60:02d}:{rest % 60:02d}+00"


def money4(units: int) -> str:
    """1/10,000 units as a decimal string."""
    whole, frac = divmod(units, 10_000)
    return f"{whole}.{frac:04d}"


NULL = "\\N"


def ref(index: int) -> str:
    """A 0-based index as a 1-based id, -1 as NULL."""
    return str(index + 1) if index >= 0 else NULL


class LedgerError(AssertionError):
    """The plan would take stock below zero: a bug in the planner."""


class Ledger:
    """The replay's state: levels per (product, location) and the average cost per product."""

    def __init__(self, products: int, start_cost: np.ndarray):
        self.levels: dict[int, int] = {}  # product * 64 + location -> on hand
        self.held = [0] * products
        self.average = start_cost.tolist()
        self.stamp = Stamps()
        self.counts: dict[str, int] = {}

    def rows(
        self,
        moves: dict[str, np.ndarray],
        users: np.ndarray,
        so_number: list[str],
        so_line_order: np.ndarray,
        po_number: list[str],
        po_line_order: np.ndarray,
        reasons: np.ndarray,
        chunk: int = 50_000,
    ) -> Iterator[list[str]]:
        """Yield chunks of CSV lines (tab-separated, COPY text format), ids 1.. in time order.
        Raise LedgerError if any movement would take more than its location holds."""
        levels, held, average, stamp = self.levels, self.held, self.average, self.stamp
        sale_cost: dict[int, int] = {}
        columns = [moves[name].tolist() for name in ("time", "kind", "product", "src", "dst")]
        columns += [moves[name].tolist() for name in ("qty", "cost", "po_line", "so_line")]
        so_order, po_order = so_line_order.tolist(), po_line_order.tolist()
        users, reasons = users.tolist(), reasons.tolist()
        out: list[str] = []
        for i, (t, kind, p, src, dst, qty, cost, po_line, so_line) in enumerate(
            zip(*columns, strict=True)
        ):
            if src >= 0:
                key = p * 64 + src
                have = levels.get(key, 0)
                if have < qty:
                    raise LedgerError(
                        f"movement {i} ({KIND_NAMES[kind]}) takes {qty} of product {p + 1} "
                        f"at location {src + 1}, which holds {have}"
                    )
                levels[key] = have - qty
            if dst >= 0:
                key = p * 64 + dst
                levels[key] = levels.get(key, 0) + qty
            if kind == RECEIPT:
                before = held[p] if held[p] > 0 else 0
                total = before * average[p] + qty * cost
                # Half-up to 4 places, like Decimal.quantize on the exact quotient.
                average[p] = (2 * total + before + qty) // (2 * (before + qty))
                unit = cost
            elif kind == CUSTOMER_RETURN:
                unit = sale_cost.get(so_line, average[p])
            else:
                unit = average[p]
                if kind == SALE:
                    sale_cost[so_line] = unit
            if kind != TRANSFER:
                held[p] += (qty if dst >= 0 else 0) - (qty if src >= 0 else 0)
            name = KIND_NAMES[kind]
            self.counts[name] = self.counts.get(name, 0) + 1
            reason = ""
            if kind == FOUND:
                reason = "found"
            elif kind == DAMAGED:
                reason = LOSS_REASONS[reasons[i]]
            elif kind in (COUNT_IN, COUNT_OUT):
                reason = "correction"
            if so_line >= 0:
                note = so_number[so_order[so_line]]
            elif po_line >= 0:
                note = po_number[po_order[po_line]]
            else:
                note = ""
            out.append(
                f"{i + 1}\t{name}\t{qty}\t{money4(unit)}\t{reason}\t{note}\t{stamp(t)}\t"
                f"{ref(src)}\t{p + 1}\t{ref(dst)}\t{users[i]}\t{ref(po_line)}\t{ref(so_line)}\t"
                f"{money4(average[p])}\n"
            )
            if len(out) >= chunk:
                yield out
                out = []
        if out:
            yield out
