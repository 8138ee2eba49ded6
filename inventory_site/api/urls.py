"""The REST API, version 1: /api/v1/..."""

from django.contrib.auth.decorators import login_required
from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import SimpleRouter
from rest_framework_simplejwt.views import TokenRefreshView

from accounts.api import MeView, NotificationViewSet, TokenObtainView
from orders.api import CustomerViewSet
from orders.api_orders import CounterSaleView, PurchaseOrderViewSet, SalesOrderViewSet
from products.api import CategoryViewSet, ProductViewSet, TagViewSet
from reports.api import report_api_views
from reports.api_forecast import (
    ForecastRunViewSet,
    ForecastViewSet,
    ReorderPurchaseOrdersView,
    ReorderSuggestionsView,
)
from stock import api as stock_api
from stock import api_low_stock
from suppliers.api import SupplierProductViewSet, SupplierViewSet

app_name = "api"

router = SimpleRouter()
router.register("products", ProductViewSet, basename="product")
router.register("categories", CategoryViewSet, basename="category")
router.register("tags", TagViewSet, basename="tag")
router.register("suppliers", SupplierViewSet, basename="supplier")
router.register("supplier-products", SupplierProductViewSet, basename="supplier-product")
router.register("locations", stock_api.LocationViewSet, basename="location")
router.register("stock-levels", stock_api.StockLevelViewSet, basename="stock-level")
router.register("stock-movements", stock_api.MovementViewSet, basename="stock-movement")
router.register(
    "location-reorder-points", api_low_stock.LocationMinimumViewSet, basename="location-minimum"
)
router.register("notifications", NotificationViewSet, basename="notification")
router.register("customers", CustomerViewSet, basename="customer")
router.register("purchase-orders", PurchaseOrderViewSet, basename="purchase-order")
router.register("sales-orders", SalesOrderViewSet, basename="sales-order")
router.register("forecasts", ForecastViewSet, basename="forecast")
router.register("forecast-runs", ForecastRunViewSet, basename="forecast-run")

urlpatterns = [
    path("auth/token/", TokenObtainView.as_view(), name="token_obtain"),
    path("auth/token/refresh/", TokenRefreshView.as_view(), name="token_refresh"),
    path("me/", MeView.as_view(), name="me"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # Browsable docs are a page: an anonymous visitor is sent to the sign-in page.
    path(
        "docs/",
        login_required(SpectacularSwaggerSplitView.as_view(url_name="api:schema")),
        name="docs",
    ),
    path("stock/receive/", stock_api.ReceiveView.as_view(), name="stock-receive"),
    path("stock/adjust/", stock_api.AdjustView.as_view(), name="stock-adjust"),
    path("stock/transfer/", stock_api.TransferView.as_view(), name="stock-transfer"),
    path("stock/count/", stock_api.CountView.as_view(), name="stock-count"),
    path("stock/low/", api_low_stock.LowStockView.as_view(), name="stock-low"),
    path("counter-sales/", CounterSaleView.as_view(), name="counter-sale"),
    path("reorder-suggestions/", ReorderSuggestionsView.as_view(), name="reorder-suggestion-list"),
    path(
        "reorder-suggestions/purchase-orders/",
        ReorderPurchaseOrdersView.as_view(),
        name="reorder-suggestion-purchase-orders",
    ),
    *[
        path(f"reports/{slug}/", view.as_view(), name=f"report-{slug}")
        for slug, view in report_api_views().items()
    ],
    *router.urls,
]
