"""Pagination that stays fast deep into a long list (page 1,500 of 100,000 products)."""

from django.core.paginator import Paginator

from inventory_site.api.pagination import PageNumberPagination


class KeysFirstPaginator(Paginator):
    """Read a page's primary keys first, then its rows by key (a "deferred join").

    Skipping to an offset then walks an index only (products_product_active_name for the
    default list) instead of fetching and discarding every row before the page; the page links
    stay ?page=N. Two queries for a page (plus the count), whatever its number and size.
    """

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        keys = list(self.object_list.values_list("pk", flat=True)[bottom:top])
        rows = {row.pk: row for row in self.object_list.order_by().filter(pk__in=keys)}
        return self._get_page([rows[key] for key in keys if key in rows], number, self)


class KeysFirstPagination(PageNumberPagination):
    django_paginator_class = KeysFirstPaginator
