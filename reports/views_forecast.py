"""Forecast runs started from the forecast page, their progress, and the replenishment page
that turns reorder suggestions into draft purchase orders.

Managers and admins: seeing needs `reports.view_reports`, starting a run
`reports.run_forecasts`, creating purchase orders `orders.add_purchaseorder`.
"""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import View

from orders.models import PurchaseOrder

from .forecast_runs import forecast_run_start, latest_run
from .forms_replenishment import OrderSelection, ReplenishmentFilterForm
from .models import ForecastRun, ProductForecast
from .replenishment import ReplenishmentError, replenishment_orders_create
from .selectors.replenishment import (
    DEFAULT_REVIEW_DAYS,
    LINE_LIMIT,
    by_supplier,
    reorder_suggestions,
)

VIEW_PERMISSION = "reports.view_reports"
ORDER_PERMISSION = "orders.add_purchaseorder"
FILTER_FIELDS = ("location", "supplier", "category", "service_level", "review_days")
INITIAL = {"service_level": "0.95", "review_days": DEFAULT_REVIEW_DAYS}


class ForecastRunStartView(PermissionRequiredMixin, View):
    """Start a forecast run now (POST); a run under way is shown instead of a second one."""

    permission_required = "reports.run_forecasts"

    def post(self, request):
        _run, created = forecast_run_start(actor=request.user)
        if created:
            messages.success(request, _("Forecasting started. Progress is shown below."))
        else:
            messages.info(request, _("A forecast run is already under way; here is its progress."))
        return redirect("reports:report", slug="forecast")


class ForecastRunProgressView(PermissionRequiredMixin, View):
    """A run's progress fragment, polled every second while it runs."""

    permission_required = VIEW_PERMISSION

    def get(self, request, pk):
        run = get_object_or_404(ForecastRun, pk=pk)
        return render(request, "reports/_forecast_run.html", {"run": run})


class ReplenishmentView(PermissionRequiredMixin, View):
    """Reorder suggestions grouped by supplier; ticked lines become draft purchase orders."""

    permission_required = VIEW_PERMISSION
    template_name = "reports/replenishment.html"

    def get(self, request):
        form = ReplenishmentFilterForm(request.GET or None, initial=INITIAL)
        return self.render(request, form, OrderSelection(request.GET))

    def post(self, request):
        if not request.user.has_perm(ORDER_PERMISSION):
            raise PermissionDenied
        form = ReplenishmentFilterForm(request.POST)
        selection = OrderSelection(request.POST)
        if not selection.is_valid():
            if not selection.chosen:
                messages.error(request, _("Tick the lines to order first."))
            else:
                messages.error(request, _("Some quantities need correcting; nothing was ordered."))
            return self.render(request, form, selection, status=400)
        try:
            orders = replenishment_orders_create(actor=request.user, lines=selection.lines)
        except ReplenishmentError as error:
            if error.key:
                selection.errors[error.key] = error.message
            messages.error(request, _("Nothing was ordered: %(reason)s") % {"reason": error})
            return self.render(request, form, selection, status=400)
        messages.success(
            request,
            ngettext(
                "Created draft purchase order %(numbers)s.",
                "Created %(count)d draft purchase orders: %(numbers)s.",
                len(orders),
            )
            % {"count": len(orders), "numbers": ", ".join(order.number for order in orders)},
        )
        query = {name: request.POST[name] for name in FILTER_FIELDS if request.POST.get(name)}
        query["created"] = ",".join(str(order.pk) for order in orders)
        return redirect(f"{reverse('reports:replenishment')}?{urlencode(query)}")

    def render(self, request, form, selection, status=200):
        filters = form.filters()
        suggestions = reorder_suggestions(**filters)
        groups = [
            (
                terms,
                [
                    {
                        "suggestion": s,
                        "checked": s.key in selection.chosen,
                        "quantity": selection.quantities.get(s.key, s.suggested),
                        "error": selection.errors.get(s.key),
                    }
                    for s in lines
                ],
            )
            for terms, lines in by_supplier(suggestions)
        ]
        created_ids = [int(pk) for pk in request.GET.get("created", "").split(",") if pk.isdigit()]
        created = (
            list(PurchaseOrder.objects.select_related("supplier", "location").filter(
                pk__in=created_ids[:50], status=PurchaseOrder.Status.DRAFT
            ))
            if created_ids
            else []
        )  # fmt: skip
        context = {
            "form": form,
            "groups": groups,
            "line_count": len(suggestions),
            "limited": len(suggestions) >= LINE_LIMIT,
            "filters": filters,
            "service_percent": f"{filters['service_level'] * 100:g}",
            "hidden_filters": [
                (name, form.data.get(name)) for name in FILTER_FIELDS if form.data.get(name)
            ],
            "latest_run": latest_run(),
            "has_forecasts": ProductForecast.objects.exists(),
            "can_order": request.user.has_perm(ORDER_PERMISSION),
            "created": created,
            "unknown_errors": [
                message
                for key, message in selection.errors.items()
                if key not in {s.key for s in suggestions}
            ],
        }
        return render(request, self.template_name, context, status=status)
