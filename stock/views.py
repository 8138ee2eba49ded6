from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.db.models import Count, Q, Value
from django.db.models.functions import Concat
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, ListView
from django_filters.views import FilterView

from accounts.models import User
from inventory_site.exports import csv_response
from inventory_site.generic_views import ServiceFormView
from products.autocomplete import LIMIT, AutocompleteView
from products.models import Product

from . import services
from .filters import LowStockFilter, MovementFilter, StockFilter
from .forms import (
    AdjustForm,
    CountScopeForm,
    CountSheetForm,
    LocationEditForm,
    LocationMinimumsForm,
    ReceiveForm,
    TransferForm,
    TransferLineFormSet,
)
from .models import Location, LocationMinimum
from .selectors import (
    count_sheet,
    is_restricted,
    locations_for,
    low_stock,
    low_stock_rows,
    movement_list,
    movement_page,
    product_stock,
    stock_overview,
)
from .services import StockError, TransferLine


class StockOverviewView(PermissionRequiredMixin, FilterView):
    """Products with what is on hand, reserved and available: at one location or in total.

    Staff assigned to locations see the sum over their locations unless they choose one.
    """

    permission_required = "stock.view_stocklevel"
    filterset_class = StockFilter
    template_name = "stock/stock_overview.html"
    paginate_by = 50

    def get_queryset(self):
        chosen = self.request.GET.get("location", "")
        if chosen.isdigit():
            ids = [int(chosen)]
        elif is_restricted(self.request.user):
            ids = list(locations_for(self.request.user).values_list("pk", flat=True))
        else:
            ids = None  # every location
        return stock_overview(ids).order_by("name", "pk")


class MovementListView(PermissionRequiredMixin, FilterView):
    """The ledger, newest first, a page at a time by keyset (`before`/`after` cursors): no page
    numbers and no total, so a page costs the same however deep and however long the ledger."""

    permission_required = "stock.view_stockmovement"
    filterset_class = MovementFilter
    template_name = "stock/movement_list.html"
    page_size = 50

    def get_queryset(self):
        return movement_list()

    def get_context_data(self, **kwargs):
        movements = kwargs.pop("object_list")
        try:
            page = movement_page(
                movements,
                before=self.request.GET.get("before", ""),
                after=self.request.GET.get("after", ""),
                size=self.page_size,
            )
        except ValueError:  # a cursor we did not make: start from the newest
            page = movement_page(movements, size=self.page_size)
        paged = bool(self.request.GET.get("before") or self.request.GET.get("after"))
        return super().get_context_data(
            **kwargs, object_list=page.movements, movement_page=page, paged=paged
        )


class UserAutocompleteView(AutocompleteView):
    """Users by username or name, for the movement history's User filter: whoever may read
    the ledger sees who booked each row already."""

    permission_required = "stock.view_stockmovement"

    def options(self, text):
        users = User.objects.order_by("username", "pk")
        if text:
            users = users.annotate(full_name=Concat("first_name", Value(" "), "last_name")).filter(
                Q(username__icontains=text) | Q(full_name__icontains=text)
            )
        return [
            (user.pk, str(user))
            for user in users.only("username", "first_name", "last_name")[:LIMIT]
        ]


class MovementExportView(PermissionRequiredMixin, View):
    """The filtered movement history as CSV (unit costs only for those who may see costs)."""

    permission_required = "stock.view_stockmovement"

    def get(self, request):
        movements = MovementFilter(request.GET, queryset=movement_list()).qs
        header = [
            "time",
            "kind",
            "sku",
            "product",
            "from",
            "to",
            "quantity",
            "reason",
            "note",
            "user",
        ]
        sees_cost = request.user.has_perm("products.view_cost_price")
        if sees_cost:
            header.append("unit_cost")

        def rows():
            for m in movements.iterator(chunk_size=2000):
                row = [
                    m.created_at.isoformat(), m.kind, m.product.sku, m.product.name,
                    m.from_location.name if m.from_location else "",
                    m.to_location.name if m.to_location else "",
                    m.quantity, m.reason, m.note, m.user.username,
                ]  # fmt: skip
                yield [*row, m.unit_cost] if sees_cost else row

        return csv_response("stock-movements", header, rows())


