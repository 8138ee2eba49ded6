"""REST API of stock: locations, levels and movements to read; receive, adjust, transfer and
count to act. Actions accept an Idempotency-Key header and answer with the movements made."""

from contextlib import contextmanager
from decimal import Decimal

from django.db.models import ProtectedError
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, pagination, permissions, serializers, status, viewsets
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param
from rest_framework.views import APIView

from inventory_site.api.errors import Conflict, service_errors, unique_ci
from inventory_site.api.idempotency import PARAMETER, idempotent
from products.api import CostHidingSerializer
from products.models import Product

from . import services
from .filters import MovementFilter
from .models import Location, StockLevel, StockMovement
from .selectors import movement_list, movement_page


class LocationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Location
        fields = ["id", "name", "kind", "address", "is_active"]

    def validate_name(self, value):
        message = _("A location with this name already exists.")
        return unique_ci(Location, "name", value, self.instance, message)


class LocationViewSet(viewsets.ModelViewSet):
    serializer_class = LocationSerializer
    queryset = Location.objects.order_by("name", "pk")

    def perform_create(self, serializer):
        with service_errors():
            serializer.instance = services.location_save(
                actor=self.request.user, **serializer.validated_data
            )

    def perform_update(self, serializer):
        with service_errors():
            services.location_save(
                actor=self.request.user, location=serializer.instance, **serializer.validated_data
            )

    def perform_destroy(self, instance):
        try:
            instance.delete()
        except ProtectedError as error:
            raise Conflict(_("This location has stock history; deactivate it instead.")) from error


class StockLevelSerializer(serializers.ModelSerializer):
    available = serializers.DecimalField(max_digits=14, decimal_places=3, read_only=True)

    class Meta:
        model = StockLevel
        fields = ["id", "product", "location", "on_hand", "reserved", "available", "updated_at"]


class StockLevelViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = StockLevelSerializer
    queryset = StockLevel.objects.order_by("product_id", "location_id")
    filter_backends = [DjangoFilterBackend]
    filterset_fields = ["product", "location"]


class MovementSerializer(CostHidingSerializer):
    cost_fields = ("unit_cost",)

    class Meta:
        model = StockMovement
        fields = ["id", "kind", "product", "from_location", "to_location", "quantity"]
        fields += ["unit_cost", "reason", "note", "user", "created_at"]


class MovementPagination(pagination.BasePagination):
    """The ledger newest first, a page at a time by keyset: follow `next` (older) and
    `previous` (newer); `?page_size=` up to 200. No total count and no page numbers: the ledger
    grows without end, and counting it would cost more than the page."""

    page_size = 50
    max_page_size = 200

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        size = request.query_params.get("page_size", "")
        size = min(int(size), self.max_page_size) if size.isdigit() and int(size) else None
        try:
            self.page = movement_page(
                queryset,
                before=request.query_params.get("before", ""),
                after=request.query_params.get("after", ""),
                size=size or self.page_size,
            )
        except ValueError as error:
            raise serializers.ValidationError(
                {"before": [_("Not a cursor of this list; follow the next and previous links.")]}
            ) from error
        return self.page.movements

    def _link(self, key: str, cursor: str | None) -> str | None:
        if not cursor:
            return None
        url = remove_query_param(self.request.build_absolute_uri(), "before")
        return replace_query_param(remove_query_param(url, "after"), key, cursor)

    def get_paginated_response(self, data):
        return Response(
            {
                "next": self._link("before", self.page.older),
                "previous": self._link("after", self.page.newer),
                "results": data,
            }
        )

    def get_paginated_response_schema(self, schema):
        link = {"type": "string", "nullable": True, "format": "uri"}
        return {
            "type": "object",
            "required": ["results"],
            "properties": {"next": link, "previous": link, "results": schema},
        }

    def get_schema_operation_parameters(self, view):
        def parameter(name, description, schema):
            return {
                "name": name, "required": False, "in": "query", "description": description,
                "schema": schema,
            }  # fmt: skip

        cursor = {"type": "string"}
        return [
            parameter("before", "Cursor: the page older than this (from `next`).", cursor),
            parameter("after", "Cursor: the page newer than this (from `previous`).", cursor),
            parameter("page_size", "Rows a page (at most 200).", {"type": "integer"}),
        ]


class MovementViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = MovementSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = MovementFilter
    pagination_class = MovementPagination

    def get_queryset(self):
        return movement_list()


class ActionPermission(permissions.BasePermission):
    """Signed in and holding the view's `action_permission`."""

    def has_permission(self, request, view):
        return request.user.is_authenticated and request.user.has_perm(view.action_permission)


class InsufficientStockConflict(Conflict):
    default_code = "insufficient_stock"


QUANTITY = {"max_digits": 14, "decimal_places": 3, "min_value": Decimal("0.001")}


@contextmanager
def refusals():
    """Answer a stock or order service's refusal: 409 for a shortfall (it names the product,
    location and quantities), 403 for a location the user does not work at, 400 otherwise."""
    try:
        yield
    except services.InsufficientStock as refusal:
        raise InsufficientStockConflict(refusal.message) from refusal
    except services.LocationNotAllowed as refusal:
        raise exceptions.PermissionDenied(refusal.message) from refusal
    except services.StockError as refusal:
        raise serializers.ValidationError({"non_field_errors": [refusal.message]}) from refusal


