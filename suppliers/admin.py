from django.contrib import admin

from .models import Supplier, SupplierProduct


class SupplierProductInline(admin.TabularInline):
    model = SupplierProduct
    extra = 0
    autocomplete_fields = ("product",)


@admin.register(Supplier)
class SupplierAdmin(admin.ModelAdmin):
    list_display = ("name", "contact_person", "phone", "email", "is_active")
    list_filter = ("is_active",)
    search_fields = ("name", "contact_person", "email", "phone")
    inlines = [SupplierProductInline]


@admin.register(SupplierProduct)
class SupplierProductAdmin(admin.ModelAdmin):
    list_display = (
        "supplier",
        "product",
        "supplier_sku",
        "purchase_price",
        "lead_time_days",
        "min_order_quantity",
    )
    list_filter = ("supplier",)
    search_fields = ("supplier__name", "product__sku", "product__name", "supplier_sku")
    autocomplete_fields = ("supplier", "product")
    list_select_related = ("supplier", "product")
