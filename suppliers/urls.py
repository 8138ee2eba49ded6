from django.urls import path, re_path

from . import views

app_name = "suppliers"

urlpatterns = [
    path("", views.SupplierListView.as_view(), name="supplier_list"),
    re_path(
        r"^export\.(?P<fmt>csv|xlsx)$", views.SupplierExportView.as_view(), name="supplier_export"
    ),
    path("new/", views.SupplierFormView.as_view(), name="supplier_create"),
    path("catalogue/import/", views.CatalogueImportView.as_view(), name="catalogue_import"),
    path("<int:pk>/", views.SupplierDetailView.as_view(), name="supplier_detail"),
    path("<int:pk>/edit/", views.SupplierFormView.as_view(), name="supplier_update"),
    path("<int:pk>/delete/", views.SupplierDeleteView.as_view(), name="supplier_delete"),
    path("<int:pk>/catalogue/add/", views.CatalogueItemFormView.as_view(), name="catalogue_add"),
    path(
        "<int:pk>/catalogue/<int:item_pk>/",
        views.CatalogueItemFormView.as_view(),
        name="catalogue_update",
    ),
    path(
        "<int:pk>/catalogue/<int:item_pk>/remove/",
        views.CatalogueItemDeleteView.as_view(),
        name="catalogue_remove",
    ),
]
