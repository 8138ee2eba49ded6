"""Autocomplete for filters over long option lists (categories, suppliers, customers).

A list page renders only the chosen option of such a filter (`AutocompleteSelect`); the browser
(static/js/autocomplete.js, Tom Select) asks an `AutocompleteView` for the options that match
what the user types. The select keeps its name, so the filter submits the same GET parameter.
"""

from collections.abc import Iterable

import django_filters
from django import forms
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.http import JsonResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views import View

from suppliers.models import Supplier

from .selectors import category_options

LIMIT = 20  # options per answer: the user types more to narrow it down


class AutocompleteSelect(forms.Select):
    """A select of a ModelChoiceField that renders its empty and chosen options only.

    At most one query (none when its field validated the choice), whatever the size of the
    field's queryset.
    """

    def __init__(self, url_name: str, attrs=None):
        self.url_name = url_name
        super().__init__(attrs)

    def get_context(self, name, value, attrs):
        attrs = {
            **(attrs or {}),
            "data-autocomplete-url": reverse(self.url_name),
            "data-no-results": _("No matches"),
            "data-placeholder": _("Type to search"),
        }
        return super().get_context(name, value, attrs)

    def optgroups(self, name, value, attrs=None):
        chosen = [v for v in value if v not in ("", None)]
        iterator = self.choices  # a ModelChoiceIterator: its field and queryset
        choices = []
        if iterator.field.empty_label is not None:
            choices.append(("", iterator.field.empty_label))
        cleaned = getattr(iterator.field, "chosen", None)
        if cleaned is not None and [str(cleaned.pk)] == chosen:
            choices.append(iterator.choice(cleaned))  # validated already: no second query
        elif chosen:
            try:
                objects = list(iterator.queryset.filter(pk__in=chosen))
            except (ValueError, TypeError):  # not a primary key: the form shows the error
                objects = []
            choices.extend(iterator.choice(obj) for obj in objects)
        groups = []
        for index, (option_value, label) in enumerate(choices):
            option_value = "" if option_value is None else option_value
            selected = str(option_value) in value
            option = self.create_option(name, option_value, label, selected, index, attrs=attrs)
            groups.append((None, [option], index))
        return groups


class AutocompleteChoiceField(forms.ModelChoiceField):
    """Remembers the object it validated, so that its AutocompleteSelect shows it for free."""

    chosen = None

    def to_python(self, value):
        self.chosen = super().to_python(value)
        return self.chosen


class AutocompleteFilter(django_filters.ModelChoiceFilter):
    """A ModelChoiceFilter chosen by autocomplete from the options of the view `url_name`."""

    field_class = AutocompleteChoiceField

    def __init__(self, *args, url_name: str, **kwargs):
        kwargs.setdefault("widget", AutocompleteSelect(url_name))
        super().__init__(*args, **kwargs)


class AutocompleteView(PermissionRequiredMixin, View):
    """Answer GET ?q=text with {"results": [{"value": pk, "text": label}, ...]}."""

    http_method_names = ["get"]

    def get(self, request):
        text = request.GET.get("q", "").strip()[:100]
        results = [{"value": pk, "text": label} for pk, label in self.options(text)]
        return JsonResponse({"results": results})

    def options(self, text: str) -> Iterable[tuple[int, str]]:
        raise NotImplementedError


class CategoryAutocompleteView(AutocompleteView):
    permission_required = "products.view_product"  # the product list's filter

    def options(self, text):
        return category_options(text, limit=LIMIT)


class SupplierAutocompleteView(AutocompleteView):
    """Suppliers by name, for the product list's and the purchase order list's filters."""

    permission_required = "suppliers.view_supplier"

    def options(self, text):
        return named_options(Supplier.objects.all(), text)


def named_options(rows, text: str):
    """The first `LIMIT` of `rows` whose name contains `text`, by name: (pk, name) pairs."""
    rows = rows.order_by("name", "pk")
    if text:
        rows = rows.filter(name__icontains=text)
    return rows.values_list("pk", "name")[:LIMIT]
