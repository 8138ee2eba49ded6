from django.contrib import admin

from .models import Location, LocationMinimum, LowStockAlert, StockLevel, StockMovement


@admin.register(Location)
class LocationAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "is_active")
    list_filter = ("kind", "is_active")
    search_fields = ("name", "address")
    filter_horizontal = ("users",)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Stock changes only through stock.services (with their ledger rows): view, never edit."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(StockLevel)
class StockLevelAdmin(ReadOnlyAdmin):
    list_display = ("product", "location", "on_hand", "reserved", "updated_at")
    list_filter = ("location",)
    search_fields = ("product__sku", "product__name")
    list_select_related = ("product", "location")


@admin.register(StockMovement)
class StockMovementAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "kind", "product", "from_location", "to_location", "quantity")
    list_filter = ("kind", "from_location", "to_location", "reason")
    search_fields = ("product__sku", "product__name", "note")
    list_select_related = ("product", "from_location", "to_location")
    date_hierarchy = "created_at"


@admin.register(LocationMinimum)
class LocationMinimumAdmin(admin.ModelAdmin):
    list_display = ("product", "location", "reorder_point")
    list_filter = ("location",)
    search_fields = ("product__sku", "product__name")
    list_select_related = ("product", "location")
    autocomplete_fields = ("product",)


@admin.register(LowStockAlert)
class LowStockAlertAdmin(ReadOnlyAdmin):
    """What is low and announced now; kept by stock.alerts, so read-only here."""

    list_display = ("product", "location", "available", "reorder_point", "created_at")
    list_filter = ("location",)
    search_fields = ("product__sku", "product__name")
    list_select_related = ("product", "location")
