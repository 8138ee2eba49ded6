"""The sales fact view: ledger sales and customer returns of order lines, and imported history.

Revenue is the movement's share of its line's amount after discount, before tax; cost is the
ledger's unit cost at the time. Returns and imported returns are negative.
"""

from django.db import migrations

VIEW = """
CREATE VIEW reports_sales_fact AS
SELECT m.id * 2 AS id, m.created_at AS occurred_at, m.product_id,
       m.from_location_id AS location_id, o.customer_id, o.id AS sales_order_id,
       o.number AS document, o.channel, o.payment_method,
       m.quantity AS quantity,
       m.quantity * (l.gross_amount - l.discount_amount) / l.quantity AS revenue,
       m.quantity * m.unit_cost AS cost, false AS imported
  FROM stock_stockmovement m
  JOIN orders_salesorderline l ON l.id = m.sales_order_line_id
  JOIN orders_salesorder o ON o.id = l.order_id
 WHERE m.kind = 'sale'
UNION ALL
SELECT m.id * 2, m.created_at, m.product_id, m.to_location_id, o.customer_id, o.id,
       o.number, o.channel, o.payment_method,
       -m.quantity,
       -m.quantity * (l.gross_amount - l.discount_amount) / l.quantity,
       -m.quantity * m.unit_cost, false
  FROM stock_stockmovement m
  JOIN orders_salesorderline l ON l.id = m.sales_order_line_id
  JOIN orders_salesorder o ON o.id = l.order_id
 WHERE m.kind = 'customer_return'
UNION ALL
SELECT i.id * 2 + 1, i.occurred_at, i.product_id, i.location_id, i.customer_id, NULL,
       i.document_number, 'imported', '',
       i.quantity, i.revenue::numeric, i.quantity * i.unit_cost, true
  FROM reports_importedsale i
"""


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0001_initial"),
        ("orders", "0005_rendered_documents"),
        ("stock", "0004_movement_order_lines"),
    ]

    operations = [
        migrations.RunSQL(VIEW, "DROP VIEW IF EXISTS reports_sales_fact"),
    ]