class StockActionView(APIView):
    """Validate, then call one stock service in one transaction (once per Idempotency-Key)."""

    permission_classes = [ActionPermission]
    action_permission = ""
    serializer_class = None

    def post(self, request):
        serializer = self.serializer_class(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)

        def act():
            with refusals():
                movements = self.act(serializer.validated_data)
            data = MovementSerializer(movements, many=True, context={"request": request}).data
            return Response(data, status=status.HTTP_201_CREATED)

        return idempotent(request, self.action_permission, act)


def _action_schema(serializer, summary: str):
    return extend_schema(
        request=serializer,
        parameters=[PARAMETER],
        summary=summary,
        responses={
            201: MovementSerializer(many=True),
            409: OpenApiResponse(description="Not enough stock, or the key was reused."),
        },
    )


class ReceiveSerializer(serializers.Serializer):
    location = serializers.PrimaryKeyRelatedField(queryset=Location.objects.all())
    product = serializers.PrimaryKeyRelatedField(queryset=Product.objects.all())
    quantity = serializers.DecimalField(**QUANTITY)
    unit_cost = serializers.DecimalField(
        max_digits=16, decimal_places=4, min_value=0, required=False,
        help_text="Managers only; defaults to the product's current cost.",
    )  # fmt: skip
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class ReceiveView(StockActionView):
    action_permission = "stock.receive_stock"
    serializer_class = ReceiveSerializer

    @_action_schema(ReceiveSerializer, "Receive goods without an order")
    def post(self, request):
        return super().post(request)

    def act(self, data):
        product = data["product"]
        cost = data.get("unit_cost")
        if cost is None or not self.request.user.has_perm("products.view_cost_price"):
            cost = product.cost_price  # staff never set costs
        return [
            services.stock_receive(
                actor=self.request.user, product=product, location=data["location"],
                quantity=data["quantity"], unit_cost=cost, note=data["note"],
            )
        ]  # fmt: skip


class AdjustSerializer(serializers.Serializer):
    location = serializers.PrimaryKeyRelatedField(queryset=Location.objects.all())
    product = serializers.PrimaryKeyRelatedField(queryset=Product.objects.all())
    change = serializers.DecimalField(max_digits=14, decimal_places=3)
    reason = serializers.ChoiceField(choices=StockMovement.Reason.choices)
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")

    def validate_change(self, value):
        if value == 0:
            raise serializers.ValidationError(_("A change of zero changes nothing."))
        return value


class AdjustView(StockActionView):
    action_permission = "stock.adjust_stock"
    serializer_class = AdjustSerializer

    @_action_schema(AdjustSerializer, "Adjust stock for a reason")
    def post(self, request):
        return super().post(request)

    def act(self, data):
        return [services.stock_adjust(actor=self.request.user, **data)]


class LineSerializer(serializers.Serializer):
    product = serializers.PrimaryKeyRelatedField(queryset=Product.objects.all())
    quantity = serializers.DecimalField(**QUANTITY)


class TransferSerializer(serializers.Serializer):
    from_location = serializers.PrimaryKeyRelatedField(queryset=Location.objects.all())
    to_location = serializers.PrimaryKeyRelatedField(queryset=Location.objects.all())
    lines = LineSerializer(many=True, allow_empty=False, max_length=500)
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class TransferView(StockActionView):
    action_permission = "stock.transfer_stock"
    serializer_class = TransferSerializer

    @_action_schema(TransferSerializer, "Move products between two locations")
    def post(self, request):
        return super().post(request)

    def act(self, data):
        lines = [services.TransferLine(line["product"], line["quantity"]) for line in data["lines"]]
        return services.stock_transfer(
            actor=self.request.user, from_location=data["from_location"],
            to_location=data["to_location"], lines=lines, note=data["note"],
        )  # fmt: skip


class CountLineSerializer(serializers.Serializer):
    product = serializers.PrimaryKeyRelatedField(queryset=Product.objects.all())
    counted = serializers.DecimalField(max_digits=14, decimal_places=3, min_value=0)


class CountSerializer(serializers.Serializer):
    location = serializers.PrimaryKeyRelatedField(queryset=Location.objects.all())
    counts = CountLineSerializer(many=True, allow_empty=False, max_length=2000)
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")

    def validate_counts(self, value):
        products = [line["product"].pk for line in value]
        if len(products) != len(set(products)):
            raise serializers.ValidationError(_("Each product may be counted once."))
        return value


class CountView(StockActionView):
    action_permission = "stock.count_stock"
    serializer_class = CountSerializer

    @_action_schema(CountSerializer, "Post a stock count")
    def post(self, request):
        return super().post(request)

    def act(self, data):
        counts = {line["product"]: line["counted"] for line in data["counts"]}
        return services.stock_count(
            actor=self.request.user, location=data["location"], counts=counts, note=data["note"]
        )
