import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from products.filters import CategoryChoiceFilter
from products.selectors import product_search
from suppliers.models import Supplier

from .models import Location, StockMovement


class StockFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_search")
    location = django_filters.ModelChoiceFilter(
        label=_("Location"), queryset=Location.objects.all(), method="filter_noop",
        empty_label=_("All locations"),
    )  # fmt: skip
    category = CategoryChoiceFilter(label=_("Category"), empty_label=_("Any category"))
    in_stock = django_filters.BooleanFilter(
        label=_("Only in stock"), method="filter_in_stock", widget=forms.CheckboxInput
    )

    def filter_search(self, queryset, name, value):
        return product_search(queryset, value)

    def filter_noop(self, queryset, name, value):
        return queryset  # the view sums over the chosen location

    def filter_in_stock(self, queryset, name, value):
        return queryset.filter(on_hand__gt=0) if value else queryset


class MovementFilter(django_filters.FilterSet):
    product = django_filters.CharFilter(label=_("Product (SKU)"), method="filter_product")
    location = django_filters.ModelChoiceFilter(
        label=_("Location"), queryset=Location.objects.all(), method="filter_location",
        field_name="from_location",  # (for the API schema: a location id; either end matches)
        empty_label=_("All locations"),
    )  # fmt: skip
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=StockMovement.Kind.choices, empty_label=_("Any kind")
    )
    user = django_filters.ModelChoiceFilter(
        label=_("User"), queryset=User.objects.order_by("username"), empty_label=_("Anyone")
    )
    since = django_filters.DateFilter(
        label=_("Since"), field_name="created_at", lookup_expr="date__gte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )  # fmt: skip
    until = django_filters.DateFilter(
        label=_("Until"), field_name="created_at", lookup_expr="date__lte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )  # fmt: skip

    class Meta:
        model = StockMovement
        fields = ["product", "location", "kind", "user", "since", "until"]

    def filter_product(self, queryset, name, value):
        return queryset.filter(product__sku__iexact=value.strip())

    def filter_location(self, queryset, name, value):
        from django.db.models import Q

        return queryset.filter(Q(from_location=value) | Q(to_location=value))


class LowStockFilter(django_filters.FilterSet):
    """Narrows the products of the low-stock page; `location` keeps one location's rows."""

    q = django_filters.CharFilter(label=_("Search"), method="filter_search")
    category = CategoryChoiceFilter(label=_("Category"), empty_label=_("Any category"))
    supplier = django_filters.ModelChoiceFilter(
        label=_("Preferred supplier"), field_name="preferred_supplier",
        queryset=Supplier.objects.order_by("name"), empty_label=_("Any supplier"),
    )  # fmt: skip
    location = django_filters.ModelChoiceFilter(
        label=_("Location"), queryset=Location.objects.filter(is_active=True),
        method="filter_noop", empty_label=_("All locations together"),
        field_name="stock_levels__location",  # (for the API schema: a location id)
    )  # fmt: skip

    def filter_search(self, queryset, name, value):
        return product_search(queryset, value)

    def filter_noop(self, queryset, name, value):
        return queryset  # the selector keeps the chosen location's rows
