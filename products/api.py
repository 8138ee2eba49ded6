"""REST API of the catalogue: /api/v1/products/, categories/, tags/."""

from django.db.models import Count
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import filters, serializers, viewsets

from inventory_site.api.errors import service_errors, unique_ci

from . import services
from .filters import ProductFilter
from .models import Category, Product, Tag
from .pagination import KeysFirstPagination
from .selectors import product_list


class CostHidingSerializer(serializers.ModelSerializer):
    """Leaves out `cost_fields` for users who may not see cost prices (staff)."""

    cost_fields: tuple[str, ...] = ()

    def get_fields(self):
        fields = super().get_fields()
        request = self.context.get("request")
        if request is not None and not request.user.has_perm("products.view_cost_price"):
            for name in self.cost_fields:
                fields.pop(name, None)
        for name in self.cost_fields:
            if name in fields:
                fields[name].required = False  # absent for staff: optional in the schema
        return fields


class ProductSerializer(CostHidingSerializer):
    cost_fields = ("cost_price",)
    tags = serializers.PrimaryKeyRelatedField(queryset=Tag.objects.all(), many=True, required=False)

    class Meta:
        model = Product
        fields = [
            "id", "sku", "barcode", "name", "description", "unit", "category", "tags",
            "preferred_supplier", "cost_price", "sale_price", "tax_rate", "reorder_point",
            "reorder_quantity", "is_active", "created_at", "updated_at",
        ]  # fmt: skip
        read_only_fields = ["created_at", "updated_at"]
        extra_kwargs = {"barcode": {"allow_blank": True}}

    def validate_sku(self, value):
        return unique_ci(
            Product,
            "sku",
            value.strip(),
            self.instance,
            _("A product with this SKU already exists."),
        )


class ProductViewSet(viewsets.ModelViewSet):
    """Products. Staff read (without cost prices); managers and admins write; admins delete."""

    serializer_class = ProductSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = ProductFilter
    pagination_class = KeysFirstPagination

    def get_queryset(self):
        return product_list().prefetch_related("tags")

    def perform_create(self, serializer):
        self._save(serializer, product=None)

    def perform_update(self, serializer):
        self._save(serializer, product=serializer.instance)

    def _save(self, serializer, product):
        data = dict(serializer.validated_data)
        tags = data.pop("tags", None)
        with service_errors():
            serializer.instance = services.product_save(
                actor=self.request.user, product=product, tags=tags, **data
            )

    def perform_destroy(self, instance):
        with service_errors():
            services.product_delete(actor=self.request.user, product=instance)


class CategorySerializer(serializers.ModelSerializer):
    product_count = serializers.IntegerField(
        read_only=True, help_text="Products filed directly here."
    )

    class Meta:
        model = Category
        fields = ["id", "name", "parent", "product_count"]


class CategoryViewSet(viewsets.ModelViewSet):
    serializer_class = CategorySerializer
    filter_backends = [filters.SearchFilter, filters.OrderingFilter]
    search_fields = ["name"]
    ordering_fields = ["name", "id"]
    ordering = ["name", "id"]

    def get_queryset(self):
        return Category.objects.annotate(product_count=Count("products"))

    def perform_create(self, serializer):
        self._save(serializer, None)

    def perform_update(self, serializer):
        self._save(serializer, serializer.instance)

    def _save(self, serializer, category):
        data = serializer.validated_data
        with service_errors():
            serializer.instance = services.category_save(
                actor=self.request.user,
                category=category,
                name=data.get("name", category.name if category else ""),
                parent=data.get("parent", category.parent if category else None),
            )
        serializer.instance.product_count = serializer.instance.products.count()

    def perform_destroy(self, instance):
        with service_errors():
            services.category_delete(actor=self.request.user, category=instance)


class TagSerializer(serializers.ModelSerializer):
    class Meta:
        model = Tag
        fields = ["id", "name"]

    def validate_name(self, value):
        return unique_ci(
            Tag, "name", value.strip(), self.instance, _("A tag with this name already exists.")
        )


class TagViewSet(viewsets.ModelViewSet):
    serializer_class = TagSerializer
    queryset = Tag.objects.order_by("name", "id")
    filter_backends = [filters.SearchFilter]
    search_fields = ["name"]
