from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import DetailView, TemplateView
from django_filters.views import FilterView

from inventory_site.exports import csv_response, xlsx_response
from inventory_site.generic_views import ServiceDeleteView, ServiceFormView
from inventory_site.import_views import SpreadsheetImportView
from stock.selectors import movement_list, product_stock

from . import services
from .exports import product_columns, product_rows
from .filters import ProductFilter
from .forms import CategoryForm, ProductForm
from .imports import product_import_apply, product_import_plan
from .models import Category, Product
from .pagination import KeysFirstPaginator
from .selectors import category_tree, product_list


class ProductListView(PermissionRequiredMixin, FilterView):
    permission_required = "products.view_product"
    filterset_class = ProductFilter
    template_name = "products/product_list.html"
    paginate_by = 50
    paginator_class = KeysFirstPaginator

    def get_queryset(self):
        return product_list()


class ProductDetailView(PermissionRequiredMixin, DetailView):
    permission_required = "products.view_product"
    template_name = "products/product_detail.html"
    queryset = Product.objects.select_related("category", "preferred_supplier").prefetch_related(
        "tags", "supplier_products__supplier"
    )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["category_path"] = _ancestors(self.object.category)
        context["stock_levels"] = product_stock(self.object)
        context["movements"] = movement_list().filter(product=self.object)[:10]
        return context


def _ancestors(category: Category | None) -> list[Category]:
    path = []
    while category is not None:
        path.insert(0, category)
        category = category.parent
    return path


class ProductFormView(ServiceFormView):
    """Create (no pk) or edit (pk) a product through products.services.product_save."""

    form_class = ProductForm
    template_name = "products/product_form.html"
    product = None

    def get_permission_required(self):
        return ["products.change_product" if "pk" in self.kwargs else "products.add_product"]

    def dispatch(self, request, *args, **kwargs):
        if "pk" in kwargs:
            self.product = get_object_or_404(Product, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.product}

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs, object=self.product)

    def form_save(self, form):
        data = dict(form.cleaned_data)
        tags = data.pop("tags")
        product = services.product_save(
            actor=self.request.user, product=self.product, tags=tags, **data
        )
        messages.success(self.request, _("Product %(product)s saved.") % {"product": product})
        return redirect(product)


class ProductActivateView(PermissionRequiredMixin, View):
    """Activate (active=1) or deactivate (active=0) a product (POST only)."""

    permission_required = "products.change_product"
    http_method_names = ["post"]

    def post(self, request, pk):
        product = get_object_or_404(Product, pk=pk)
        active = request.POST.get("active") == "1"
        services.product_set_active(actor=request.user, product=product, active=active)
        text = _("%(product)s is active again.") if active else _("%(product)s deactivated.")
        messages.success(request, text % {"product": product})
        return redirect(product)


class ProductDeleteView(ServiceDeleteView):
    permission_required = "products.delete_product"
    model = Product
    context_object_name = "product"
    delete_service = staticmethod(services.product_delete)
    success_url = reverse_lazy("products:product_list")


class CategoryListView(PermissionRequiredMixin, TemplateView):
    permission_required = "products.view_category"
    template_name = "products/category_list.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs, nodes=category_tree())


class CategoryFormView(ServiceFormView):
    form_class = CategoryForm
    template_name = "products/category_form.html"
    category = None

    def get_permission_required(self):
        return ["products.change_category" if "pk" in self.kwargs else "products.add_category"]

    def dispatch(self, request, *args, **kwargs):
        if "pk" in kwargs:
            self.category = get_object_or_404(Category, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.category}

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs, object=self.category)

    def form_save(self, form):
        category = services.category_save(
            actor=self.request.user,
            category=self.category,
            name=form.cleaned_data["name"],
            parent=form.cleaned_data["parent"],
        )
        messages.success(self.request, _("Category %(name)s saved.") % {"name": category})
        return redirect("products:category_list")


class CategoryDeleteView(ServiceDeleteView):
    permission_required = "products.delete_category"
    model = Category
    context_object_name = "category"
    delete_service = staticmethod(services.category_delete)
    success_url = reverse_lazy("products:category_list")


class ProductExportView(PermissionRequiredMixin, View):
    """Download the filtered product list (the list page's filters) as CSV or XLSX."""

    permission_required = "products.view_product"

    def get(self, request, fmt):
        products = ProductFilter(request.GET, queryset=product_list()).qs
        columns = product_columns(request.user)
        rows = product_rows(products, columns)
        if fmt == "csv":
            return csv_response("products", columns, rows)
        return xlsx_response("products", [(_("Products"), columns, rows)])


class ProductImportView(SpreadsheetImportView):
    """Import products from CSV or XLSX (managers and admins)."""

    permission_required = ["products.add_product", "products.change_product"]
    template_name = "products/product_import.html"
    session_key = "product_import"
    success_url = reverse_lazy("products:product_list")
    plan_function = staticmethod(product_import_plan)
    apply_function = staticmethod(product_import_apply)
