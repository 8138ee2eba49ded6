from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row
from django import forms

from .models import Supplier, SupplierProduct


class SupplierForm(forms.ModelForm):
    class Meta:
        model = Supplier
        fields = ["name", "contact_person", "phone", "email", "address", "notes", "is_active"]
        widgets = {
            "address": forms.Textarea(attrs={"rows": 3}),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            "name",
            Row(
                Column("contact_person", css_class="col-md-4"),
                Column("phone", css_class="col-md-4"),
                Column("email", css_class="col-md-4"),
            ),
            "address",
            "notes",
            "is_active",
        )


class CatalogueItemForm(forms.ModelForm):
    class Meta:
        model = SupplierProduct
        fields = ["product", "supplier_sku", "purchase_price", "lead_time_days"]
        fields += ["min_order_quantity"]

    def __init__(self, *args, supplier, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.supplier = supplier
        self.fields["product"].queryset = self.fields["product"].queryset.order_by("sku")
        self.helper = FormHelper()
        self.helper.form_tag = False
