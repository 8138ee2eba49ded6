from django.core.validators import MinValueValidator
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class Supplier(models.Model):
    name = models.CharField(_("name"), max_length=200)
    contact_person = models.CharField(_("contact person"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    email = models.EmailField(_("email"), blank=True)
    address = models.TextField(_("address"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("supplier")
        verbose_name_plural = _("suppliers")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                Lower("name"),
                name="suppliers_supplier_name_ci_unique",
                violation_error_message=_("A supplier with this name already exists."),
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("suppliers:supplier_detail", kwargs={"pk": self.pk})


class SupplierProduct(models.Model):
    """What a supplier sells us of one product: their SKU, price, lead time and minimum order."""

    supplier = models.ForeignKey(
        Supplier, on_delete=models.CASCADE, related_name="catalogue", verbose_name=_("supplier")
    )
    product = models.ForeignKey(
        "products.Product",
        on_delete=models.CASCADE,
        related_name="supplier_products",
        verbose_name=_("product"),
    )
    supplier_sku = models.CharField(_("supplier SKU"), max_length=64, blank=True)
    purchase_price = models.DecimalField(
        _("purchase price"),
        max_digits=16,
        decimal_places=4,
        validators=[MinValueValidator(0)],
    )
    lead_time_days = models.PositiveIntegerField(_("lead time (days)"), default=7)
    min_order_quantity = models.DecimalField(
        _("minimum order quantity"),
        max_digits=12,
        decimal_places=3,
        default=1,
        validators=[MinValueValidator(0)],
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("supplier product")
        verbose_name_plural = _("supplier products")
        ordering = ["supplier__name", "product__sku"]
        constraints = [
            models.UniqueConstraint(
                fields=["supplier", "product"],
                name="suppliers_supplierproduct_unique",
                violation_error_message=_("This supplier already lists this product."),
            ),
            models.CheckConstraint(
                condition=models.Q(purchase_price__gte=0),
                name="suppliers_supplierproduct_price_gte_0",
            ),
            models.CheckConstraint(
                condition=models.Q(min_order_quantity__gt=0),
                name="suppliers_supplierproduct_moq_gt_0",
                violation_error_message=_("The minimum order quantity must be above zero."),
            ),
        ]

    def __str__(self):
        return f"{self.supplier} · {self.product}"