class StockActionView(PermissionRequiredMixin, FormView):
    """A stock form whose valid data goes to one stock service; its refusal shows on the form."""

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def form_valid(self, form):
        try:
            text = self.act(form)
        except StockError as refusal:
            form.add_error(None, refusal.message)
            return self.form_invalid(form)
        messages.success(self.request, text)
        return redirect(self.request.path)


class ReceiveView(StockActionView):
    permission_required = "stock.receive_stock"
    form_class = ReceiveForm
    template_name = "stock/receive_form.html"

    def act(self, form):
        data = form.cleaned_data
        product = data["product"]
        cost = data.get("unit_cost")
        services.stock_receive(
            actor=self.request.user, product=product, location=data["location"],
            quantity=data["quantity"], unit_cost=product.cost_price if cost is None else cost,
            note=data["note"],
        )  # fmt: skip
        return _("Received %(quantity)s of %(product)s at %(location)s.") % {
            "quantity": data["quantity"].normalize(), "product": product,
            "location": data["location"],
        }  # fmt: skip


class AdjustView(StockActionView):
    permission_required = "stock.adjust_stock"
    form_class = AdjustForm
    template_name = "stock/adjust_form.html"

    def act(self, form):
        data = form.cleaned_data
        services.stock_adjust(
            actor=self.request.user, product=data["product"], location=data["location"],
            change=data["change"], reason=data["reason"], note=data["note"],
        )  # fmt: skip
        return _("Adjusted %(product)s at %(location)s by %(change)s.") % {
            "product": data["product"], "location": data["location"],
            "change": data["change"].normalize(),
        }  # fmt: skip


class TransferView(PermissionRequiredMixin, View):
    """Move several products between two locations at once."""

    permission_required = "stock.transfer_stock"
    template_name = "stock/transfer_form.html"

    def get(self, request):
        return self.show(TransferForm(user=request.user), TransferLineFormSet(prefix="lines"))

    def post(self, request):
        form = TransferForm(request.POST, user=request.user)
        lines = TransferLineFormSet(request.POST, prefix="lines")
        if form.is_valid() and lines.is_valid():
            chosen = [
                TransferLine(line["product"], line["quantity"])
                for line in lines.cleaned_data
                if line.get("product")
            ]
            if not chosen:
                form.add_error(None, _("Add at least one product and quantity."))
            else:
                try:
                    services.stock_transfer(
                        actor=request.user, from_location=form.cleaned_data["from_location"],
                        to_location=form.cleaned_data["to_location"], lines=chosen,
                        note=form.cleaned_data["note"],
                    )  # fmt: skip
                except StockError as refusal:
                    form.add_error(None, refusal.message)
                else:
                    messages.success(
                        request,
                        _("Moved %(count)s product(s) from %(source)s to %(target)s.") % {
                            "count": len(chosen), "source": form.cleaned_data["from_location"],
                            "target": form.cleaned_data["to_location"],
                        },
                    )  # fmt: skip
                    return redirect(reverse("stock:movement_list"))
        return self.show(form, lines)

    def show(self, form, lines):
        return render(self.request, self.template_name, {"form": form, "lines": lines})


class LocationListView(PermissionRequiredMixin, ListView):
    permission_required = "stock.view_location"
    template_name = "stock/location_list.html"
    queryset = Location.objects.annotate(
        products=Count("stock_levels", filter=Q(stock_levels__on_hand__gt=0)),
        people=Count("users", distinct=True),
    ).order_by("name")


class LocationFormView(ServiceFormView):
    form_class = LocationEditForm
    template_name = "stock/location_form.html"
    location = None

    def get_permission_required(self):
        return ["stock.change_location" if "pk" in self.kwargs else "stock.add_location"]

    def dispatch(self, request, *args, **kwargs):
        if "pk" in kwargs:
            self.location = get_object_or_404(Location, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.location}

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs, object=self.location)

    def form_save(self, form):
        data = dict(form.cleaned_data)
        users = data.pop("users")
        location = services.location_save(
            actor=self.request.user, location=self.location, users=users, **data
        )
        messages.success(self.request, _("Location %(name)s saved.") % {"name": location})
        return redirect("stock:location_list")


