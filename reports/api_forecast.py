"""Forecasts, reorder suggestions, draft purchase orders from them, and forecast runs, under
/api/v1/. Managers and admins, as on the pages; the numbers are the pages' numbers."""

from decimal import Decimal

import django_filters
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from inventory_site.api.errors import Conflict
from inventory_site.api.idempotency import PARAMETER, idempotent
from products.models import Category
from products.selectors import category_descendant_ids
from suppliers.models import SupplierProduct

from .forecast_runs import forecast_run_start
from .forms_replenishment import ReplenishmentFilterForm
from .models import ForecastRun, ProductForecast
from .replenishment import (
    MAX_QUANTITY,
    OrderLine,
    ReplenishmentError,
    replenishment_orders_create,
)
from .selectors.replenishment import SERVICE_LEVELS, reorder_suggestions

VIEW = "reports.view_reports"


class HasPermissions(permissions.BasePermission):
    """Signed in and holding every permission the view lists for the request's method."""

    def has_permission(self, request, view):
        if not request.user.is_authenticated:
            return False
        needed = view.required_permissions.get(request.method, view.required_permissions["GET"])
        return request.user.has_perms(needed)


# --- Stored forecasts -------------------------------------------------------------------------
class ForecastSerializer(serializers.ModelSerializer):
    sku = serializers.CharField(source="product.sku", read_only=True)
    name = serializers.CharField(source="product.name", read_only=True)
    method_label = serializers.SerializerMethodField()
    accuracy_label = serializers.SerializerMethodField()
    fallback_reason = serializers.SerializerMethodField()

    class Meta:
        model = ProductForecast
        fields = [
            "product", "sku", "name", "period", "history_start", "history", "censored",
            "forecast_start", "forecast", "lower", "upper", "level", "method", "method_label",
            "params", "sigma", "mae", "bias", "mase", "accuracy", "accuracy_label", "fallback",
            "fallback_reason", "demand_class", "seasonal", "n_observed", "n_censored",
            "location_shares", "next_4_weeks", "next_13_weeks", "computed_at",
        ]  # fmt: skip
        read_only_fields = fields

    def get_method_label(self, stored) -> str:
        from .forecasting.selection import METHOD_LABELS

        return str(METHOD_LABELS.get(stored.method, stored.method))

    def get_accuracy_label(self, stored) -> str:
        from .forecasting.backtest import ACCURACY_LABELS

        return str(ACCURACY_LABELS.get(stored.accuracy, stored.accuracy))

    def get_fallback_reason(self, stored) -> str:
        from .forecasting.selection import FALLBACK_REASONS

        return str(FALLBACK_REASONS[stored.fallback]) if stored.fallback else ""


class ForecastFilter(django_filters.FilterSet):
    product = django_filters.NumberFilter(field_name="product_id")
    category = django_filters.ModelChoiceFilter(
        queryset=Category.objects.all(), field_name="product__category", method="in_category",
        label=_("Category (with its subcategories)"),
    )  # fmt: skip
    supplier = django_filters.NumberFilter(method="offered_by", label=_("Supplier id"))
    accuracy = django_filters.ChoiceFilter(
        choices=[(code, code) for code in ("good", "fair", "poor", "unknown")]
    )

    class Meta:
        model = ProductForecast
        fields = ["product", "category", "supplier", "accuracy"]

    def in_category(self, queryset, name, value):
        return queryset.filter(product__category_id__in=category_descendant_ids([value.pk]))

    def offered_by(self, queryset, name, value):
        return queryset.filter(
            product_id__in=SupplierProduct.objects.filter(supplier_id=value).values("product_id")
        )


