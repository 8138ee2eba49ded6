"""REST API of purchase orders, sales orders and counter sales: the same services, rules and
errors as the pages. Every action that moves stock or money accepts an Idempotency-Key."""

import uuid
from decimal import Decimal

from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from inventory_site.api.idempotency import PARAMETER, idempotent
from products.api import CostHidingSerializer
from products.models import Product
from stock.api import refusals
from stock.models import Location
from stock.selectors import locations_for

from .documents import invoice_pdf, pdf_response, purchase_order_pdf, receipt_pdf
from .filters import PurchaseOrderFilter, SalesOrderFilter
from .models import (
    Customer,
    PurchaseOrder,
    PurchaseOrderLine,
    SalesOrder,
    SalesOrderLine,
    SalesReturn,
)
from .selectors import purchase_order_list, sales_order_list
from .services import purchasing, sales

QUANTITY = {"max_digits": 14, "decimal_places": 3}
PDF = OpenApiResponse(description="A PDF document (application/pdf).")


class ActionAllowed(permissions.BasePermission):
    """Signed in, and holding the permission the view names for the request's action."""

    def has_permission(self, request, view):
        if not request.user.is_authenticated:
            return False
        needed = view.permission_for(request)
        return all(request.user.has_perm(name) for name in needed)


# --- Purchase orders ---------------------------------------------------------------------------
class PurchaseLineSerializer(CostHidingSerializer):
    cost_fields = ("unit_cost",)
    outstanding = serializers.DecimalField(**QUANTITY, read_only=True)

    class Meta:
        model = PurchaseOrderLine
        fields = ["id", "product", "quantity", "unit_cost", "received_quantity", "outstanding"]
        read_only_fields = ["received_quantity"]
        extra_kwargs = {"unit_cost": {"required": False, "allow_null": True}}


class PurchaseOrderSerializer(serializers.ModelSerializer):
    lines = PurchaseLineSerializer(many=True, required=False)

    class Meta:
        model = PurchaseOrder
        fields = ["id", "number", "supplier", "location", "status", "order_date"]
        fields += ["expected_date", "notes", "lines", "created_at"]
        read_only_fields = ["number", "status", "order_date", "created_at"]

    def validate_lines(self, lines):
        return [
            purchasing.PurchaseLine(line["product"], line["quantity"], line.get("unit_cost"))
            for line in lines
        ]


class NoteSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class LineQuantitySerializer(serializers.Serializer):
    line = serializers.IntegerField(help_text="The id of an order line.")
    quantity = serializers.DecimalField(**QUANTITY, min_value=0)


class QuantitiesSerializer(NoteSerializer):
    lines = LineQuantitySerializer(many=True, allow_empty=False, max_length=2000)

    def quantities(self) -> dict:
        return {item["line"]: item["quantity"] for item in self.validated_data["lines"]}


