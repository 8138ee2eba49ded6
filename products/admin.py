from django.contrib import admin

from .models import Category, Product, Tag


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ("name", "parent")
    list_filter = ("parent",)
    search_fields = ("name",)
    autocomplete_fields = ("parent",)


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    search_fields = ("name",)


@admin.register(Product)
class ProductAdmin(admin.ModelAdmin):
    list_display = ("sku", "name", "category", "sale_price", "cost_price", "is_active")
    list_filter = ("is_active", "unit", "category", "tags", "preferred_supplier")
    search_fields = ("sku", "name", "barcode")
    autocomplete_fields = ("category", "preferred_supplier", "tags")
    list_select_related = ("category",)
    readonly_fields = ("created_at", "updated_at")
    exclude = ("search_vector",)
