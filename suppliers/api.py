"""REST API of suppliers and their catalogues: /api/v1/suppliers/, supplier-products/."""

import django_filters
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import filters, serializers, viewsets

from inventory_site.api.errors import service_errors, unique_ci
from products.api import CostHidingSerializer

from . import services
from .filters import SupplierFilter
from .models import Supplier, SupplierProduct
from .selectors import supplier_list


class SupplierSerializer(serializers.ModelSerializer):
    catalogue_size = serializers.IntegerField(read_only=True)

    class Meta:
        model = Supplier
        fields = ["id", "name", "contact_person", "phone", "email", "address", "notes"]
        fields += ["is_active", "catalogue_size"]

    def validate_name(self, value):
        message = _("A supplier with this name already exists.")
        return unique_ci(Supplier, "name", value, self.instance, message)


class SupplierViewSet(viewsets.ModelViewSet):
    serializer_class = SupplierSerializer
    filter_backends = [DjangoFilterBackend, filters.OrderingFilter]
    filterset_class = SupplierFilter
    ordering_fields = ["name", "id"]
    ordering = ["name", "id"]

    def get_queryset(self):
        return supplier_list()

    def perform_create(self, serializer):
        with service_errors():
            serializer.instance = services.supplier_save(
                actor=self.request.user, **serializer.validated_data
            )
        serializer.instance.catalogue_size = 0

    def perform_update(self, serializer):
        with service_errors():
            services.supplier_save(
                actor=self.request.user, supplier=serializer.instance, **serializer.validated_data
            )

    def perform_destroy(self, instance):
        with service_errors():
            services.supplier_delete(actor=self.request.user, supplier=instance)


class SupplierProductSerializer(CostHidingSerializer):
    cost_fields = ("purchase_price",)

    class Meta:
        model = SupplierProduct
        fields = ["id", "supplier", "product", "supplier_sku", "purchase_price"]
        fields += ["lead_time_days", "min_order_quantity"]
        validators = [
            serializers.UniqueTogetherValidator(
                queryset=SupplierProduct.objects.all(),
                fields=["supplier", "product"],
                message=_("This supplier already lists this product."),
            )
        ]


class SupplierProductFilter(django_filters.FilterSet):
    class Meta:
        model = SupplierProduct
        fields = ["supplier", "product"]


class SupplierProductViewSet(viewsets.ModelViewSet):
    serializer_class = SupplierProductSerializer
    filter_backends = [DjangoFilterBackend, filters.OrderingFilter]
    filterset_class = SupplierProductFilter
    ordering_fields = ["id", "lead_time_days"]
    ordering = ["id"]
    queryset = SupplierProduct.objects.select_related("supplier", "product")

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        supplier = data.pop("supplier")
        with service_errors():
            serializer.instance = services.catalogue_item_save(
                actor=self.request.user, supplier=supplier, **data
            )

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        supplier = data.pop("supplier", serializer.instance.supplier)
        with service_errors():
            services.catalogue_item_save(
                actor=self.request.user, supplier=supplier, item=serializer.instance, **data
            )

    def perform_destroy(self, instance):
        services.catalogue_item_delete(actor=self.request.user, item=instance)
