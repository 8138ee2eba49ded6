"""Sales order pages: list, draft form, detail with its actions, fulfilling and returns."""

from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import DetailView
from django_filters.views import FilterView

from stock.models import Location
from stock.selectors import locations_for
from stock.services import StockError

from ..filters import SalesOrderFilter
from ..forms import (
    DayForm,
    LineQuantitiesForm,
    NoteForm,
    ReturnForm,
    SalesLineFormSet,
    SalesOrderForm,
)
from ..models import SalesOrder
from ..selectors import daily_summary, sales_order_list, visible_to
from ..services import sales
from ..services.sales import SaleLine

Status = SalesOrder.Status
RETURNABLE = (Status.PARTIALLY_FULFILLED, Status.FULFILLED, Status.COMPLETED)


def _visible_order(user, pk) -> SalesOrder:
    return get_object_or_404(visible_to(user, SalesOrder.objects.all()), pk=pk)


class SalesOrderListView(PermissionRequiredMixin, FilterView):
    permission_required = "orders.view_salesorder"
    filterset_class = SalesOrderFilter
    template_name = "orders/salesorder_list.html"
    paginate_by = 50

    def get_queryset(self):
        return sales_order_list(self.request.user).order_by("-pk")


class SalesOrderDetailView(PermissionRequiredMixin, DetailView):
    """An order, its lines, totals and history, and the actions its status and the user allow."""

    permission_required = "orders.view_salesorder"
    template_name = "orders/salesorder_detail.html"
    context_object_name = "order"

    def get_queryset(self):
        return visible_to(
            self.request.user, SalesOrder.objects.select_related("customer", "location")
        )

    def get_context_data(self, **kwargs):
        order, user = self.object, self.request.user
        may = user.has_perm("orders.confirm_salesorder")
        open_statuses = (Status.CONFIRMED, Status.PARTIALLY_FULFILLED)
        return super().get_context_data(
            **kwargs,
            lines=order.lines.select_related("product").order_by("pk"),
            history=order.status_changes.select_related("user"),
            returns=order.returns.prefetch_related("lines__line__product").select_related("user"),
            can_edit=order.status == Status.DRAFT and user.has_perm("orders.change_salesorder"),
            can_confirm=order.status == Status.DRAFT and may,
            can_fulfil=order.status in open_statuses and may,
            can_complete=order.status == Status.FULFILLED and may,
            can_cancel=order.status in (Status.DRAFT, *open_statuses) and may,
            can_return=order.status in RETURNABLE and user.has_perm("orders.return_salesorder"),
        )


class SalesOrderFormView(PermissionRequiredMixin, View):
    """Create a draft (no pk) or edit one: customer, location, notes and lines."""

    template_name = "orders/salesorder_form.html"

    def get_permission_required(self):
        return ["orders.change_salesorder" if "pk" in self.kwargs else "orders.add_salesorder"]

    def get(self, request, pk=None):
        self.order = _visible_order(request.user, pk) if pk else None
        if self.order and self.order.status != Status.DRAFT:
            messages.error(request, _("Only a draft can be edited."))
            return redirect(self.order)
        initial = None
        if self.order:
            initial = [
                {
                    "product": line.product.sku,
                    "quantity": line.quantity,
                    "discount_percent": line.discount_percent,
                }
                for line in self.order.lines.select_related("product").order_by("pk")
            ]
        return self.show(
            SalesOrderForm(instance=self.order, user=request.user),
            SalesLineFormSet(prefix="lines", initial=initial),
        )

    def post(self, request, pk=None):
        self.order = _visible_order(request.user, pk) if pk else None
        form = SalesOrderForm(request.POST, instance=self.order, user=request.user)
        lines = SalesLineFormSet(request.POST, prefix="lines")
        if form.is_valid() and lines.is_valid():
            chosen = [
                SaleLine(line["product"], line["quantity"], line.get("discount_percent") or 0)
                for line in lines.cleaned_data
                if line.get("product")
            ]
            header = {key: form.cleaned_data[key] for key in form.Meta.fields}
            try:
                if self.order:
                    order = sales.sales_order_update(
                        actor=request.user, order=self.order, lines=chosen, **header
                    )
                else:
                    order = sales.sales_order_create(actor=request.user, lines=chosen, **header)
            except StockError as refusal:
                form.add_error(None, refusal.message)
            else:
                messages.success(request, _("%(number)s saved.") % {"number": order})
                return redirect(order)
        return self.show(form, lines)

    def show(self, form, lines):
        context = {"form": form, "lines": lines, "order": self.order}
        return render(self.request, self.template_name, context)


