from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class CompanyProfile(models.Model):
    """Who issues the documents: the one row admins edit in Django admin, printed on invoices,
    receipts and purchase orders."""

    name = models.CharField(_("company name"), max_length=200, default="Inventory")
    address = models.TextField(_("address"), blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    email = models.EmailField(_("email"), blank=True)
    tax_number = models.CharField(_("tax number"), max_length=50, blank=True)
    logo = models.ImageField(_("logo"), upload_to="company/", blank=True)
    document_footer = models.TextField(
        _("document footer"), blank=True,
        help_text=_("Printed at the foot of invoices, e.g. bank details for payment."),
    )  # fmt: skip

    class Meta:
        verbose_name = _("company profile")
        verbose_name_plural = _("company profile")
        constraints = [models.CheckConstraint(condition=Q(pk=1), name="orders_company_single")]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.pk = 1  # there is one company
        super().save(*args, **kwargs)

    @classmethod
    def current(cls) -> "CompanyProfile":
        """The company profile (created with defaults the first time)."""
        profile, _created = cls.objects.get_or_create(pk=1)
        return profile
