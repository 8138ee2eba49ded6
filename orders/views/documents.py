"""PDF documents: invoices, counter receipts and purchase orders."""

from django.contrib.auth.mixins import PermissionRequiredMixin
from django.shortcuts import get_object_or_404
from django.views import View

from ..documents import invoice_pdf, pdf_response, purchase_order_pdf, receipt_pdf
from ..models import PurchaseOrder, SalesOrder
from ..selectors import visible_to


class InvoicePdfView(PermissionRequiredMixin, View):
    """Anyone who may see the order (staff: their locations' orders)."""

    permission_required = "orders.view_salesorder"

    def get(self, request, pk):
        orders = SalesOrder.objects.select_related("customer", "location")
        order = get_object_or_404(visible_to(request.user, orders), pk=pk)
        download = request.GET.get("download") == "1"
        return pdf_response(invoice_pdf(order), f"invoice-{order.number}", inline=not download)


class ReceiptPdfView(PermissionRequiredMixin, View):
    permission_required = "orders.view_salesorder"

    def get(self, request, pk):
        order = get_object_or_404(
            visible_to(request.user, SalesOrder.objects.select_related("location")), pk=pk
        )
        return pdf_response(receipt_pdf(order), f"receipt-{order.number}")


class PurchaseOrderPdfView(PermissionRequiredMixin, View):
    """Managers and admins: it shows costs, which staff never see."""

    permission_required = ("orders.view_purchaseorder", "products.view_cost_price")

    def get(self, request, pk):
        orders = PurchaseOrder.objects.select_related("supplier", "location")
        order = get_object_or_404(visible_to(request.user, orders), pk=pk)
        return pdf_response(purchase_order_pdf(order), f"purchase-order-{order.number}")
