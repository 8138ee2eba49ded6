from django.db.models import Count, QuerySet

from .models import Supplier


def supplier_list() -> QuerySet[Supplier]:
    """Return suppliers with the size of their catalogue, for lists and the API."""
    return Supplier.objects.annotate(catalogue_size=Count("catalogue")).order_by("name", "pk")
