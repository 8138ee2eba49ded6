from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

from . import health, views

handler404 = "inventory_site.views.page_not_found"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("accounts/", include("accounts.urls")),
    path("products/", include("products.urls")),
    path("suppliers/", include("suppliers.urls")),
    path("stock/", include("stock.urls")),
    path("orders/", include("orders.urls")),
    path("reports/", include("reports.urls")),
    path("api/v1/", include("inventory_site.api.urls")),
    path("i18n/setlang/", views.set_language, name="set_language"),
    path("admin/", admin.site.urls),
    # Liveness and readiness probes: public, no secrets (inventory_site/health.py).
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
]

if settings.DEBUG:
    # Uploaded product images during development; in production the web server serves MEDIA_ROOT.
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
