from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Fieldset, Layout, Row
from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Category, Product
from .selectors import category_choices
from .services import PRODUCT_FIELDS


class CategorySelect(forms.ModelChoiceField):
    """A category select in tree order, children indented under their parents."""

    def __init__(self, **kwargs):
        super().__init__(queryset=Category.objects.all(), **kwargs)
        self.choices = lambda: [("", self.empty_label), *category_choices()]


class ProductForm(forms.ModelForm):
    category = CategorySelect(label=_("Category"), required=False)

    class Meta:
        model = Product
        fields = [*PRODUCT_FIELDS, "tags"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def clean_sku(self):
        # The database constraint is case-insensitive; say so on the field.
        sku = self.cleaned_data["sku"].strip()
        if Product.objects.filter(sku__iexact=sku).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(_("A product with this SKU already exists."), code="unique")
        return sku

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tags"].widget.attrs["size"] = 4
        self.fields["barcode"].widget.attrs["inputmode"] = "numeric"
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Fieldset(
                _("Product"),
                Row(
                    Column("sku", css_class="col-md-4"),
                    Column("barcode", css_class="col-md-4"),
                    Column("unit", css_class="col-md-4"),
                ),
                "name",
                "description",
                Row(Column("category", css_class="col-md-6"), Column("tags", css_class="col-md-6")),
            ),
            Fieldset(
                _("Prices"),
                Row(
                    Column("cost_price", css_class="col-md-4"),
                    Column("sale_price", css_class="col-md-4"),
                    Column("tax_rate", css_class="col-md-4"),
                ),
            ),
            Fieldset(
                _("Replenishment"),
                Row(
                    Column("preferred_supplier", css_class="col-md-4"),
                    Column("reorder_point", css_class="col-md-4"),
                    Column("reorder_quantity", css_class="col-md-4"),
                ),
            ),
            "image",
            "is_active",
        )


class CategoryForm(forms.ModelForm):
    parent = CategorySelect(
        label=_("Parent category"), required=False, empty_label=_("(top level)")
    )

    class Meta:
        model = Category
        fields = ["name", "parent"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
