"""REST API of low stock: what is at or below its reorder point, and reorder points per
location (managers and admins)."""

from decimal import Decimal

from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import generics, serializers, viewsets
from rest_framework.validators import UniqueTogetherValidator

from inventory_site.api.errors import service_errors
from products.models import Product

from . import services
from .api import ActionPermission
from .filters import LowStockFilter
from .models import LocationMinimum
from .selectors import low_stock, low_stock_rows

QUANTITY = {"max_digits": 14, "decimal_places": 3, "read_only": True}


class LowStockSerializer(serializers.Serializer):
    product = serializers.IntegerField(source="product.pk", read_only=True)
    sku = serializers.CharField(source="product.sku", read_only=True)
    name = serializers.CharField(source="product.name", read_only=True)
    location = serializers.IntegerField(
        source="location.pk", read_only=True, allow_null=True, default=None,
        help_text="The location with its own reorder point; null: all locations together.",
    )  # fmt: skip
    available = serializers.DecimalField(**QUANTITY)
    reorder_point = serializers.DecimalField(**QUANTITY)
    shortfall = serializers.DecimalField(**QUANTITY)
    on_order = serializers.DecimalField(
        **QUANTITY, help_text="Outstanding on open purchase orders (to the location, if any)."
    )
    reorder_quantity = serializers.DecimalField(source="product.reorder_quantity", **QUANTITY)
    preferred_supplier = serializers.IntegerField(
        source="product.preferred_supplier_id", read_only=True, allow_null=True
    )


class LowStockView(generics.ListAPIView):
    """Everything at or below its reorder point, most urgent first (as the low-stock page)."""

    serializer_class = LowStockSerializer
    permission_classes = [ActionPermission]
    action_permission = "stock.view_low_stock"
    filter_backends = [DjangoFilterBackend]
    filterset_class = LowStockFilter

    def get_queryset(self):
        return Product.objects.all()  # what the filters narrow; the selector does the rest

    def list(self, request, *args, **kwargs):
        products = self.filter_queryset(self.get_queryset())
        location = request.query_params.get("location")
        rows = low_stock(location_id=int(location) if location else None, products=products)
        page = self.paginate_queryset(list(rows))  # counted in Python: one summing query
        serializer = self.get_serializer(low_stock_rows(page), many=True)
        return self.get_paginated_response(serializer.data)


class LocationMinimumSerializer(serializers.ModelSerializer):
    reorder_point = serializers.DecimalField(
        max_digits=14, decimal_places=3, min_value=Decimal("0.001")
    )

    class Meta:
        model = LocationMinimum
        fields = ["id", "product", "location", "reorder_point"]
        validators = [
            UniqueTogetherValidator(
                queryset=LocationMinimum.objects.all(),
                fields=["product", "location"],
                message=_("This product already has a reorder point here."),
            )
        ]


class LocationMinimumViewSet(viewsets.ModelViewSet):
    """A product's own reorder point at a location (besides its reorder point overall)."""

    serializer_class = LocationMinimumSerializer
    queryset = LocationMinimum.objects.order_by("product_id", "location_id")
    filter_backends = [DjangoFilterBackend]
    filterset_fields = ["product", "location"]

    def _save(self, product, location, point):
        with service_errors():
            services.location_minimums_save(
                actor=self.request.user, product=product, points={location: point}
            )

    def perform_create(self, serializer):
        data = serializer.validated_data
        self._save(data["product"], data["location"], data["reorder_point"])
        serializer.instance = LocationMinimum.objects.get(
            product=data["product"], location=data["location"]
        )

    def perform_update(self, serializer):
        old = serializer.instance
        data = {"product": old.product, "location": old.location, **serializer.validated_data}
        if (data["product"], data["location"]) != (old.product, old.location):
            self._save(old.product, old.location, None)  # moved: the old one goes
        self._save(data["product"], data["location"], data["reorder_point"])
        serializer.instance = LocationMinimum.objects.get(
            product=data["product"], location=data["location"]
        )

    def perform_destroy(self, instance):
        self._save(instance.product, instance.location, None)
