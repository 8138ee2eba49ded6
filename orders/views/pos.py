"""The counter (POS): choose the location once, scan or type products, take payment, finish,
print the receipt. Works as plain forms; htmx swaps the counter in place when it is there."""

import uuid

from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import DetailView

from stock.selectors import locations_for
from stock.services import StockError

from ..models import SalesOrder
from ..pos import Basket, find_products, parse_quantity
from ..selectors import visible_to
from ..services.sales import SaleLine, counter_sale


class CounterView(PermissionRequiredMixin, View):
    """Staff (at their locations), managers and admins sell at the counter."""

    permission_required = "orders.counter_sale"
    template_name = "orders/pos/counter.html"

    def get(self, request):
        basket = Basket(request.session)
        locations = locations_for(request.user)
        return self.show(basket, self.location(basket, locations), locations)

    @staticmethod
    def location(basket, locations):
        """Where the basket sells from: its chosen location while the user may sell there,
        or the only one they work at."""
        location = locations.filter(pk=basket.location_id).first()
        if location is None and len(locations) == 1:
            location = locations[0]
            basket.set_location(location.pk)
        return location

    def post(self, request):
        basket = Basket(request.session)
        locations = locations_for(request.user)
        action = request.POST.get("action", "")
        if action == "location":
            chosen = locations.filter(pk=request.POST.get("location") or 0).first()
            if chosen:
                basket.set_location(chosen.pk)
            return self.done(basket, chosen, locations)
        location = self.location(basket, locations)
        if location is None:
            messages.error(request, _("Choose the location you sell from first."))
            return self.done(basket, None, locations)
        if action == "finish":
            return self.finish(basket, location, locations)
        matches = []
        if action == "scan":
            matches = self.scan(basket, request.POST.get("code", ""))
        elif action == "quantity":
            quantity = parse_quantity(request.POST.get("quantity", ""))
            if quantity is None:
                messages.error(request, _("Enter a quantity of zero or more."))
            else:
                basket.set_quantity(int(request.POST.get("product") or 0), quantity)
        elif action == "clear":
            basket.clear()
        return self.done(basket, location, locations, matches=matches)

    def scan(self, basket, code):
        found = find_products(code)
        if len(found) == 1:
            basket.add(found[0])
            return []
        if not found:
            messages.error(
                self.request, _("Nothing matches %(code)s.") % {"code": code.strip()[:64]}
            )
        return found  # several: the person picks one

    def finish(self, basket, location, locations):
        request = self.request
        try:
            token = uuid.UUID(request.POST.get("token", ""))
        except ValueError:
            token = None
        earlier = SalesOrder.objects.filter(token=token).first() if token else None
        if earlier:  # a second click, a resubmitted form: the sale is made already
            return self.to_receipt(earlier)
        if token != basket.token:
            messages.error(request, _("The basket changed meanwhile: check it and finish again."))
            return self.done(basket, location, locations)
        lines = [SaleLine(line.product, line.quantity) for line in basket.lines()]
        if not lines:
            messages.error(request, _("The basket is empty."))
            return self.done(basket, location, locations)
        method = request.POST.get("payment_method", "")
        paid = parse_quantity(request.POST.get("amount_paid", "")) if method == "cash" else None
        try:
            sale, _created = counter_sale(
                actor=request.user, location=location, lines=lines, payment_method=method,
                amount_paid=paid, token=token,
            )  # fmt: skip
        except StockError as refusal:
            messages.error(request, refusal.message)
            return self.done(basket, location, locations)
        basket.clear()
        messages.success(request, _("Sale %(number)s finished.") % {"number": sale.number})
        return self.to_receipt(sale)

    def to_receipt(self, sale):
        url = reverse("orders:sales_receipt", args=[sale.pk])
        if self.request.headers.get("HX-Request"):
            return HttpResponse(status=204, headers={"HX-Redirect": url})
        return redirect(url)

    def done(self, basket, location, locations, matches=()):
        if self.request.headers.get("HX-Request"):
            return self.show(basket, location, locations, matches, partial=True)
        if matches:
            return self.show(basket, location, locations, matches)
        return redirect("orders:counter")

    def show(self, basket, location, locations, matches=(), partial=False):
        lines = basket.lines()
        context = {
            "basket": basket,
            "lines": lines,
            "totals": basket.totals(lines),
            "location": location,
            "locations": locations,
            "matches": matches,
            "payment_methods": SalesOrder.Payment.choices,
            "partial": partial,
        }
        template = "orders/pos/_counter.html" if partial else self.template_name
        return render(self.request, template, context)


class ReceiptView(PermissionRequiredMixin, DetailView):
    """An 80 mm receipt of a sale, ready to print from the browser."""

    permission_required = "orders.view_salesorder"
    template_name = "orders/pos/receipt.html"
    context_object_name = "order"

    def get_queryset(self):
        return visible_to(
            self.request.user, SalesOrder.objects.select_related("location", "customer")
        )

    def get_context_data(self, **kwargs):
        lines = self.object.lines.select_related("product").order_by("pk")
        return super().get_context_data(**kwargs, lines=lines)
