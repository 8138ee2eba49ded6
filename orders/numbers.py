"""Order numbers from PostgreSQL sequences (migration 0002): PO-000001, SO-000001."""

from django.db import connection

SEQUENCES = {
    "PO": "orders_purchase_order_number_seq",
    "SO": "orders_sales_order_number_seq",
}


def next_number(prefix: str) -> str:
    """Return the next number for `prefix` ("PO" or "SO"); a rolled-back order leaves a gap."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval(%s)", [SEQUENCES[prefix]])
        (value,) = cursor.fetchone()
    return f"{prefix}-{value:06d}"
