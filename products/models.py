from decimal import Decimal

from django.contrib.postgres.indexes import GinIndex, OpClass
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Lower
from django.db.models.lookups import Transform
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class SkuWords(Transform):
    """The SKU with separators as spaces ("ABC-12/3" -> "ABC 12 3"), so its parts are words."""

    function = "regexp_replace"
    template = "%(function)s(%(expressions)s, '[^[:alnum:]]+', ' ', 'g')"


class Category(models.Model):
    """A node of the category tree. A product filed under a child also belongs to its parents."""

    name = models.CharField(_("name"), max_length=120)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent category"),
    )

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                "parent",
                Lower("name"),
                name="products_category_name_unique_per_parent",
                nulls_distinct=False,
                violation_error_message=_("This parent already has a category with this name."),
            ),
            models.CheckConstraint(
                condition=~models.Q(parent=models.F("pk")), name="products_category_not_own_parent"
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("products:product_list") + f"?category={self.pk}"


class Tag(models.Model):
    name = models.CharField(_("name"), max_length=60)

    class Meta:
        verbose_name = _("tag")
        verbose_name_plural = _("tags")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                Lower("name"),
                name="products_tag_name_ci_unique",
                violation_error_message=_("A tag with this name already exists."),
            ),
        ]

    def __str__(self):
        return self.name


class Product(models.Model):
    class Unit(models.TextChoices):
        PIECE = "pcs", _("piece")
        BOX = "box", _("box")
        PACK = "pack", _("pack")
        KILOGRAM = "kg", _("kilogram")
        GRAM = "g", _("gram")
        LITRE = "l", _("litre")
        MILLILITRE = "ml", _("millilitre")
        METRE = "m", _("metre")

    sku = models.CharField(_("SKU"), max_length=64)
    barcode = models.CharField(_("barcode"), max_length=64, null=True, blank=True, unique=True)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    unit = models.CharField(_("unit"), max_length=8, choices=Unit.choices, default=Unit.PIECE)
    category = models.ForeignKey(
        Category,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="products",
        verbose_name=_("category"),
    )
    tags = models.ManyToManyField(Tag, blank=True, related_name="products", verbose_name=_("tags"))
    preferred_supplier = models.ForeignKey(
        "suppliers.Supplier",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="preferred_products",
        verbose_name=_("preferred supplier"),
    )
    cost_price = models.DecimalField(
        _("cost price"),
        max_digits=16,
        decimal_places=4,
        default=Decimal(0),
        validators=[MinValueValidator(0)],
    )
    sale_price = models.DecimalField(
        _("sale price"),
        max_digits=14,
        decimal_places=2,
        default=Decimal(0),
        validators=[MinValueValidator(0)],
    )
    tax_rate = models.DecimalField(
        _("tax rate (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal(0),
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    reorder_point = models.DecimalField(
        _("reorder point"),
        max_digits=12,
        decimal_places=3,
        default=Decimal(0),
        validators=[MinValueValidator(0)],
        help_text=_("Reorder when available stock falls to this level."),
    )
    reorder_quantity = models.DecimalField(
        _("reorder quantity"),
        max_digits=12,
        decimal_places=3,
        default=Decimal(0),
        validators=[MinValueValidator(0)],
    )
    image = models.ImageField(_("image"), upload_to="products/", blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    # Kept by PostgreSQL itself; the 'simple' configuration does not stem SKUs or brand names.
    search_vector = models.GeneratedField(
        expression=SearchVector("sku", SkuWords("sku"), "name", "barcode", config="simple"),
        output_field=SearchVectorField(),
        db_persist=True,
    )

    class Meta:
        verbose_name = _("product")
        verbose_name_plural = _("products")
        ordering = ["name", "pk"]
        permissions = [("view_cost_price", _("Can see cost prices and stock value"))]
        indexes = [
            GinIndex(fields=["search_vector"], name="products_product_search_gin"),
            # The default order of lists, and the price sort, read straight from an index.
            models.Index(fields=["name", "id"], name="products_product_name_idx"),
            # Active products (the list's default) in list order, read index-only: the pages of
            # the list and its count skip to any offset without visiting the table.
            models.Index(
                fields=["name", "id"],
                condition=models.Q(is_active=True),
                name="products_product_active_name",
            ),
            models.Index(fields=["sale_price", "id"], name="products_product_price_idx"),
            # SKU prefix search (LIKE 'abc%') whatever the database collation.
            models.Index(
                OpClass(Lower("sku"), name="text_pattern_ops"), name="products_product_sku_prefix"
            ),
            models.Index(fields=["category", "is_active"], name="products_product_cat_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                Lower("sku"),
                name="products_product_sku_ci_unique",
                violation_error_message=_("A product with this SKU already exists."),
            ),
            models.CheckConstraint(
                condition=models.Q(cost_price__gte=0, sale_price__gte=0),
                name="products_product_prices_gte_0",
            ),
            models.CheckConstraint(
                condition=models.Q(tax_rate__gte=0, tax_rate__lte=100),
                name="products_product_tax_rate_range",
            ),
            models.CheckConstraint(
                condition=models.Q(reorder_point__gte=0, reorder_quantity__gte=0),
                name="products_product_reorder_gte_0",
            ),
            models.CheckConstraint(
                condition=~models.Q(barcode=""), name="products_product_barcode_not_empty"
            ),
        ]

    def __str__(self):
        return f"{self.sku} · {self.name}"

    def get_absolute_url(self):
        return reverse("products:product_detail", kwargs={"pk": self.pk})
