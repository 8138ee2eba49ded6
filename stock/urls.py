from django.urls import path

from . import views

app_name = "stock"

urlpatterns = [
    path("", views.StockOverviewView.as_view(), name="overview"),
    path("movements/", views.MovementListView.as_view(), name="movement_list"),
    path("movements/export.csv", views.MovementExportView.as_view(), name="movement_export"),
    path(
        "movements/users/autocomplete/",
        views.UserAutocompleteView.as_view(),
        name="user_autocomplete",
    ),
    path("receive/", views.ReceiveView.as_view(), name="receive"),
    path("adjust/", views.AdjustView.as_view(), name="adjust"),
    path("transfer/", views.TransferView.as_view(), name="transfer"),
    path("count/", views.CountView.as_view(), name="count"),
    path("low/", views.LowStockView.as_view(), name="low_stock"),
    path(
        "products/<int:pk>/reorder-points/",
        views.LocationMinimumsView.as_view(),
        name="location_minimums",
    ),
    path("locations/", views.LocationListView.as_view(), name="location_list"),
    path("locations/new/", views.LocationFormView.as_view(), name="location_create"),
    path("locations/<int:pk>/", views.LocationFormView.as_view(), name="location_update"),
]
