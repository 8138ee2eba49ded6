from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.generic import DetailView
from django_filters.views import FilterView

from inventory_site.generic_views import ServiceFormView
from products.autocomplete import AutocompleteView, named_options

from ..filters import CustomerFilter
from ..forms import CustomerForm
from ..models import Customer
from ..selectors import customer_list, sales_order_list
from ..services.customers import customer_save


class CustomerListView(PermissionRequiredMixin, FilterView):
    permission_required = "orders.view_customer"
    filterset_class = CustomerFilter
    template_name = "orders/customer_list.html"
    paginate_by = 50

    def get_queryset(self):
        return customer_list()


class CustomerAutocompleteView(AutocompleteView):
    """Customers by name, for the sales order list's filter."""

    permission_required = "orders.view_customer"

    def options(self, text):
        return named_options(Customer.objects.all(), text)


class CustomerDetailView(PermissionRequiredMixin, DetailView):
    """A customer and their orders (those the user may see)."""

    permission_required = "orders.view_customer"
    model = Customer
    template_name = "orders/customer_detail.html"

    def get_context_data(self, **kwargs):
        orders = sales_order_list(self.request.user).filter(customer=self.object)
        page = Paginator(orders.order_by("-order_date", "-pk"), 25).get_page(
            self.request.GET.get("page")
        )
        return super().get_context_data(**kwargs, orders=page, page_obj=page)


class CustomerFormView(ServiceFormView):
    form_class = CustomerForm
    template_name = "orders/customer_form.html"
    customer = None

    def get_permission_required(self):
        return ["orders.change_customer" if "pk" in self.kwargs else "orders.add_customer"]

    def dispatch(self, request, *args, **kwargs):
        if "pk" in kwargs:
            self.customer = get_object_or_404(Customer, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.customer}

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs, object=self.customer)

    def form_save(self, form):
        customer = customer_save(
            actor=self.request.user, customer=self.customer, **form.cleaned_data
        )
        messages.success(self.request, _("Customer %(name)s saved.") % {"name": customer})
        return redirect(customer)
