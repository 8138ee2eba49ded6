"""REST API of orders."""

from django.db.models import ProtectedError
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import serializers, viewsets

from inventory_site.api.errors import Conflict, service_errors

from .filters import CustomerFilter
from .models import Customer
from .selectors import customer_list
from .services.customers import customer_save


class CustomerSerializer(serializers.ModelSerializer):
    order_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Customer
        fields = ["id", "name", "contact_person", "phone", "email", "address", "tax_number"]
        fields += ["notes", "is_active", "order_count"]


class CustomerViewSet(viewsets.ModelViewSet):
    """Customers: everyone signed in reads; managers and admins write; admins delete a customer
    without orders."""

    serializer_class = CustomerSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = CustomerFilter

    def get_queryset(self):
        return customer_list()

    def perform_create(self, serializer):
        with service_errors():
            serializer.instance = customer_save(
                actor=self.request.user, **serializer.validated_data
            )
        serializer.instance.order_count = 0

    def perform_update(self, serializer):
        with service_errors():
            customer_save(
                actor=self.request.user, customer=serializer.instance, **serializer.validated_data
            )

    def perform_destroy(self, instance):
        try:
            instance.delete()
        except ProtectedError as error:
            raise Conflict(_("This customer has orders; deactivate them instead.")) from error
