"""Reads of orders that pages, documents and the API share."""

from django.db.models import Count, Q, QuerySet

from stock.selectors import locations_for

from .models import Customer, PurchaseOrder, SalesOrder


def visible_to(user, orders: QuerySet) -> QuerySet:
    """Managers and admins see every order; staff those of the locations they work at and the
    ones they made themselves."""
    if user.has_perm("stock.work_any_location"):
        return orders
    return orders.filter(Q(location__in=locations_for(user)) | Q(created_by=user))


def customer_list() -> QuerySet[Customer]:
    return Customer.objects.annotate(order_count=Count("sales_orders")).order_by("name", "pk")


def sales_order_list(user) -> QuerySet[SalesOrder]:
    return visible_to(user, SalesOrder.objects.select_related("customer", "location"))


def purchase_order_list(user) -> QuerySet[PurchaseOrder]:
    return visible_to(
        user,
        PurchaseOrder.objects.select_related("supplier", "location").annotate(
            line_count=Count("lines")
        ),
    )