class PurchaseOrderViewSet(viewsets.ModelViewSet):
    """Purchase orders. Everyone signed in reads those they may see (staff: their locations');
    managers and admins draft, edit and delete drafts, place, cancel and close; staff receive."""

    serializer_class = PurchaseOrderSerializer
    permission_classes = [ActionAllowed]
    filter_backends = [DjangoFilterBackend]
    filterset_class = PurchaseOrderFilter
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]
    PERMISSIONS = {
        "list": ["orders.view_purchaseorder"],
        "retrieve": ["orders.view_purchaseorder"],
        "pdf": ["orders.view_purchaseorder", "products.view_cost_price"],
        "create": ["orders.add_purchaseorder"],
        "partial_update": ["orders.change_purchaseorder"],
        "destroy": ["orders.order_purchaseorder"],
        "place": ["orders.order_purchaseorder"],
        "cancel": ["orders.order_purchaseorder"],
        "close": ["orders.order_purchaseorder"],
        "receive": ["orders.receive_purchaseorder"],
    }

    def permission_for(self, request):
        return self.PERMISSIONS.get(self.action, ["orders.change_purchaseorder"])

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema generator has no user
            return PurchaseOrder.objects.none()
        return purchase_order_list(self.request.user).prefetch_related("lines").order_by("-pk")

    def create(self, request):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        with refusals():
            order = purchasing.purchase_order_create(
                actor=request.user, lines=data.pop("lines", []), **data
            )
        return Response(self.get_serializer(order).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request, pk=None):
        order = self.get_object()
        serializer = self.get_serializer(order, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        with refusals():
            order = purchasing.purchase_order_update(
                actor=request.user, order=order, lines=data.pop("lines", None), **data
            )
        return Response(self.get_serializer(order).data)

    def destroy(self, request, pk=None):
        with refusals():
            purchasing.purchase_order_delete(actor=request.user, order=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)

    def _transition(self, request, service):
        order = self.get_object()
        note = NoteSerializer(data=request.data)
        note.is_valid(raise_exception=True)
        with refusals():
            order = service(actor=request.user, order=order, **note.validated_data)
        return Response(self.get_serializer(order).data)

    @extend_schema(request=NoteSerializer, responses={200: PurchaseOrderSerializer})
    @action(detail=True, methods=["post"])
    def place(self, request, pk=None):
        return self._transition(request, purchasing.purchase_order_place)

    @extend_schema(request=NoteSerializer, responses={200: PurchaseOrderSerializer})
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        return self._transition(request, purchasing.purchase_order_cancel)

    @extend_schema(request=NoteSerializer, responses={200: PurchaseOrderSerializer})
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        return self._transition(request, purchasing.purchase_order_close)

    @extend_schema(
        request=QuantitiesSerializer, parameters=[PARAMETER],
        responses={200: PurchaseOrderSerializer},
    )  # fmt: skip
    @action(detail=True, methods=["post"])
    def receive(self, request, pk=None):
        """Receive goods: `lines` lists what arrived per order line (all or nothing)."""
        order = self.get_object()
        body = QuantitiesSerializer(data=request.data)
        body.is_valid(raise_exception=True)

        def act():
            with refusals():
                done = purchasing.purchase_order_receive(
                    actor=request.user, order=order, quantities=body.quantities(),
                    note=body.validated_data["note"],
                )  # fmt: skip
            return Response(self.get_serializer(done).data)

        return idempotent(request, f"purchase-order-receive:{order.pk}", act)

    @extend_schema(responses={(200, "application/pdf"): PDF})
    @action(detail=True, methods=["get"])
    def pdf(self, request, pk=None):
        order = self.get_object()
        return pdf_response(purchase_order_pdf(order), f"purchase-order-{order.number}")


# --- Sales orders ------------------------------------------------------------------------------
class SalesLineSerializer(serializers.ModelSerializer):
    class Meta:
        model = SalesOrderLine
        fields = ["id", "product", "quantity", "discount_percent", "unit_price", "tax_rate"]
        fields += ["gross_amount", "discount_amount", "tax_amount", "fulfilled_quantity"]
        fields += ["returned_quantity"]
        read_only_fields = ["unit_price", "tax_rate", "gross_amount", "discount_amount"]
        read_only_fields += ["tax_amount", "fulfilled_quantity", "returned_quantity"]
        extra_kwargs = {"discount_percent": {"required": False}}


class SalesOrderSerializer(serializers.ModelSerializer):
    lines = SalesLineSerializer(many=True, required=False)
    change_due = serializers.DecimalField(max_digits=16, decimal_places=2, read_only=True)

    class Meta:
        model = SalesOrder
        fields = ["id", "number", "customer", "location", "status", "channel", "order_date"]
        fields += ["notes", "payment_method", "amount_paid", "change_due", "subtotal"]
        fields += ["discount_total", "tax_total", "total", "lines", "created_at"]
        read_only_fields = ["number", "status", "channel", "order_date", "payment_method"]
        read_only_fields += ["amount_paid", "subtotal", "discount_total", "tax_total", "total"]
        read_only_fields += ["created_at"]

    def validate_lines(self, lines):
        return [
            sales.SaleLine(line["product"], line["quantity"], line.get("discount_percent") or 0)
            for line in lines
        ]


class ReturnSerializer(QuantitiesSerializer):
    reason = serializers.ChoiceField(choices=SalesReturn.Reason.choices)


class SalesOrderViewSet(viewsets.ModelViewSet):
    """Sales orders. Everyone signed in reads those they may see (staff: their locations');
    managers and admins draft, confirm (reserving stock), fulfil, complete, cancel and take
    returns. Stock-moving actions accept an Idempotency-Key; a shortfall is a 409."""

    serializer_class = SalesOrderSerializer
    permission_classes = [ActionAllowed]
    filter_backends = [DjangoFilterBackend]
    filterset_class = SalesOrderFilter
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]
    PERMISSIONS = {
        "list": ["orders.view_salesorder"],
        "retrieve": ["orders.view_salesorder"],
        "invoice": ["orders.view_salesorder"],
        "receipt": ["orders.view_salesorder"],
        "create": ["orders.add_salesorder"],
        "partial_update": ["orders.change_salesorder"],
        "return_goods": ["orders.return_salesorder"],
    }

    def permission_for(self, request):
        return self.PERMISSIONS.get(self.action, ["orders.confirm_salesorder"])

    # Actions that lock the order and answer with what the service returns: its lines would be
    # read again anyway.
    TRANSITIONS = {"confirm", "fulfil", "complete", "cancel"}

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema generator has no user
            return SalesOrder.objects.none()
        orders = sales_order_list(self.request.user).order_by("-pk")
        return orders if self.action in self.TRANSITIONS else orders.prefetch_related("lines")

    def create(self, request):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        self._check_location(data["location"])
        with refusals():
            order = sales.sales_order_create(
                actor=request.user, lines=data.pop("lines", []), **data
            )
        return Response(self.get_serializer(order).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request, pk=None):
        order = self.get_object()
        serializer = self.get_serializer(order, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        if "location" in data:
            self._check_location(data["location"])
        with refusals():
            order = sales.sales_order_update(
                actor=request.user, order=order, lines=data.pop("lines", None), **data
            )
        return Response(self.get_serializer(order).data)

    def destroy(self, request, pk=None):
        with refusals():
            sales.sales_order_delete(actor=request.user, order=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)

    def _check_location(self, location):
        if not locations_for(self.request.user).filter(pk=location.pk).exists():
            raise PermissionDenied(
                _("You may not sell from %(location)s.") % {"location": location}
            )

    def _act(self, request, endpoint, service, body_class=NoteSerializer, **extra):
        order = self.get_object()
        body = body_class(data=request.data)
        body.is_valid(raise_exception=True)
        arguments = {"note": body.validated_data["note"], **extra}
        if isinstance(body, QuantitiesSerializer):
            arguments["quantities"] = body.quantities()
        if isinstance(body, ReturnSerializer):
            arguments["reason"] = body.validated_data["reason"]

        def act():
            with refusals():
                done = service(actor=request.user, order=order, **arguments)
            if endpoint not in self.TRANSITIONS:  # a return answers with its SalesReturn
                order.refresh_from_db()
                done = order
            return Response(self.get_serializer(done).data)

        return idempotent(request, f"sales-order-{endpoint}:{order.pk}", act)

    @extend_schema(
        request=NoteSerializer, parameters=[PARAMETER], responses={200: SalesOrderSerializer}
    )
    @action(detail=True, methods=["post"])
    def confirm(self, request, pk=None):
        """Fix prices and reserve stock for every line (409 names the first short product)."""
        return self._act(request, "confirm", sales.sales_order_confirm)

    @extend_schema(
        request=QuantitiesSerializer, parameters=[PARAMETER],
        responses={200: SalesOrderSerializer},
    )  # fmt: skip
    @action(detail=True, methods=["post"])
    def fulfil(self, request, pk=None):
        """Hand goods over: `lines` lists what goes out per order line."""
        return self._act(request, "fulfil", sales.sales_order_fulfil, QuantitiesSerializer)

    @extend_schema(
        request=NoteSerializer, parameters=[PARAMETER], responses={200: SalesOrderSerializer}
    )
    @action(detail=True, methods=["post"])
    def complete(self, request, pk=None):
        return self._act(request, "complete", sales.sales_order_complete)

    @extend_schema(
        request=NoteSerializer, parameters=[PARAMETER], responses={200: SalesOrderSerializer}
    )
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        """Cancel; a confirmed order's unfulfilled reservations are released."""
        return self._act(request, "cancel", sales.sales_order_cancel)

    @extend_schema(
        request=ReturnSerializer, parameters=[PARAMETER], responses={200: SalesOrderSerializer}
    )
    @action(detail=True, methods=["post"], url_path="return")
    def return_goods(self, request, pk=None):
        """Take goods back from a fulfilled order, saying why."""
        return self._act(request, "return", sales.sales_order_return, ReturnSerializer)

    @extend_schema(responses={(200, "application/pdf"): PDF})
    @action(detail=True, methods=["get"])
    def invoice(self, request, pk=None):
        order = self.get_object()
        return pdf_response(invoice_pdf(order), f"invoice-{order.number}")

    @extend_schema(responses={(200, "application/pdf"): PDF})
    @action(detail=True, methods=["get"])
    def receipt(self, request, pk=None):
        order = self.get_object()
        return pdf_response(receipt_pdf(order), f"receipt-{order.number}")


# --- Counter sales -----------------------------------------------------------------------------
class CounterLineSerializer(serializers.Serializer):
    # The id only: CounterSaleSerializer looks every line's product up at once.
    product = serializers.IntegerField(min_value=1, max_value=2**63 - 1, help_text="A product id.")
    quantity = serializers.DecimalField(**QUANTITY, min_value=Decimal("0.001"))


class CounterSaleSerializer(serializers.Serializer):
    token = serializers.UUIDField(
        help_text="A new UUID per sale: sending the same token again returns the same sale."
    )
    location = serializers.PrimaryKeyRelatedField(queryset=Location.objects.all())
    customer = serializers.PrimaryKeyRelatedField(
        queryset=Customer.objects.all(), required=False, allow_null=True
    )
    lines = CounterLineSerializer(many=True, allow_empty=False, max_length=500)
    payment_method = serializers.ChoiceField(choices=SalesOrder.Payment.choices)
    amount_paid = serializers.DecimalField(
        max_digits=16, decimal_places=2, min_value=0, required=False, allow_null=True,
        help_text="Cash handed over (cash sales); card and transfer pay the total.",
    )  # fmt: skip

    def validate_lines(self, lines):
        """Each product once, active: all looked up in one query (the errors of a missing one
        are where a related field would put them)."""
        ids = [line["product"] for line in lines]
        if len(ids) != len(set(ids)):
            raise serializers.ValidationError(_("Each product may appear on an order once."))
        products = Product.objects.filter(is_active=True).in_bulk(ids)
        if len(products) < len(ids):
            missing = serializers.PrimaryKeyRelatedField.default_error_messages["does_not_exist"]
            raise serializers.ValidationError(
                [{} if pk in products else {"product": [missing.format(pk_value=pk)]} for pk in ids]
            )
        return [{**line, "product": products[line["product"]]} for line in lines]


class CounterSaleView(APIView):
    """Sell at the counter in one step (created, confirmed and fulfilled in one transaction).
    201 with the sale; the same token again: 200 with the same sale, never a second one."""

    permission_classes = [ActionAllowed]

    def permission_for(self, request):
        return ["orders.counter_sale"]

    @extend_schema(
        request=CounterSaleSerializer,
        responses={
            201: SalesOrderSerializer,
            200: SalesOrderSerializer,
            409: OpenApiResponse(description="Not enough stock."),
        },
    )
    def post(self, request):
        body = CounterSaleSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        with refusals():
            sale, created = sales.counter_sale(
                actor=request.user, location=data["location"], customer=data.get("customer"),
                lines=[sales.SaleLine(line["product"], line["quantity"]) for line in data["lines"]],
                payment_method=data["payment_method"], amount_paid=data.get("amount_paid"),
                token=uuid.UUID(str(data["token"])),
            )  # fmt: skip
        if not created and sale.created_by_id != request.user.pk:
            raise PermissionDenied(_("This token belongs to another user's sale."))
        code = status.HTTP_201_CREATED if created else status.HTTP_200_OK
        return Response(SalesOrderSerializer(sale, context={"request": request}).data, status=code)
