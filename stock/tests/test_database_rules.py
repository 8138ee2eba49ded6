"""The database itself keeps the stock rules, whatever code (or person) sends the SQL."""

import pytest
from django.db import DatabaseError, IntegrityError, connection, transaction

from accounts.roles import Role
from products.tests.factories import ProductFactory
from stock import services
from stock.models import StockLevel, StockMovement
from stock.tests.factories import LocationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def movement(make_user):
    return services.stock_receive(
        actor=make_user(Role.MANAGER), product=ProductFactory(), location=LocationFactory(),
        quantity=5, unit_cost=2,
    )  # fmt: skip


def raw(sql: str, params=()):
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_raw_sql_cannot_update_a_ledger_row(movement):
    with pytest.raises(DatabaseError, match="append-only"):
        raw("UPDATE stock_stockmovement SET quantity = 50 WHERE id = %s", [movement.pk])


def test_raw_sql_cannot_delete_a_ledger_row(movement):
    with pytest.raises(DatabaseError, match="append-only"):
        raw("DELETE FROM stock_stockmovement WHERE id = %s", [movement.pk])
    assert StockMovement.objects.filter(pk=movement.pk).exists()


def test_the_orm_cannot_change_the_ledger_either(movement):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        StockMovement.objects.filter(pk=movement.pk).update(note="edited")


def test_raw_sql_cannot_set_on_hand_below_zero(movement):
    with pytest.raises(IntegrityError, match="stock_level_on_hand_gte_0"):
        raw("UPDATE stock_stocklevel SET on_hand = -1")


def test_raw_sql_cannot_reserve_more_than_is_on_hand(movement):
    with pytest.raises(IntegrityError, match="stock_level_reserved_within_on_hand"):
        raw("UPDATE stock_stocklevel SET reserved = on_hand + 1")


def test_a_movement_must_have_the_ends_its_kind_demands(movement):
    with pytest.raises(IntegrityError, match="stock_move_locations_match_kind"):
        raw(
            "INSERT INTO stock_stockmovement (kind, product_id, from_location_id, quantity, "
            "unit_cost, reason, note, user_id, created_at) "
            "VALUES ('receipt', %s, %s, 1, 0, '', '', %s, now())",
            [movement.product_id, movement.to_location_id, movement.user_id],
        )


def test_only_stock_services_write_stock_levels():
    """No module but stock/services.py may create or change StockLevel rows."""
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    writes = re.compile(
        r"StockLevel(\.objects)?[\w.()\[\]\"'=, ]*\.(create|update|save|bulk_create|bulk_update|"
        r"get_or_create|update_or_create|delete)\(|StockLevel\("
    )
    allowed = {root / "stock" / "services.py", root / "stock" / "models.py"}
    skipped = {".venv", "tests", "migrations"}
    offenders = []
    for path in root.rglob("*.py"):
        if skipped & set(path.parts) or path in allowed:
            continue
        for number, line in enumerate(path.read_text().splitlines(), 1):
            if writes.search(line):
                offenders.append(f"{path.relative_to(root)}:{number}")
    assert offenders == []
    assert StockLevel._meta.db_table == "stock_stocklevel"
