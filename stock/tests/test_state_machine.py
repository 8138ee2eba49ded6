"""Random sequences of stock actions: after every step, levels are non-negative, reservations
fit within on-hand, every level equals its ledger, each action succeeded exactly when a simple
model of the shop says it should, and low stock was announced once per fall to the reorder
point."""

from collections import defaultdict
from decimal import Decimal

from django.db import transaction
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test

from accounts.models import Notification
from accounts.roles import Role
from accounts.tests.factories import UserFactory
from products.models import Product
from products.tests.factories import ProductFactory
from stock import services
from stock.models import LowStockAlert, StockLevel
from stock.selectors import stock_mismatches
from stock.services import InsufficientStock, StockError, TransferLine
from stock.tests.factories import LocationFactory

QUANTITIES = st.integers(min_value=1, max_value=20).map(Decimal)
PICK = st.integers(min_value=0, max_value=2)


class StockMachine(RuleBasedStateMachine):
    def __init__(self):
        super().__init__()
        # Each example runs in its own savepoint, rolled back in teardown().
        self._atomic = transaction.atomic()
        self._atomic.__enter__()
        self.actor = UserFactory(role=Role.MANAGER)
        self.products = ProductFactory.create_batch(3)
        self.locations = LocationFactory.create_batch(3)
        self.on_hand = defaultdict(Decimal)  # (product index, location index) -> expected
        self.reserved = defaultdict(Decimal)
        # Low-stock alerts over all locations: which products are announced, how many times.
        self.last_totals = [Decimal(0)] * 3
        self.alerted, self.announcements = set(), 0

    def available(self, p, loc) -> Decimal:
        return self.on_hand[p, loc] - self.reserved[p, loc]

    @rule(p=PICK, loc=PICK, quantity=QUANTITIES, cost=st.integers(0, 500))
    def receive(self, p, loc, quantity, cost):
        services.stock_receive(
            actor=self.actor, product=self.products[p], location=self.locations[loc],
            quantity=quantity, unit_cost=cost,
        )  # fmt: skip
        self.on_hand[p, loc] += quantity

    @rule(p=PICK, loc=PICK, quantity=QUANTITIES)
    def issue(self, p, loc, quantity):
        enough = self.available(p, loc) >= quantity
        try:
            services.stock_issue(
                actor=self.actor, product=self.products[p], location=self.locations[loc],
                quantity=quantity,
            )  # fmt: skip
        except InsufficientStock:
            assert not enough
        else:
            assert enough
            self.on_hand[p, loc] -= quantity

    @rule(p=PICK, source=PICK, dest=PICK, quantity=QUANTITIES)
    def transfer(self, p, source, dest, quantity):
        line = [TransferLine(self.products[p], quantity)]
        ok = source != dest and self.available(p, source) >= quantity
        try:
            services.stock_transfer(
                actor=self.actor, from_location=self.locations[source],
                to_location=self.locations[dest], lines=line,
            )  # fmt: skip
        except StockError:
            assert not ok
        else:
            assert ok
            self.on_hand[p, source] -= quantity
            self.on_hand[p, dest] += quantity

    @rule(p=PICK, loc=PICK, change=st.integers(-20, 20).filter(bool).map(Decimal))
    def adjust(self, p, loc, change):
        ok = change > 0 or self.available(p, loc) >= -change
        try:
            services.stock_adjust(
                actor=self.actor, product=self.products[p], location=self.locations[loc],
                change=change, reason="correction",
            )  # fmt: skip
        except InsufficientStock:
            assert not ok
        else:
            assert ok
            self.on_hand[p, loc] += change

    @rule(p=PICK, loc=PICK, counted=st.integers(0, 40).map(Decimal))
    def count(self, p, loc, counted):
        ok = counted >= self.reserved[p, loc]
        try:
            services.stock_count(
                actor=self.actor, location=self.locations[loc], counts={self.products[p]: counted}
            )
        except StockError:
            assert not ok
        else:
            assert ok
            self.on_hand[p, loc] = counted

    @rule(p=PICK, loc=PICK, quantity=QUANTITIES)
    def reserve(self, p, loc, quantity):
        ok = self.available(p, loc) >= quantity
        try:
            services.stock_reserve(
                actor=self.actor, product=self.products[p], location=self.locations[loc],
                quantity=quantity,
            )  # fmt: skip
        except InsufficientStock:
            assert not ok
        else:
            assert ok
            self.reserved[p, loc] += quantity

    @rule(p=PICK, loc=PICK, quantity=QUANTITIES)
    def release(self, p, loc, quantity):
        ok = self.reserved[p, loc] >= quantity
        try:
            services.stock_release(
                actor=self.actor, product=self.products[p], location=self.locations[loc],
                quantity=quantity,
            )  # fmt: skip
        except StockError:
            assert not ok
        else:
            assert ok
            self.reserved[p, loc] -= quantity

    def teardown(self):
        transaction.set_rollback(True)
        self._atomic.__exit__(None, None, None)

    @invariant()
    def levels_match_the_model_and_the_ledger(self):
        for level in StockLevel.objects.all():
            key = (self.products.index(level.product), self.locations.index(level.location))
            assert level.on_hand == self.on_hand[key] >= 0
            assert 0 <= level.reserved == self.reserved[key] <= level.on_hand
        assert stock_mismatches() == []

    @invariant()
    def each_fall_to_the_reorder_point_is_announced_once(self):
        for p, product in enumerate(self.products):
            total = sum(self.available(p, loc) for loc in range(3))
            if total > product.reorder_point:
                self.alerted.discard(p)
            elif total < self.last_totals[p] and p not in self.alerted:
                self.alerted.add(p)
                self.announcements += 1
            self.last_totals[p] = total
        alerts = LowStockAlert.objects.filter(location=None).values_list("product", flat=True)
        assert {self.products.index(Product(pk=pk)) for pk in alerts} == self.alerted
        assert Notification.objects.filter(recipient=self.actor).count() == self.announcements


class StockStateMachineTest(TestCase):
    def test_random_stock_actions_keep_every_invariant(self):
        run_state_machine_as_test(
            StockMachine, settings=settings(max_examples=40, stateful_step_count=25, deadline=None)
        )
