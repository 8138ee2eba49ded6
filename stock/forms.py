from decimal import Decimal

from crispy_forms.helper import FormHelper
from django import forms
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from products.models import Product

from .models import Location, StockMovement
from .selectors import locations_for

QUANTITY = {"max_digits": 14, "decimal_places": 3, "min_value": Decimal("0.001")}


class ProductCodeField(forms.CharField):
    """A product by SKU or barcode, as typed or scanned at the counter."""

    default_error_messages = {"unknown": _("No product has the SKU or barcode %(code)s.")}

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Product (SKU or barcode)"))
        super().__init__(max_length=64, **kwargs)
        self.widget.attrs.update(autocomplete="off", autocapitalize="characters")

    def clean(self, value):
        code = super().clean(value).strip()
        if not code:
            return None
        product = (
            Product.objects.alias(key=Lower("sku")).filter(key=code.lower()).first()
            or Product.objects.filter(barcode=code).first()
        )
        if product is None:
            raise forms.ValidationError(
                self.error_messages["unknown"], code="unknown", params={"code": code}
            )
        return product


class LocationForm(forms.Form):
    """Base for stock action forms: location choices limited to where the user works."""

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        for name, field in self.fields.items():
            if isinstance(field, forms.ModelChoiceField) and name.endswith("location"):
                field.queryset = locations_for(user)
        self.helper = FormHelper()
        self.helper.form_tag = False


class ReceiveForm(LocationForm):
    location = forms.ModelChoiceField(label=_("Location"), queryset=None)
    product = ProductCodeField()
    quantity = forms.DecimalField(label=_("Quantity"), **QUANTITY)
    unit_cost = forms.DecimalField(
        label=_("Unit cost"), max_digits=16, decimal_places=4, min_value=0, required=False,
        help_text=_("Leave empty to use the product's current cost."),
    )  # fmt: skip
    note = forms.CharField(label=_("Note"), max_length=500, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.user.has_perm("products.view_cost_price"):
            del self.fields["unit_cost"]  # staff never see or set costs


class AdjustForm(LocationForm):
    location = forms.ModelChoiceField(label=_("Location"), queryset=None)
    product = ProductCodeField()
    change = forms.DecimalField(
        label=_("Change in quantity"), max_digits=14, decimal_places=3,
        help_text=_("Positive adds stock, negative removes it."),
    )  # fmt: skip
    reason = forms.ChoiceField(label=_("Reason"), choices=StockMovement.Reason.choices)
    note = forms.CharField(label=_("Note"), max_length=500, required=False)

    def clean_change(self):
        change = self.cleaned_data["change"]
        if change == 0:
            raise forms.ValidationError(_("A change of zero changes nothing."), code="zero")
        return change


class TransferForm(LocationForm):
    from_location = forms.ModelChoiceField(label=_("From"), queryset=None)
    to_location = forms.ModelChoiceField(label=_("To"), queryset=None)
    note = forms.CharField(label=_("Note"), max_length=500, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Goods may go anywhere; staff may only send them from where they work.
        self.fields["to_location"].queryset = Location.objects.filter(is_active=True)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("from_location") and cleaned.get("from_location") == cleaned.get(
            "to_location"
        ):
            self.add_error(
                "to_location", forms.ValidationError(_("Choose another location."), code="same")
            )
        return cleaned


class TransferLineForm(forms.Form):
    product = ProductCodeField(required=False)
    quantity = forms.DecimalField(label=_("Quantity"), required=False, **QUANTITY)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("product") and not cleaned.get("quantity"):
            self.add_error("quantity", forms.ValidationError(_("How many?"), code="required"))
        if cleaned.get("quantity") and not cleaned.get("product") and not self.errors:
            self.add_error("product", forms.ValidationError(_("Which product?"), code="required"))
        return cleaned


TransferLineFormSet = forms.formset_factory(TransferLineForm, extra=5, max_num=100)


class LocationEditForm(forms.ModelForm):
    class Meta:
        model = Location
        fields = ["name", "kind", "address", "is_active", "users"]
        widgets = {
            "address": forms.Textarea(attrs={"rows": 2}),
            "users": forms.CheckboxSelectMultiple,
        }
        help_texts = {
            "users": _("Staff ticked here move stock only at their locations. Leave empty for "
                       "a shop with one location."),
        }  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["users"].queryset = User.objects.filter(is_active=True).order_by("username")
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if Location.objects.filter(name__iexact=name).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(
                _("A location with this name already exists."), code="unique"
            )
        return name


class CountScopeForm(LocationForm):
    """Step 1 of a count: where, and optionally which category."""

    location = forms.ModelChoiceField(label=_("Location"), queryset=None)
    category = forms.TypedChoiceField(
        label=_("Category (optional)"), required=False, coerce=int, empty_value=None
    )

    def __init__(self, *args, **kwargs):
        from products.selectors import category_choices

        super().__init__(*args, **kwargs)
        self.fields["category"].choices = lambda: [
            ("", _("Everything stocked here")),
            *category_choices(),
        ]


class CountSheetForm(forms.Form):
    """Step 2: one counted-quantity box per product; empty boxes are not counted."""

    def __init__(self, *args, rows, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = rows
        for row in rows:
            self.fields[f"count_{row.product.pk}"] = forms.DecimalField(
                label=row.product.sku,
                required=False,
                min_value=0,
                max_digits=14,
                decimal_places=3,
                widget=forms.TextInput(
                    attrs={"class": "form-control form-control-sm", "inputmode": "decimal"}
                ),
            )

    def lines(self):
        """(row, bound field) pairs, for the sheet's table."""
        return [(row, self[f"count_{row.product.pk}"]) for row in self.rows]

    def counts(self) -> dict:
        return {
            row.product: self.cleaned_data[f"count_{row.product.pk}"]
            for row in self.rows
            if self.cleaned_data.get(f"count_{row.product.pk}") is not None
        }


def _plain(value: Decimal | None) -> str | None:
    """3.000 -> "3": a quantity as people type it."""
    return None if value is None else format(value.normalize(), "f")


class LocationMinimumsForm(forms.Form):
    """One optional reorder point per location for a product (blank: none of its own)."""

    def __init__(self, *args, locations, current: dict[int, Decimal], **kwargs):
        super().__init__(*args, **kwargs)
        self.locations = list(locations)
        for location in self.locations:
            self.fields[f"location_{location.pk}"] = forms.DecimalField(
                label=location.name, required=False, max_digits=14, decimal_places=3,
                min_value=0, initial=_plain(current.get(location.pk)),
            )  # fmt: skip

    def rows(self):
        return [(location, self[f"location_{location.pk}"]) for location in self.locations]

    def points(self) -> dict:
        return {loc: self.cleaned_data[f"location_{loc.pk}"] for loc in self.locations}
