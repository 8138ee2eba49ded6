from datetime import date, datetime, time, timedelta

import django_filters
from django import forms
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from products.autocomplete import AutocompleteFilter
from products.filters import CategoryTreeFilter
from products.models import Product
from products.selectors import product_search
from suppliers.models import Supplier

from .models import Location, StockMovement

# Categories (1,110 at scale) and suppliers (1,000) are chosen by autocomplete: a page renders
# only the chosen one, where a select of all of them cost more than the page's queries.


class StockFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_search")
    location = django_filters.ModelChoiceFilter(
        label=_("Location"), queryset=Location.objects.all(), method="filter_noop",
        empty_label=_("All locations"),
    )  # fmt: skip
    category = CategoryTreeFilter(label=_("Category"), empty_label=_("Any category"))
    in_stock = django_filters.BooleanFilter(
        label=_("Only in stock"), method="filter_in_stock", widget=forms.CheckboxInput
    )

    def filter_search(self, queryset, name, value):
        return product_search(queryset, value)

    def filter_noop(self, queryset, name, value):
        return queryset  # the view sums over the chosen location

    def filter_in_stock(self, queryset, name, value):
        # `held` (stock.selectors.stock_overview): some level in scope has stock on hand, the
        # same as a sum above zero (levels never go below zero), without summing every product.
        return queryset.filter(held=True) if value else queryset


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
    user = AutocompleteFilter(
        label=_("User"), queryset=User.objects.all(), empty_label=_("Anyone"),
        url_name="stock:user_autocomplete",
    )  # fmt: skip
    since = django_filters.DateFilter(
        label=_("Since"), field_name="created_at", method="filter_since",
        widget=forms.DateInput(attrs={"type": "date"}),
    )  # fmt: skip
    until = django_filters.DateFilter(
        label=_("Until"), field_name="created_at", method="filter_until",
        widget=forms.DateInput(attrs={"type": "date"}),
    )  # fmt: skip

    class Meta:
        model = StockMovement
        fields = ["product", "location", "kind", "user", "since", "until"]

    def filter_product(self, queryset, name, value):
        # Through the unique lower(sku) index, so that the ledger is read by its product index.
        sku = Product.objects.alias(sku_lower=Lower("sku")).filter(sku_lower=value.strip().lower())
        return queryset.filter(product__in=sku.values("pk"))

    def filter_location(self, queryset, name, value):
        return queryset.filter(Q(from_location=value) | Q(to_location=value))

    # Days are the local calendar's; compared as a range of times, the time index serves them.
    def filter_since(self, queryset, name, value):
        return queryset.filter(created_at__gte=_start_of(value))

    def filter_until(self, queryset, name, value):
        if value == date.max:
            return queryset
        return queryset.filter(created_at__lt=_start_of(value + timedelta(days=1)))


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


class LowStockFilter(django_filters.FilterSet):
    """Narrows the products of the low-stock page; `location` keeps one location's rows."""

    q = django_filters.CharFilter(label=_("Search"), method="filter_search")
    category = CategoryTreeFilter(label=_("Category"), empty_label=_("Any category"))
    supplier = AutocompleteFilter(
        label=_("Preferred supplier"), field_name="preferred_supplier",
        queryset=Supplier.objects.order_by("name"), empty_label=_("Any supplier"),
        url_name="products:supplier_autocomplete",
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
