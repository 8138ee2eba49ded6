import django_filters
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from suppliers.models import Supplier

from .autocomplete import AutocompleteChoiceField, AutocompleteFilter
from .models import Category, Product, Tag
from .selectors import (
    category_path,
    product_search,
    products_in_categories,
    products_of_supplier,
)


class CategoryPathField(AutocompleteChoiceField):
    def label_from_instance(self, obj):
        return category_path(obj)


@extend_schema_field(OpenApiTypes.INT)  # a category id; the API schema needs no tree query
class CategoryTreeFilter(AutocompleteFilter):
    """A category chosen by autocomplete (only the chosen one is rendered, whatever the size of
    the tree) that also matches products in sub-categories."""

    field_class = CategoryPathField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("queryset", Category.objects.select_related("parent__parent"))
        kwargs.setdefault("url_name", "products:category_autocomplete")
        super().__init__(*args, method=self.filter_tree, **kwargs)

    @staticmethod
    def filter_tree(queryset, name, value):
        return products_in_categories(queryset, [value.pk])


class ProductFilter(django_filters.FilterSet):
    """Search, filter and sort products; shared by the list page, its exports and the API."""

    STATUS_CHOICES = [("active", _("Active")), ("inactive", _("Inactive")), ("all", _("All"))]

    q = django_filters.CharFilter(label=_("Search"), method="filter_search")
    category = CategoryTreeFilter(label=_("Category"), empty_label=_("Any category"))
    supplier = AutocompleteFilter(
        label=_("Supplier"),
        queryset=Supplier.objects.all(),
        url_name="products:supplier_autocomplete",
        field_name="preferred_supplier",  # (for the API schema: a supplier id)
        method="filter_supplier",
        empty_label=_("Any supplier"),
    )
    tag = django_filters.ModelChoiceFilter(
        label=_("Tag"),
        queryset=Tag.objects.all(),
        field_name="tags",
        empty_label=_("Any tag"),
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=STATUS_CHOICES,
        method="filter_status",
        empty_label=None,
    )
    min_price = django_filters.NumberFilter(
        label=_("Price from"), field_name="sale_price", lookup_expr="gte"
    )
    max_price = django_filters.NumberFilter(
        label=_("Price to"), field_name="sale_price", lookup_expr="lte"
    )
    ordering = django_filters.OrderingFilter(
        label=_("Sort by"),
        empty_label=_("Name (default)"),
        fields=(
            ("name", "name"),
            ("sku", "sku"),
            ("sale_price", "price"),
            ("category__name", "category"),
            ("updated_at", "updated"),
        ),
        field_labels={
            "name": _("Name"),
            "sku": _("SKU"),
            "sale_price": _("Price"),
            "category__name": _("Category"),
            "updated_at": _("Last changed"),
        },
    )

    class Meta:
        model = Product
        fields = ["q", "category", "supplier", "tag", "status", "min_price", "max_price"]

    def __init__(self, data=None, *args, **kwargs):
        # Active products unless asked otherwise: what a person at the counter wants to see.
        data = data.copy() if data is not None else {}
        if not data.get("status"):
            data["status"] = "active"
        super().__init__(data, *args, **kwargs)

    def filter_search(self, queryset, name, value):
        return product_search(queryset, value)

    def filter_supplier(self, queryset, name, value):
        return products_of_supplier(queryset, value.pk)

    def filter_status(self, queryset, name, value):
        if value == "all":
            return queryset
        return queryset.filter(is_active=value == "active")

    def filter_queryset(self, queryset):
        # A stable order for pagination, whatever the chosen sort.
        queryset = super().filter_queryset(queryset)
        order = queryset.query.order_by
        return queryset.order_by(*order, "pk") if order else queryset
