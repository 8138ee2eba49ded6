"""Stock snapshots (reports/snapshots.py): their tables, the ledger trigger that marks them stale
when a back-dated movement arrives, and the first snapshots of the ledger as it stands."""

import django.db.models.deletion
from django.db import migrations, models

# LOCK_KEY and SETTLE of reports/snapshots.py.
STALE = """
CREATE FUNCTION reports_stock_snapshot_stale() RETURNS trigger AS $$
DECLARE
    oldest timestamptz;
BEGIN
    SELECT MIN(created_at) INTO oldest FROM inserted;
    IF oldest IS NULL THEN
        RETURN NULL;
    END IF;
    -- Back-dated: wait for a snapshot being written, then mark it stale too.
    IF oldest < statement_timestamp() - interval '1 hour' THEN
        PERFORM pg_advisory_xact_lock_shared(730611006);
    END IF;
    UPDATE reports_stocksnapshot SET stale = TRUE WHERE as_of > oldest AND NOT stale;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER reports_stock_snapshot_stale
    AFTER INSERT ON stock_stockmovement
    REFERENCING NEW TABLE AS inserted
    FOR EACH STATEMENT EXECUTE FUNCTION reports_stock_snapshot_stale();
"""
NO_STALE = """
DROP TRIGGER reports_stock_snapshot_stale ON stock_stockmovement;
DROP FUNCTION reports_stock_snapshot_stale();
"""


def first_snapshots(apps, schema_editor):
    from reports.snapshots import refresh_snapshots  # raw SQL only, no models

    refresh_snapshots(using=schema_editor.connection.alias)


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0005_daily_sales"),
        ("products", "0001_initial"),
        ("stock", "0005_movement_average_cost"),
    ]

    operations = [
        migrations.CreateModel(
            name="StockSnapshot",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("as_of", models.DateTimeField(unique=True, verbose_name="as of")),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("quarter", "start of a quarter"),
                            ("day", "start of the latest day"),
                        ],
                        max_length=10,
                        verbose_name="kind",
                    ),
                ),
                ("stale", models.BooleanField(default=True, verbose_name="stale")),
                ("written_at", models.DateTimeField(auto_now=True, verbose_name="written")),
            ],
            options={
                "verbose_name": "stock snapshot",
                "verbose_name_plural": "stock snapshots",
                "ordering": ["as_of"],
            },
        ),
        migrations.CreateModel(
            name="StockSnapshotLine",
            fields=[
                (
                    "pk",
                    models.CompositePrimaryKey(
                        "snapshot",
                        "product",
                        "location",
                        blank=True,
                        editable=False,
                        primary_key=True,
                        serialize=False,
                    ),
                ),
                (
                    "snapshot",
                    models.ForeignKey(
                        db_constraint=False,
                        db_index=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="lines",
                        to="reports.stocksnapshot",
                    ),
                ),
                (
                    "product",
                    models.ForeignKey(
                        db_constraint=False,
                        db_index=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="products.product",
                    ),
                ),
                (
                    "location",
                    models.ForeignKey(
                        db_constraint=False,
                        db_index=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="stock.location",
                    ),
                ),
                ("quantity", models.DecimalField(decimal_places=3, max_digits=14)),
                ("sold_quantity", models.DecimalField(decimal_places=3, max_digits=14)),
                ("sold_cost", models.DecimalField(decimal_places=4, max_digits=24)),
                ("last_sale", models.DateTimeField(null=True)),
                ("last_receipt", models.DateTimeField(null=True)),
                ("average_cost", models.DecimalField(decimal_places=4, max_digits=16, null=True)),
            ],
        ),
        migrations.RunSQL(STALE, NO_STALE),
        migrations.RunPython(first_snapshots, migrations.RunPython.noop, elidable=True),
    ]