class ForecastViewSet(viewsets.ReadOnlyModelViewSet):
    """The latest stored weekly forecast per product (most demand first); `/forecasts/<product
    id>/` is one product's. Weekly arrays: `history` from `history_start`, `forecast`,
    `lower`, `upper` from `forecast_start`."""

    serializer_class = ForecastSerializer
    permission_classes = [HasPermissions]
    required_permissions = {"GET": [VIEW]}
    filter_backends = [DjangoFilterBackend]
    filterset_class = ForecastFilter
    lookup_field = "product_id"
    lookup_url_kwarg = "product"
    lookup_value_regex = r"\d+"
    queryset = (
        ProductForecast.objects.filter(product__is_active=True)
        .select_related("product")
        .order_by("-next_13_weeks", "product_id")
    )


# --- Reorder suggestions ----------------------------------------------------------------------
class SuggestionSerializer(serializers.Serializer):
    """One product at one location: the reasoning and the suggested quantity."""

    product = serializers.IntegerField(source="product.pk")
    sku = serializers.CharField(source="product.sku")
    name = serializers.CharField(source="product.name")
    location = serializers.IntegerField(source="location.pk")
    location_name = serializers.CharField(source="location.name")
    supplier = serializers.IntegerField(source="terms.supplier_id", allow_null=True)
    supplier_name = serializers.CharField(source="terms.supplier_name", allow_null=True)
    orderable = serializers.BooleanField()
    share = serializers.FloatField(help_text="The location's share of the product's demand.")
    forecast_next_7_days = serializers.FloatField(source="weekly_demand")
    lead_days = serializers.IntegerField(allow_null=True)
    protection_days = serializers.FloatField(source="advice.protection_days")
    demand_over_protection = serializers.FloatField(source="advice.demand_over_protection")
    z = serializers.FloatField(source="advice.z")
    safety_stock = serializers.FloatField(source="advice.safety_stock")
    available = serializers.FloatField(source="advice.available")
    on_order = serializers.FloatField(
        source="advice.on_order", help_text="Outstanding on sent orders plus draft orders."
    )
    in_drafts = serializers.DecimalField(max_digits=14, decimal_places=3, coerce_to_string=False)
    shortfall = serializers.FloatField(source="advice.shortfall")
    moq = serializers.FloatField(source="advice.moq")
    suggested = serializers.DecimalField(max_digits=14, decimal_places=3, coerce_to_string=False)
    run_out = serializers.DateField(source="advice.run_out", allow_null=True)
    days_of_cover = serializers.FloatField(source="advice.days_of_cover", allow_null=True)
    accuracy = serializers.CharField(source="stored.accuracy")
    method = serializers.CharField(source="stored.method")


class SuggestionListSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    service_level = serializers.FloatField()
    review_days = serializers.IntegerField()
    results = SuggestionSerializer(many=True)


SUGGESTION_PARAMETERS = [
    OpenApiParameter(
        "service_level", OpenApiTypes.NUMBER, enum=list(SERVICE_LEVELS),
        description="Chance that stock lasts until the next delivery (default 0.95).",
    ),
    OpenApiParameter("review_days", OpenApiTypes.INT, description="Days between orders "
                     "(0-90, default 7)."),
    OpenApiParameter("location", OpenApiTypes.INT, description="Location id."),
    OpenApiParameter("supplier", OpenApiTypes.INT, description="Supplier id: lines bought there."),
    OpenApiParameter("category", OpenApiTypes.INT, description="Category id (with subcategories)."),
    OpenApiParameter("all", OpenApiTypes.BOOL, description="Also lines with nothing to order."),
]  # fmt: skip


class ReorderSuggestionsView(APIView):
    """What to order now per product and location, computed as the replenishment page does:
    the stored forecast against live stock and open purchase orders."""

    permission_classes = [HasPermissions]
    required_permissions = {"GET": [VIEW]}

    @extend_schema(
        operation_id="reorder_suggestions",
        parameters=SUGGESTION_PARAMETERS,
        responses={
            200: SuggestionListSerializer,
            400: OpenApiResponse(
                response=OpenApiTypes.OBJECT,
                description="A parameter is invalid; the body says which and why.",
            ),
        },
        tags=["forecasts"],
    )
    def get(self, request):
        form = ReplenishmentFilterForm(request.query_params)
        if not form.is_valid():
            raise ValidationError(form.errors.get_json_data())
        filters = form.filters()
        everything = request.query_params.get("all", "").lower() in ("1", "true", "yes")
        suggestions = reorder_suggestions(**filters, only_orders=not everything)
        body = {
            "count": len(suggestions),
            "service_level": filters["service_level"],
            "review_days": filters["review_days"],
            "results": suggestions,
        }
        return Response(SuggestionListSerializer(body).data)


