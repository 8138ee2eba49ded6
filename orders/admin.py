from django.contrib import admin

from stock.admin import ReadOnlyAdmin

from .models import (
    CompanyProfile,
    Customer,
    OrderStatusChange,
    PurchaseOrder,
    PurchaseOrderLine,
    SalesOrder,
    SalesOrderLine,
    SalesReturn,
    SalesReturnLine,
)


@admin.register(Customer)
class CustomerAdmin(admin.ModelAdmin):
    list_display = ("name", "contact_person", "phone", "email", "is_active")
    list_filter = ("is_active",)
    search_fields = ("name", "contact_person", "phone", "email", "tax_number")


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class PurchaseOrderLineInline(ReadOnlyInline):
    model = PurchaseOrderLine
    fields = ("product", "quantity", "unit_cost", "received_quantity")


class SalesOrderLineInline(ReadOnlyInline):
    model = SalesOrderLine
    fields = ("product", "quantity", "unit_price", "discount_percent", "tax_rate")
    fields += ("gross_amount", "discount_amount", "tax_amount", "fulfilled_quantity")
    fields += ("returned_quantity",)


class PurchaseStatusInline(ReadOnlyInline):
    model = OrderStatusChange
    fk_name = "purchase_order"
    fields = ("created_at", "from_status", "to_status", "user", "note")
    readonly_fields = ("created_at",)


class SalesStatusInline(PurchaseStatusInline):
    fk_name = "sales_order"


# Orders change only through orders.services (their stock moves and history go with them):
# admin shows them read-only.
@admin.register(PurchaseOrder)
class PurchaseOrderAdmin(ReadOnlyAdmin):
    list_display = ("number", "supplier", "location", "status", "order_date", "expected_date")
    list_filter = ("status", "location")
    search_fields = ("number", "supplier__name")
    list_select_related = ("supplier", "location")
    inlines = [PurchaseOrderLineInline, PurchaseStatusInline]


@admin.register(SalesOrder)
class SalesOrderAdmin(ReadOnlyAdmin):
    list_display = ("number", "customer", "location", "channel", "status", "order_date", "total")
    list_filter = ("status", "channel", "location", "payment_method")
    search_fields = ("number", "customer__name")
    list_select_related = ("customer", "location")
    inlines = [SalesOrderLineInline, SalesStatusInline]


class SalesReturnLineInline(ReadOnlyInline):
    model = SalesReturnLine
    fields = ("line", "quantity")


@admin.register(SalesReturn)
class SalesReturnAdmin(ReadOnlyAdmin):
    list_display = ("order", "reason", "user", "created_at")
    list_filter = ("reason",)
    search_fields = ("order__number",)
    inlines = [SalesReturnLineInline]


@admin.register(CompanyProfile)
class CompanyProfileAdmin(admin.ModelAdmin):
    """The one company profile printed on documents (a migration creates it): edited only."""

    list_display = ("name", "tax_number", "phone", "email")

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