ACTIONS = {
    "confirm": sales.sales_order_confirm,
    "complete": sales.sales_order_complete,
    "cancel": sales.sales_order_cancel,
}


class SalesOrderActionView(PermissionRequiredMixin, View):
    """POST: confirm, complete or cancel an order (the service refuses what its status forbids;
    a confirmation beyond available stock says which product is short)."""

    permission_required = "orders.confirm_salesorder"
    http_method_names = ["post"]

    def post(self, request, pk, action):
        order = _visible_order(request.user, pk)
        form = NoteForm(request.POST)
        note = form.cleaned_data["note"] if form.is_valid() else ""
        try:
            order = ACTIONS[action](actor=request.user, order=order, note=note)
        except StockError as refusal:
            messages.error(request, refusal.message)
        else:
            messages.success(
                request,
                _("%(number)s is now %(status)s.")
                % {"number": order, "status": order.get_status_display()},
            )
        return redirect(order)


class SalesOrderDeleteView(PermissionRequiredMixin, View):
    """POST: drafts only are deleted (an order past draft is kept: cancel it)."""

    permission_required = "orders.confirm_salesorder"
    http_method_names = ["post"]

    def post(self, request, pk):
        order = _visible_order(request.user, pk)
        try:
            sales.sales_order_delete(actor=request.user, order=order)
        except StockError as refusal:
            messages.error(request, refusal.message)
            return redirect(order)
        messages.success(request, _("%(number)s deleted.") % {"number": order})
        return redirect("orders:sales_order_list")


class LineQuantitiesView(PermissionRequiredMixin, View):
    """Enter a quantity per line, then one service books them all (or none)."""

    template_name = ""
    form_class = LineQuantitiesForm

    def make_form(self, data=None):
        lines = self.order.lines.select_related("product").order_by("pk")
        rows = [line for line in lines if self.limit(line)]
        return self.form_class(data, lines=rows, limit=self.limit)

    def get(self, request, pk):
        self.order = _visible_order(request.user, pk)
        if self.order.status not in self.statuses:
            text = _("%(number)s has nothing to do here.") % {"number": self.order}
            messages.error(request, text)
            return redirect(self.order)
        return self.show(self.make_form())

    def post(self, request, pk):
        self.order = _visible_order(request.user, pk)
        form = self.make_form(request.POST)
        if form.is_valid():
            try:
                text = self.act(form)
            except StockError as refusal:
                form.add_error(None, refusal.message)
            else:
                messages.success(request, text)
                return redirect(self.order)
        return self.show(form)

    def show(self, form):
        return render(self.request, self.template_name, {"form": form, "order": self.order})


class SalesOrderFulfilView(LineQuantitiesView):
    """Hand goods over, all or part of each line."""

    permission_required = "orders.confirm_salesorder"
    template_name = "orders/salesorder_fulfil.html"
    statuses = (Status.CONFIRMED, Status.PARTIALLY_FULFILLED)

    @staticmethod
    def limit(line):
        return line.outstanding

    def act(self, form):
        sales.sales_order_fulfil(
            actor=self.request.user, order=self.order, quantities=form.quantities(),
            note=form.cleaned_data["note"],
        )  # fmt: skip
        return _("Goods handed over on %(number)s.") % {"number": self.order}


class SalesOrderReturnView(LineQuantitiesView):
    """Take goods back, saying why."""

    permission_required = "orders.return_salesorder"
    template_name = "orders/salesorder_return.html"
    form_class = ReturnForm
    statuses = RETURNABLE

    @staticmethod
    def limit(line):
        return line.fulfilled_quantity - line.returned_quantity

    def act(self, form):
        sales.sales_order_return(
            actor=self.request.user, order=self.order, quantities=form.quantities(),
            reason=form.cleaned_data["reason"], note=form.cleaned_data["note"],
        )  # fmt: skip
        return _("Return booked on %(number)s.") % {"number": self.order}


class DailySummaryView(PermissionRequiredMixin, View):
    """The day's close at one location: sales, payments, best sellers, returns."""

    permission_required = "orders.view_salesorder"
    template_name = "orders/daily_summary.html"

    def get(self, request):
        locations = locations_for(request.user)
        shop = locations.filter(kind=Location.Kind.STORE).first() or locations.first()
        initial = {"day": timezone.localdate(), "location": shop}
        form = DayForm(request.GET or None, user=request.user, initial=initial)
        summary = None
        if form.is_bound and form.is_valid():
            summary = daily_summary(form.cleaned_data["location"], form.cleaned_data["day"])
        elif not form.is_bound and initial["location"]:
            summary = daily_summary(initial["location"], initial["day"])
        return render(request, self.template_name, {"form": form, "summary": summary})
