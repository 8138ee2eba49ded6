"""Record on every movement the product's moving-average cost right after it, and fill it in
for the ledger as it stands by replaying stock.services' arithmetic in the order the rows were
booked (primary key):

- a receipt moves the average: (held * average + quantity * unit cost) / (held + quantity),
  held being the product's stock over all locations before it (never below zero), rounded
  to 4 places like Product.cost_price;
- a customer return leaves it as it was;
- every other movement copied the average of its moment into its unit cost.

The ledger refuses UPDATE (migration 0002), so its trigger is off while the column is filled,
inside this migration's transaction.
"""

from decimal import Decimal

from django.db import migrations, models

COST_PLACES = Decimal("0.0001")
BATCH = 5000
FILL = """
UPDATE stock_stockmovement AS m SET average_cost = v.cost
  FROM unnest(%s::bigint[], %s::numeric[]) AS v(id, cost)
 WHERE m.id = v.id
"""


def fill_average_cost(apps, schema_editor):
    StockMovement = apps.get_model("stock", "StockMovement")
    rows = (
        StockMovement.objects.order_by("product_id", "pk")
        .values_list("pk", "product_id", "kind", "quantity", "unit_cost", "from_location_id",
                     "to_location_id")
        .iterator(chunk_size=BATCH)
    )  # fmt: skip
    cursor = schema_editor.connection.cursor()
    cursor.execute("ALTER TABLE stock_stockmovement DISABLE TRIGGER stock_movement_append_only")
    product, held, average = None, Decimal(0), None
    ids, costs = [], []
    for pk, product_id, kind, quantity, unit_cost, from_id, to_id in rows:
        if product_id != product:
            product, held, average = product_id, Decimal(0), None
        if kind == "receipt":
            before = max(held, Decimal(0))
            average = (before * (average or 0) + quantity * unit_cost) / (before + quantity)
            average = average.quantize(COST_PLACES)
        elif kind != "customer_return" or average is None:
            average = unit_cost
        held += (quantity if to_id else 0) - (quantity if from_id else 0)
        ids.append(pk)
        costs.append(average)
        if len(ids) == BATCH:
            cursor.execute(FILL, [ids, costs])
            ids, costs = [], []
    if ids:
        cursor.execute(FILL, [ids, costs])
    cursor.execute("ALTER TABLE stock_stockmovement ENABLE TRIGGER stock_movement_append_only")


class Migration(migrations.Migration):
    dependencies = [("stock", "0004_movement_order_lines")]

    operations = [
        migrations.AddField(
            model_name="stockmovement",
            name="average_cost",
            field=models.DecimalField(
                blank=True,
                decimal_places=4,
                editable=False,
                max_digits=16,
                null=True,
                verbose_name="average cost after",
            ),
        ),
        migrations.RunPython(fill_average_cost, migrations.RunPython.noop, elidable=True),
    ]
