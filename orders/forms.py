from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row
from django import forms
from django.utils.translation import gettext_lazy as _

from stock.forms import QUANTITY, ProductCodeField
from stock.models import Location
from stock.selectors import locations_for
from suppliers.models import Supplier

from .models import Customer, PurchaseOrder, SalesOrder, SalesReturn


class CustomerForm(forms.ModelForm):
    class Meta:
        model = Customer
        fields = ["name", "contact_person", "phone", "email", "address", "tax_number", "notes"]
        fields += ["is_active"]
        widgets = {
            "address": forms.Textarea(attrs={"rows": 3}),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Row(Column("name", css_class="col-md-8"), Column("tax_number", css_class="col-md-4")),
            Row(
                Column("contact_person", css_class="col-md-4"),
                Column("phone", css_class="col-md-4"),
                Column("email", css_class="col-md-4"),
            ),
            "address",
            "notes",
            "is_active",
        )


class PurchaseOrderForm(forms.ModelForm):
    class Meta:
        model = PurchaseOrder
        fields = ["supplier", "location", "expected_date", "notes"]
        widgets = {
            "expected_date": forms.DateInput(attrs={"type": "date"}),
            "notes": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["supplier"].queryset = Supplier.objects.filter(is_active=True)
        self.fields["location"].queryset = Location.objects.filter(is_active=True)


class PurchaseLineForm(forms.Form):
    product = ProductCodeField(required=False)
    quantity = forms.DecimalField(label=_("Quantity"), required=False, **QUANTITY)
    unit_cost = forms.DecimalField(
        label=_("Unit cost"), required=False, max_digits=16, decimal_places=4, min_value=0,
        help_text=_("Blank: the supplier's catalogue price."),
    )  # fmt: skip

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("product") and not cleaned.get("quantity"):
            self.add_error("quantity", forms.ValidationError(_("How many?"), code="required"))
        if cleaned.get("quantity") and not cleaned.get("product") and not self.errors:
            self.add_error("product", forms.ValidationError(_("Which product?"), code="required"))
        return cleaned


PurchaseLineFormSet = forms.formset_factory(PurchaseLineForm, extra=3, max_num=500)


class NoteForm(forms.Form):
    """The optional note of a status change."""

    note = forms.CharField(label=_("Note"), max_length=500, required=False)


class LineQuantitiesForm(forms.Form):
    """One optional quantity per order line (received, handed over or returned)."""

    def __init__(self, *args, lines, limit, **kwargs):
        super().__init__(*args, **kwargs)
        self.lines = list(lines)
        for line in self.lines:
            self.fields[f"line_{line.pk}"] = forms.DecimalField(
                label=str(line.product), required=False, min_value=0,
                max_value=limit(line), **{k: v for k, v in QUANTITY.items() if k != "min_value"},
            )  # fmt: skip
        self.fields["note"] = forms.CharField(label=_("Note"), max_length=500, required=False)

    def rows(self):
        return [(line, self[f"line_{line.pk}"]) for line in self.lines]

    def quantities(self) -> dict:
        return {line.pk: self.cleaned_data[f"line_{line.pk}"] for line in self.lines}


class SalesOrderForm(forms.ModelForm):
    class Meta:
        model = SalesOrder
        fields = ["customer", "location", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["customer"].queryset = Customer.objects.filter(is_active=True)
        self.fields["location"].queryset = locations_for(user)


class SalesLineForm(forms.Form):
    product = ProductCodeField(required=False)
    quantity = forms.DecimalField(label=_("Quantity"), required=False, **QUANTITY)
    discount_percent = forms.DecimalField(
        label=_("Discount (%)"), required=False, max_digits=5, decimal_places=2, min_value=0,
        max_value=100,
    )  # fmt: skip

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("product") and not cleaned.get("quantity"):
            self.add_error("quantity", forms.ValidationError(_("How many?"), code="required"))
        if cleaned.get("quantity") and not cleaned.get("product") and not self.errors:
            self.add_error("product", forms.ValidationError(_("Which product?"), code="required"))
        return cleaned


SalesLineFormSet = forms.formset_factory(SalesLineForm, extra=3, max_num=500)


class ReturnForm(LineQuantitiesForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"] = forms.ChoiceField(
            label=_("Why did it come back?"), choices=SalesReturn.Reason.choices
        )


class DayForm(forms.Form):
    """Which shop and which day the daily summary is for."""

    location = forms.ModelChoiceField(label=_("Location"), queryset=None)
    day = forms.DateField(label=_("Day"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["location"].queryset = locations_for(user)
