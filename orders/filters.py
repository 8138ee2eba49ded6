import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from products.autocomplete import AutocompleteFilter
from stock.models import Location
from suppliers.models import Supplier

from .models import Customer, PurchaseOrder, SalesOrder

DATE = {"widget": forms.DateInput(attrs={"type": "date"})}


class CustomerFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_search")
    is_active = django_filters.BooleanFilter(label=_("Active"))

    class Meta:
        model = Customer
        fields = ["q", "is_active"]

    def filter_search(self, queryset, name, value):
        return queryset.filter(
            Q(name__icontains=value) | Q(contact_person__icontains=value)
            | Q(email__icontains=value) | Q(phone__icontains=value)
            | Q(tax_number__icontains=value)
        )  # fmt: skip


class OrderFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Number"), field_name="number", lookup_expr="icontains")
    location = django_filters.ModelChoiceFilter(
        label=_("Location"), queryset=Location.objects.order_by("name"),
        empty_label=_("All locations"),
    )  # fmt: skip
    since = django_filters.DateFilter(
        label=_("Since"), field_name="order_date", lookup_expr="gte", **DATE
    )
    until = django_filters.DateFilter(
        label=_("Until"), field_name="order_date", lookup_expr="lte", **DATE
    )


class SalesOrderFilter(OrderFilter):
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=SalesOrder.Status.choices, empty_label=_("Any status")
    )
    channel = django_filters.ChoiceFilter(
        label=_("Channel"), choices=SalesOrder.Channel.choices, empty_label=_("Any channel")
    )
    customer = AutocompleteFilter(
        label=_("Customer"), queryset=Customer.objects.all(), empty_label=_("Any customer"),
        url_name="orders:customer_autocomplete",
    )  # fmt: skip

    class Meta:
        model = SalesOrder
        fields = ["q", "status", "channel", "customer", "location", "since", "until"]


class PurchaseOrderFilter(OrderFilter):
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=PurchaseOrder.Status.choices, empty_label=_("Any status")
    )
    supplier = AutocompleteFilter(
        label=_("Supplier"), queryset=Supplier.objects.all(), empty_label=_("Any supplier"),
        url_name="products:supplier_autocomplete",
    )  # fmt: skip

    class Meta:
        model = PurchaseOrder
        fields = ["q", "status", "supplier", "location", "since", "until"]