class CountView(PermissionRequiredMixin, View):
    """Count stock at a location: choose the scope, enter counts, preview variances, post."""

    permission_required = "stock.count_stock"
    template_name = "stock/count_form.html"

    def get(self, request):
        scope = CountScopeForm(request.GET or None, user=request.user)
        context = {"scope": scope}
        if scope.is_valid():
            rows = count_sheet(scope.cleaned_data["location"], scope.cleaned_data["category"])
            context |= {"sheet": CountSheetForm(rows=rows), "rows": rows}
        return render(request, self.template_name, context)

    def post(self, request):
        scope = CountScopeForm(request.GET, user=request.user)
        if not scope.is_valid():
            return self.get(request)
        location = scope.cleaned_data["location"]
        rows = count_sheet(location, scope.cleaned_data["category"])
        sheet = CountSheetForm(request.POST, rows=rows)
        context = {"scope": scope, "sheet": sheet, "rows": rows}
        counts = sheet.counts() if sheet.is_valid() else {}
        if sheet.is_valid() and not counts:
            sheet.add_error(None, _("Enter at least one counted quantity."))
        elif counts and "post" in request.POST:
            posted = self.post_count(location, counts, sheet)
            if posted:
                return posted
        elif counts:
            held = {row.product.pk: row.on_hand for row in rows}
            context["preview"] = [
                (product, held[product.pk], counted, counted - held[product.pk])
                for product, counted in counts.items()
            ]
        return render(request, self.template_name, context)

    def post_count(self, location, counts, sheet):
        """Post the count; return the redirect, or None with the refusal on the sheet."""
        note = self.request.POST.get("note", "")[:500]
        try:
            movements = services.stock_count(
                actor=self.request.user, location=location, counts=counts, note=note
            )
        except StockError as refusal:
            sheet.add_error(None, refusal.message)
            return None
        text = _("Count posted at %(location)s: %(changed)s of %(counted)s products changed.")
        values = {"location": location, "changed": len(movements), "counted": len(counts)}
        messages.success(self.request, text % values)
        return redirect(f"{reverse('stock:movement_list')}?location={location.pk}&kind=count")


class LowStockView(PermissionRequiredMixin, ListView):
    """Everything at or below its reorder point, over all locations and at locations with their
    own reorder point; most urgent first."""

    permission_required = "stock.view_low_stock"
    template_name = "stock/low_stock.html"
    paginate_by = 50

    def get_queryset(self):
        self.filterset = LowStockFilter(self.request.GET or None, queryset=Product.objects.all())
        if self.filterset.is_bound and not self.filterset.is_valid():
            return []
        location = (
            self.filterset.form.cleaned_data.get("location") if self.filterset.is_bound else None
        )
        # All of the (few) low rows at once: the paginator counts them in Python instead of
        # running the summing query a second time.
        rows = low_stock(location_id=location.pk if location else None, products=self.filterset.qs)
        return list(rows)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        return context | {"filter": self.filterset, "rows": low_stock_rows(context["object_list"])}


class LocationMinimumsView(PermissionRequiredMixin, View):
    """A product's own reorder point at each location, besides its reorder point overall."""

    permission_required = "stock.change_locationminimum"
    template_name = "stock/location_minimums.html"

    def dispatch(self, request, *args, **kwargs):
        self.product = get_object_or_404(Product, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def make_form(self, data=None):
        current = dict(
            LocationMinimum.objects.filter(product=self.product).values_list(
                "location_id", "reorder_point"
            )
        )
        locations = Location.objects.filter(Q(is_active=True) | Q(pk__in=current)).order_by("name")
        return LocationMinimumsForm(data, locations=locations, current=current)

    def get(self, request, pk):
        return self.show(self.make_form())

    def post(self, request, pk):
        form = self.make_form(request.POST)
        if form.is_valid():
            services.location_minimums_save(
                actor=request.user, product=self.product, points=form.points()
            )
            messages.success(request, _("Reorder points per location saved."))
            return redirect(self.product.get_absolute_url())
        return self.show(form)

    def show(self, form):
        levels = {level.location_id: level.available for level in product_stock(self.product)}
        rows = [(loc, field, levels.get(loc.pk, 0)) for loc, field in form.rows()]
        context = {"form": form, "product": self.product, "rows": rows}
        return render(self.request, self.template_name, context)
