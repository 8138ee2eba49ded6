"""Each report's data as JSON under /api/v1/reports/<slug>/, with the page's filters."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from . import registry, rendering
from .forms import ReportFilterForm

FILTER_HELP = {
    "start": (OpenApiTypes.DATE, "First day (default: the report's usual span before `end`)."),
    "end": (OpenApiTypes.DATE, "Last day, included (default: today); the day of a valuation."),
    "location": (OpenApiTypes.INT, "Location id."),
    "category": (OpenApiTypes.INT, "Category id (its subcategories included)."),
    "supplier": (OpenApiTypes.INT, "Supplier id (products in its catalogue)."),
    "product": (OpenApiTypes.STR, "Product SKU."),
    "customer": (OpenApiTypes.INT, "Customer id."),
    "grain": (OpenApiTypes.STR, "day, week or month."),
}


class CanViewReports(permissions.BasePermission):
    def has_permission(self, request, view):
        return request.user.is_authenticated and request.user.has_perm("reports.view_reports")


class ReportAPIView(APIView):
    """Managers and admins."""

    permission_classes = [CanViewReports]
    report_class = None

    def get(self, request):
        report = self.report_class()
        form = ReportFilterForm(request.query_params, report=report)
        if not form.is_valid():
            raise ValidationError(form.errors.get_json_data())
        params = form.params()
        return Response(rendering.as_json(report, params, report.build(params)))


def report_api_views():
    """One view class per report, so the schema documents each one's filters."""
    views = {}
    for slug, report_class in registry.reports().items():
        names = ("start", "end", *report_class.filters)
        parameters = [
            OpenApiParameter(name, FILTER_HELP[name][0], description=FILTER_HELP[name][1])
            for name in names
        ]

        def get(self, request):
            return ReportAPIView.get(self, request)

        get = extend_schema(
            operation_id=f"reports_{slug.replace('-', '_')}",
            summary=str(report_class.title),
            description=str(report_class.question),
            parameters=parameters,
            responses={200: OpenApiTypes.OBJECT, 400: OpenApiTypes.OBJECT},
            tags=["reports"],
        )(get)
        views[slug] = type(
            f"{report_class.__name__}APIView",
            (ReportAPIView,),
            {"report_class": report_class, "get": get},
        )
    return views
