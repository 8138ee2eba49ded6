"""Purchase order pages: list, draft form, detail with its actions, receiving."""

from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import DetailView
from django_filters.views import FilterView

from stock.services import StockError

from ..filters import PurchaseOrderFilter
from ..forms import LineQuantitiesForm, NoteForm, PurchaseLineFormSet, PurchaseOrderForm
from ..models import PurchaseOrder
from ..selectors import purchase_order_list, visible_to
from ..services import purchasing
from ..services.purchasing import PurchaseLine

Status = PurchaseOrder.Status


def _visible_order(user, pk) -> PurchaseOrder:
    return get_object_or_404(visible_to(user, PurchaseOrder.objects.all()), pk=pk)


class PurchaseOrderListView(PermissionRequiredMixin, FilterView):
    permission_required = "orders.view_purchaseorder"
    filterset_class = PurchaseOrderFilter
    template_name = "orders/purchaseorder_list.html"
    paginate_by = 50

    def get_queryset(self):
        return purchase_order_list(self.request.user).order_by("-pk")

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs, today=timezone.localdate())


class PurchaseOrderDetailView(PermissionRequiredMixin, DetailView):
    """An order, its lines and history, and the actions its status and the user allow."""

    permission_required = "orders.view_purchaseorder"
    template_name = "orders/purchaseorder_detail.html"
    context_object_name = "order"

    def get_queryset(self):
        return visible_to(
            self.request.user, PurchaseOrder.objects.select_related("supplier", "location")
        )

    def get_context_data(self, **kwargs):
        order, user = self.object, self.request.user
        may_order = user.has_perm("orders.order_purchaseorder")
        return super().get_context_data(
            **kwargs,
            lines=order.lines.select_related("product").order_by("pk"),
            history=order.status_changes.select_related("user"),
            can_edit=order.status == Status.DRAFT and user.has_perm("orders.change_purchaseorder"),
            can_place=order.status == Status.DRAFT and may_order,
            can_receive=order.is_open and user.has_perm("orders.receive_purchaseorder"),
            can_cancel=order.status in (Status.DRAFT, Status.ORDERED) and may_order,
            can_close=order.status in (Status.PARTIALLY_RECEIVED, Status.RECEIVED) and may_order,
            note_form=NoteForm(),
        )


class PurchaseOrderFormView(PermissionRequiredMixin, View):
    """Create a draft (no pk) or edit one: header and lines."""

    template_name = "orders/purchaseorder_form.html"
    order = None

    def get_permission_required(self):
        if "pk" in self.kwargs:
            return ["orders.change_purchaseorder"]
        return ["orders.add_purchaseorder"]

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
                    "unit_cost": line.unit_cost,
                }
                for line in self.order.lines.select_related("product").order_by("pk")
            ]
        return self.show(
            PurchaseOrderForm(instance=self.order),
            PurchaseLineFormSet(prefix="lines", initial=initial),
        )

    def post(self, request, pk=None):
        self.order = _visible_order(request.user, pk) if pk else None
        form = PurchaseOrderForm(request.POST, instance=self.order)
        lines = PurchaseLineFormSet(request.POST, prefix="lines")
        if form.is_valid() and lines.is_valid():
            chosen = [
                PurchaseLine(line["product"], line["quantity"], line.get("unit_cost"))
                for line in lines.cleaned_data
                if line.get("product")
            ]
            header = {key: form.cleaned_data[key] for key in form.Meta.fields}
            try:
                if self.order:
                    order = purchasing.purchase_order_update(
                        actor=request.user, order=self.order, lines=chosen, **header
                    )
                else:
                    order = purchasing.purchase_order_create(
                        actor=request.user, lines=chosen, **header
                    )
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
    # action: (service, permission, message)
    "place": (purchasing.purchase_order_place, "orders.order_purchaseorder", "ordered"),
    "cancel": (purchasing.purchase_order_cancel, "orders.order_purchaseorder", "cancelled"),
    "close": (purchasing.purchase_order_close, "orders.order_purchaseorder", "closed"),
}


class PurchaseOrderActionView(PermissionRequiredMixin, View):
    """POST: place, cancel or close an order (the service refuses what its status forbids)."""

    permission_required = "orders.order_purchaseorder"
    http_method_names = ["post"]

    def post(self, request, pk, action):
        order = _visible_order(request.user, pk)
        service, permission, _done = ACTIONS[action]
        if not request.user.has_perm(permission):
            raise PermissionDenied
        form = NoteForm(request.POST)
        note = form.cleaned_data["note"] if form.is_valid() else ""
        try:
            order = service(actor=request.user, order=order, note=note)
        except StockError as refusal:
            messages.error(request, refusal.message)
        else:
            messages.success(
                request,
                _("%(number)s is now %(status)s.")
                % {"number": order, "status": order.get_status_display()},
            )
        return redirect(order)


class PurchaseOrderDeleteView(PermissionRequiredMixin, View):
    """POST: delete a draft."""

    permission_required = "orders.order_purchaseorder"
    http_method_names = ["post"]

    def post(self, request, pk):
        order = _visible_order(request.user, pk)
        try:
            purchasing.purchase_order_delete(actor=request.user, order=order)
        except StockError as refusal:
            messages.error(request, refusal.message)
            return redirect(order)
        messages.success(request, _("%(number)s deleted.") % {"number": order})
        return redirect("orders:purchase_order_list")


class PurchaseOrderReceiveView(PermissionRequiredMixin, View):
    """Enter what arrived, line by line; staff at the order's location may do it."""

    permission_required = "orders.receive_purchaseorder"
    template_name = "orders/purchaseorder_receive.html"

    def make_form(self, data=None):
        lines = self.order.lines.select_related("product").order_by("pk")
        return LineQuantitiesForm(
            data,
            lines=[line for line in lines if line.outstanding],
            limit=lambda line: line.outstanding,
        )

    def get(self, request, pk):
        self.order = _visible_order(request.user, pk)
        if not self.order.is_open:
            messages.error(request, _("Nothing is expected on this order."))
            return redirect(self.order)
        return self.show(self.make_form())

    def post(self, request, pk):
        self.order = _visible_order(request.user, pk)
        form = self.make_form(request.POST)
        if form.is_valid():
            try:
                purchasing.purchase_order_receive(
                    actor=request.user, order=self.order, quantities=form.quantities(),
                    note=form.cleaned_data["note"],
                )  # fmt: skip
            except StockError as refusal:
                form.add_error(None, refusal.message)
            else:
                messages.success(
                    request, _("Goods received on %(number)s.") % {"number": self.order}
                )
                return redirect(self.order)
        return self.show(form)

    def show(self, form):
        return render(self.request, self.template_name, {"form": form, "order": self.order})