class OrderLineSerializer(serializers.Serializer):
    product = serializers.IntegerField(min_value=1)
    location = serializers.IntegerField(min_value=1)
    quantity = serializers.DecimalField(
        max_digits=14, decimal_places=3, min_value=Decimal("0.001"), max_value=MAX_QUANTITY
    )


class OrderLinesSerializer(serializers.Serializer):
    lines = OrderLineSerializer(many=True, allow_empty=False, max_length=2000)


class CreatedOrderSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField()
    supplier = serializers.IntegerField(source="supplier_id")
    location = serializers.IntegerField(source="location_id")
    status = serializers.CharField()


class CreatedOrdersSerializer(serializers.Serializer):
    purchase_orders = CreatedOrderSerializer(many=True)


class ReorderPurchaseOrdersView(APIView):
    """Create draft purchase orders from suggestion lines: one per supplier and location, at
    catalogue prices; all or nothing. Send an Idempotency-Key to make a retry safe."""

    permission_classes = [HasPermissions]
    required_permissions = {"GET": [VIEW], "POST": [VIEW, "orders.add_purchaseorder"]}

    @extend_schema(
        operation_id="reorder_suggestions_purchase_orders",
        request=OrderLinesSerializer,
        parameters=[PARAMETER],
        responses={
            201: CreatedOrdersSerializer,
            409: OpenApiResponse(description="The Idempotency-Key was used for another body."),
        },
        tags=["forecasts"],
    )
    def post(self, request):
        body = OrderLinesSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        lines = [
            OrderLine(line["product"], line["location"], line["quantity"])
            for line in body.validated_data["lines"]
        ]

        def act():
            try:
                orders = replenishment_orders_create(actor=request.user, lines=lines)
            except ReplenishmentError as error:
                raise ValidationError({"lines": [error.message], "line": error.key}) from error
            return Response(
                CreatedOrdersSerializer({"purchase_orders": orders}).data,
                status=status.HTTP_201_CREATED,
            )

        return idempotent(request, "reorder-purchase-orders", act)


# --- Forecast runs ----------------------------------------------------------------------------
class ForecastRunSerializer(serializers.ModelSerializer):
    percent = serializers.IntegerField(read_only=True)

    class Meta:
        model = ForecastRun
        fields = [
            "id", "status", "stage", "total_products", "processed_products", "percent",
            "horizon", "history_weeks", "error", "requested_by", "created_at", "started_at",
            "finished_at",
        ]  # fmt: skip
        read_only_fields = fields


class RunUnderWay(Conflict):
    default_detail = _("A forecast run is already under way.")
    default_code = "forecast_run_under_way"


class ForecastRunViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Forecast runs, newest first; POST starts one (202), unless one is under way (409)."""

    serializer_class = ForecastRunSerializer
    permission_classes = [HasPermissions]
    required_permissions = {"GET": [VIEW], "POST": [VIEW, "reports.run_forecasts"]}
    queryset = ForecastRun.objects.order_by("-created_at", "-pk")

    @extend_schema(
        request=None,
        responses={
            202: ForecastRunSerializer,
            409: OpenApiResponse(description="A run is already under way."),
        },
    )
    def create(self, request):
        run, created = forecast_run_start(actor=request.user)
        if not created:
            raise RunUnderWay(
                _("A forecast run is already under way (run %(id)s).") % {"id": run.pk}
            )
        return Response(ForecastRunSerializer(run).data, status=status.HTTP_202_ACCEPTED)
