"""Indexes for the stock list pages at scale (100k products, 2M ledger rows).

Built CONCURRENTLY (the ledger takes writes meanwhile), hence not atomic. Created by SQL rather
than Meta.indexes: stock/models.py was not part of this change; moving them there later is a
state-only migration (SeparateDatabaseAndState) with the same names.
"""

from django.db import migrations

INDEXES = {
    # Movement history filtered by user or kind, newest first (as location and product are);
    # combined with a location they AND as bitmaps instead of visiting all its rows.
    "stock_move_user_idx": ("stock_stockmovement", "(user_id, created_at DESC)"),
    "stock_move_kind_idx": ("stock_stockmovement", "(kind, created_at DESC)"),
}


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("stock", "0005_movement_average_cost")]

    operations = [
        migrations.RunSQL(
            f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {name} ON {table} {columns}",
            f"DROP INDEX CONCURRENTLY IF EXISTS {name}",
        )
        for name, (table, columns) in INDEXES.items()
    ]
