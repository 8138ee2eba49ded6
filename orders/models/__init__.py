"""Orders: customers, purchase orders (buying in) and sales orders (selling, POS included),
and the history of every status change."""

from .company import CompanyProfile
from .customers import Customer
from .documents import RenderedDocument
from .history import OrderStatusChange
from .purchasing import PurchaseOrder, PurchaseOrderLine
from .sales import SalesOrder, SalesOrderLine, SalesReturn, SalesReturnLine

__all__ = [
    "CompanyProfile",
    "Customer",
    "OrderStatusChange",
    "PurchaseOrder",
    "PurchaseOrderLine",
    "RenderedDocument",
    "SalesOrder",
    "SalesOrderLine",
    "SalesReturn",
    "SalesReturnLine",
]
