import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .models import Supplier


class SupplierFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_search")
    is_active = django_filters.BooleanFilter(label=_("Active"))

    class Meta:
        model = Supplier
        fields = ["q", "is_active"]

    def filter_search(self, queryset, name, value):
        return queryset.filter(
            Q(name__icontains=value)
            | Q(contact_person__icontains=value)
            | Q(email__icontains=value)
            | Q(phone__icontains=value)
        )
