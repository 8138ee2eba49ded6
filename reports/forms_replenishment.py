"""The replenishment page's filters, and the lines a manager ticks to order."""

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from products.models import Category
from products.selectors import category_descendant_ids
from stock.models import Location
from suppliers.models import Supplier

from .replenishment import OrderLine, ReplenishmentError, order_quantity
from .selectors.replenishment import DEFAULT_REVIEW_DAYS, SERVICE_LEVELS

SERVICE_LEVEL_CHOICES = [(f"{level:g}", f"{level * 100:g}%") for level in SERVICE_LEVELS]
KEY = re.compile(r"^(\d{1,18})-(\d{1,18})$")
MAX_LINES = 2000


class ReplenishmentFilterForm(forms.Form):
    location = forms.ModelChoiceField(
        Location.objects.filter(is_active=True).order_by("name"), label=_("Location"),
        required=False, empty_label=_("All locations"),
    )  # fmt: skip
    supplier = forms.ModelChoiceField(
        Supplier.objects.filter(is_active=True).order_by("name"), label=_("Supplier"),
        required=False, empty_label=_("All suppliers"),
    )  # fmt: skip
    category = forms.ModelChoiceField(
        Category.objects.order_by("name"), label=_("Category"), required=False,
        empty_label=_("All categories"),
    )  # fmt: skip
    service_level = forms.TypedChoiceField(
        label=_("Service level"), choices=SERVICE_LEVEL_CHOICES, coerce=float, required=False,
        empty_value=0.95,
        help_text=_("How often stock should last until the next delivery."),
    )  # fmt: skip
    review_days = forms.IntegerField(
        label=_("Review every (days)"), min_value=0, max_value=90, required=False,
        help_text=_("How often you order from the same supplier."),
    )  # fmt: skip

    def filters(self) -> dict:
        """Keyword arguments of reorder_suggestions (the defaults when invalid)."""
        data = self.cleaned_data if self.is_valid() else {}
        category = data.get("category")
        review = data.get("review_days")
        return {
            "location": data.get("location"),
            "supplier": data.get("supplier"),
            "category_ids": (
                frozenset(category_descendant_ids([category.pk])) if category else None
            ),
            "service_level": data.get("service_level") or 0.95,
            "review_days": DEFAULT_REVIEW_DAYS if review is None else review,
        }


class OrderSelection:
    """The ticked lines (`line` values "<product id>-<location id>") with their quantities
    (`quantity-<key>`); `errors` maps a line's key to what is wrong with it."""

    def __init__(self, data):
        self.data = data
        self.chosen: list[str] = []
        self.quantities: dict[str, str] = {}
        self.errors: dict[str, str] = {}
        self.lines: list[OrderLine] = []

    def is_valid(self) -> bool:
        self.chosen = list(dict.fromkeys(self.data.getlist("line")))[:MAX_LINES]
        self.quantities = {
            name.removeprefix("quantity-"): value
            for name, value in self.data.items()
            if name.startswith("quantity-")
        }
        for key in self.chosen:
            match = KEY.match(key)
            if match is None:
                self.errors[key] = str(_("Unknown line."))
                continue
            try:
                quantity = order_quantity(self.quantities.get(key, ""))
            except ReplenishmentError as error:
                self.errors[key] = error.message
                continue
            self.lines.append(OrderLine(int(match[1]), int(match[2]), quantity))
        return bool(self.chosen) and not self.errors
