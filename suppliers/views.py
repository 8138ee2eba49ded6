from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import DetailView
from django_filters.views import FilterView

from inventory_site.exports import csv_response, xlsx_response
from inventory_site.generic_views import ServiceDeleteView, ServiceFormView
from inventory_site.import_views import SpreadsheetImportView

from . import services
from .filters import SupplierFilter
from .forms import CatalogueItemForm, SupplierForm
from .imports import catalogue_import_apply, catalogue_import_plan
from .models import Supplier, SupplierProduct
from .selectors import supplier_list

EXPORT_COLUMNS = ["name", "contact_person", "phone", "email", "address", "notes", "active"]


class SupplierListView(PermissionRequiredMixin, FilterView):
    permission_required = "suppliers.view_supplier"
    filterset_class = SupplierFilter
    template_name = "suppliers/supplier_list.html"
    paginate_by = 50

    def get_queryset(self):
        return supplier_list()


class SupplierExportView(PermissionRequiredMixin, View):
    """Download the filtered supplier list as CSV or XLSX."""

    permission_required = "suppliers.view_supplier"

    def get(self, request, fmt):
        suppliers = SupplierFilter(request.GET, queryset=Supplier.objects.order_by("name")).qs
        rows = (
            [s.name, s.contact_person, s.phone, s.email, s.address, s.notes,
             "yes" if s.is_active else "no"]
            for s in suppliers.iterator(chunk_size=2000)
        )  # fmt: skip
        if fmt == "csv":
            return csv_response("suppliers", EXPORT_COLUMNS, rows)
        return xlsx_response("suppliers", [(_("Suppliers"), EXPORT_COLUMNS, rows)])


class SupplierDetailView(PermissionRequiredMixin, DetailView):
    permission_required = "suppliers.view_supplier"
    model = Supplier
    template_name = "suppliers/supplier_detail.html"

    def get_context_data(self, **kwargs):
        catalogue = self.object.catalogue.select_related("product").order_by("product__sku")
        page = Paginator(catalogue, 50).get_page(self.request.GET.get("page"))
        return super().get_context_data(**kwargs, catalogue=page, page_obj=page)


class SupplierFormView(ServiceFormView):
    form_class = SupplierForm
    template_name = "suppliers/supplier_form.html"
    supplier = None

    def get_permission_required(self):
        return ["suppliers.change_supplier" if "pk" in self.kwargs else "suppliers.add_supplier"]

    def dispatch(self, request, *args, **kwargs):
        if "pk" in kwargs:
            self.supplier = get_object_or_404(Supplier, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.supplier}

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs, object=self.supplier)

    def form_save(self, form):
        supplier = services.supplier_save(
            actor=self.request.user, supplier=self.supplier, **form.cleaned_data
        )
        messages.success(self.request, _("Supplier %(name)s saved.") % {"name": supplier})
        return redirect(supplier)


class SupplierDeleteView(ServiceDeleteView):
    permission_required = "suppliers.delete_supplier"
    model = Supplier
    context_object_name = "supplier"
    delete_service = staticmethod(services.supplier_delete)
    success_url = reverse_lazy("suppliers:supplier_list")


class CatalogueItemFormView(ServiceFormView):
    """Add a product to a supplier's catalogue (supplier pk) or edit an entry (item pk)."""

    form_class = CatalogueItemForm
    template_name = "suppliers/catalogue_item_form.html"
    item = None

    def get_permission_required(self):
        if "item_pk" in self.kwargs:
            return ["suppliers.change_supplierproduct"]
        return ["suppliers.add_supplierproduct"]

    def dispatch(self, request, *args, **kwargs):
        self.supplier = get_object_or_404(Supplier, pk=kwargs["pk"])
        if "item_pk" in kwargs:
            self.item = get_object_or_404(
                SupplierProduct, pk=kwargs["item_pk"], supplier=self.supplier
            )
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.item, "supplier": self.supplier}

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs, supplier=self.supplier, object=self.item)

    def form_save(self, form):
        services.catalogue_item_save(
            actor=self.request.user, supplier=self.supplier, item=self.item, **form.cleaned_data
        )
        messages.success(self.request, _("Catalogue of %(name)s saved.") % {"name": self.supplier})
        return redirect(self.supplier)


class CatalogueItemDeleteView(PermissionRequiredMixin, View):
    """Remove a product from a supplier's catalogue (POST only)."""

    permission_required = "suppliers.delete_supplierproduct"
    http_method_names = ["post"]

    def post(self, request, pk, item_pk):
        item = get_object_or_404(SupplierProduct, pk=item_pk, supplier_id=pk)
        services.catalogue_item_delete(actor=request.user, item=item)
        messages.success(
            request, _("%(product)s removed from the catalogue.") % {"product": item.product}
        )
        return redirect(item.supplier)


class CatalogueImportView(SpreadsheetImportView):
    """Import supplier catalogues from CSV or XLSX (managers and admins)."""

    permission_required = ["suppliers.add_supplierproduct", "suppliers.change_supplierproduct"]
    template_name = "suppliers/catalogue_import.html"
    session_key = "catalogue_import"
    success_url = reverse_lazy("suppliers:supplier_list")
    plan_function = staticmethod(catalogue_import_plan)
    apply_function = staticmethod(catalogue_import_apply)
