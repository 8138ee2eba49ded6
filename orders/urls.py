from django.urls import path, re_path

from .views import customers, documents, pos, purchasing, sales

app_name = "orders"

urlpatterns = [
    path("customers/", customers.CustomerListView.as_view(), name="customer_list"),
    path(
        "customers/autocomplete/",
        customers.CustomerAutocompleteView.as_view(),
        name="customer_autocomplete",
    ),
    path("customers/new/", customers.CustomerFormView.as_view(), name="customer_create"),
    path("customers/<int:pk>/", customers.CustomerDetailView.as_view(), name="customer_detail"),
    path("customers/<int:pk>/edit/", customers.CustomerFormView.as_view(), name="customer_update"),
    path("purchases/", purchasing.PurchaseOrderListView.as_view(), name="purchase_order_list"),
    path(
        "purchases/new/", purchasing.PurchaseOrderFormView.as_view(), name="purchase_order_create"
    ),
    path(
        "purchases/<int:pk>/",
        purchasing.PurchaseOrderDetailView.as_view(),
        name="purchase_order_detail",
    ),
    path(
        "purchases/<int:pk>/edit/",
        purchasing.PurchaseOrderFormView.as_view(),
        name="purchase_order_update",
    ),
    path(
        "purchases/<int:pk>/receive/",
        purchasing.PurchaseOrderReceiveView.as_view(),
        name="purchase_order_receive",
    ),
    path(
        "purchases/<int:pk>/delete/",
        purchasing.PurchaseOrderDeleteView.as_view(),
        name="purchase_order_delete",
    ),
    re_path(
        r"^purchases/(?P<pk>[0-9]+)/(?P<action>place|cancel|close)/$",
        purchasing.PurchaseOrderActionView.as_view(),
        name="purchase_order_action",
    ),
    path("sales/", sales.SalesOrderListView.as_view(), name="sales_order_list"),
    path("sales/new/", sales.SalesOrderFormView.as_view(), name="sales_order_create"),
    path("sales/day/", sales.DailySummaryView.as_view(), name="daily_summary"),
    path("sales/<int:pk>/", sales.SalesOrderDetailView.as_view(), name="sales_order_detail"),
    path("sales/<int:pk>/edit/", sales.SalesOrderFormView.as_view(), name="sales_order_update"),
    path("sales/<int:pk>/fulfil/", sales.SalesOrderFulfilView.as_view(), name="sales_order_fulfil"),
    path("sales/<int:pk>/return/", sales.SalesOrderReturnView.as_view(), name="sales_order_return"),
    path("sales/<int:pk>/delete/", sales.SalesOrderDeleteView.as_view(), name="sales_order_delete"),
    re_path(
        r"^sales/(?P<pk>[0-9]+)/(?P<action>confirm|complete|cancel)/$",
        sales.SalesOrderActionView.as_view(),
        name="sales_order_action",
    ),
    path("counter/", pos.CounterView.as_view(), name="counter"),
    path("sales/<int:pk>/receipt/", pos.ReceiptView.as_view(), name="sales_receipt"),
    path("sales/<int:pk>/invoice.pdf", documents.InvoicePdfView.as_view(), name="invoice_pdf"),
    path("sales/<int:pk>/receipt.pdf", documents.ReceiptPdfView.as_view(), name="receipt_pdf"),
    path(
        "purchases/<int:pk>/order.pdf",
        documents.PurchaseOrderPdfView.as_view(),
        name="purchase_order_pdf",
    ),
]
