"""The filter form every report page, download and API call reads its parameters from."""

from datetime import date, timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from orders.models import Customer
from products.autocomplete import AutocompleteChoiceField, AutocompleteSelect
from products.models import Category, Product
from products.selectors import category_descendant_ids
from stock.models import Location
from suppliers.models import Supplier

from .base import Params

MAX_DAYS = 366 * 5
EARLIEST = date(1990, 1, 1)  # earlier dates are typing mistakes (and overflow date arithmetic)
GRAINS = [("month", _("month")), ("week", _("week")), ("day", _("day"))]


class ReportFilterForm(forms.Form):
    start = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput({"type": "date"})
    )
    end = forms.DateField(label=_("To"), required=False, widget=forms.DateInput({"type": "date"}))
    location = forms.ModelChoiceField(
        Location.objects.order_by("name"), label=_("Location"), required=False
    )
    # Thousands of categories, suppliers and customers: chosen by autocomplete, so the page
    # carries only the chosen option.
    category = AutocompleteChoiceField(
        Category.objects.order_by("name"), label=_("Category"), required=False,
        widget=AutocompleteSelect("products:category_autocomplete"),
    )  # fmt: skip
    supplier = AutocompleteChoiceField(
        Supplier.objects.order_by("name"), label=_("Supplier"), required=False,
        widget=AutocompleteSelect("products:supplier_autocomplete"),
    )  # fmt: skip
    product = forms.CharField(
        label=_("Product SKU"), required=False, max_length=64,
        widget=forms.TextInput({"placeholder": _("SKU")}),
    )  # fmt: skip
    customer = AutocompleteChoiceField(
        Customer.objects.order_by("name"), label=_("Customer"), required=False,
        widget=AutocompleteSelect("orders:customer_autocomplete"),
    )  # fmt: skip
    grain = forms.ChoiceField(label=_("By"), choices=GRAINS, required=False)

    def __init__(self, data=None, *, report=None):
        super().__init__(data)
        self.report = report
        keep = {"start", "end", *report.filters}
        if report.single_date:
            keep.discard("start")
            self.fields["end"].label = _("As of")
        for name in list(self.fields):
            if name not in keep:
                del self.fields[name]

    def clean_product(self):
        sku = self.cleaned_data.get("product", "").strip()
        if not sku:
            return None
        product = Product.objects.filter(sku__iexact=sku).first()
        if product is None:
            raise forms.ValidationError(_("No product has the SKU %(sku)s."), params={"sku": sku})
        return product

    def _in_reach(self, name):
        day = self.cleaned_data.get(name)
        if day is not None and not EARLIEST <= day <= timezone.localdate() + timedelta(days=3660):
            raise forms.ValidationError(
                _("Choose a date between %(first)s and ten years from now."),
                params={"first": EARLIEST.isoformat()},
            )
        return day

    def clean_start(self):
        return self._in_reach("start")

    def clean_end(self):
        return self._in_reach("end")

    def clean(self):
        data = super().clean()
        if "start" in self.errors or "end" in self.errors:
            return data
        today = timezone.localdate()
        end = data.get("end") or today
        start = data.get("start") or end - timedelta(days=self.report.default_days - 1)
        if self.report.single_date:
            start = end
        if start > end:
            self.add_error("end", _("The end date is before the start date."))
        elif (end - start).days > MAX_DAYS:
            self.add_error("start", _("Choose at most five years."))
        data["start"], data["end"] = start, end
        return data

    def params(self) -> Params:
        data = self.cleaned_data
        category = data.get("category")
        return Params(
            start=data["start"],
            end=data["end"],
            location=data.get("location"),
            category=category,
            category_ids=frozenset(category_descendant_ids([category.pk])) if category else None,
            supplier=data.get("supplier"),
            product=data.get("product"),
            customer=data.get("customer"),
            grain=data.get("grain") or "month",
        )
