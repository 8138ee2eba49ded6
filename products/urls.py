from django.urls import path, re_path

from . import autocomplete, views

app_name = "products"

urlpatterns = [
    path("", views.ProductListView.as_view(), name="product_list"),
    path("new/", views.ProductFormView.as_view(), name="product_create"),
    path("import/", views.ProductImportView.as_view(), name="product_import"),
    re_path(
        r"^export\.(?P<fmt>csv|xlsx)$", views.ProductExportView.as_view(), name="product_export"
    ),
    path("<int:pk>/", views.ProductDetailView.as_view(), name="product_detail"),
    path("<int:pk>/edit/", views.ProductFormView.as_view(), name="product_update"),
    path("<int:pk>/active/", views.ProductActivateView.as_view(), name="product_activate"),
    path("<int:pk>/delete/", views.ProductDeleteView.as_view(), name="product_delete"),
    path(
        "autocomplete/categories/",
        autocomplete.CategoryAutocompleteView.as_view(),
        name="category_autocomplete",
    ),
    path(
        "autocomplete/suppliers/",
        autocomplete.SupplierAutocompleteView.as_view(),
        name="supplier_autocomplete",
    ),
    path("categories/", views.CategoryListView.as_view(), name="category_list"),
    path("categories/new/", views.CategoryFormView.as_view(), name="category_create"),
    path("categories/<int:pk>/edit/", views.CategoryFormView.as_view(), name="category_update"),
    path("categories/<int:pk>/delete/", views.CategoryDeleteView.as_view(), name="category_delete"),
]
