"""Order numbers come from PostgreSQL sequences: unique and gap-tolerant under concurrency,
without a lock on a counter row."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("orders", "0001_initial")]

    operations = [
        migrations.RunSQL(
            "CREATE SEQUENCE orders_purchase_order_number_seq;"
            "CREATE SEQUENCE orders_sales_order_number_seq;",
            "DROP SEQUENCE orders_purchase_order_number_seq;"
            "DROP SEQUENCE orders_sales_order_number_seq;",
        )
    ]
