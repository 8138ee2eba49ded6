from django.urls import path, re_path

from .views import customers, purchasing

app_name = "orders"

urlpatterns = [
    path("customers/", customers.CustomerListView.as_view(), name="customer_list"),
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
]
