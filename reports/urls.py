"""Pages of the reports app."""

from django.urls import path

from . import views, views_forecast, views_import

app_name = "reports"
urlpatterns = [
    path("", views.ReportIndexView.as_view(), name="index"),
    # The sales history import (before the report slugs: "import" is not a report).
    path("import/", views_import.ImportUploadView.as_view(), name="import"),
    path("import/<int:pk>/", views_import.ImportDetailView.as_view(), name="import_detail"),
    path(
        "import/<int:pk>/columns/",
        views_import.ImportMappingView.as_view(),
        name="import_mapping",
    ),
    path(
        "import/<int:pk>/preview/",
        views_import.ImportPreviewView.as_view(),
        name="import_preview",
    ),
    path("import/<int:pk>/apply/", views_import.ImportApplyView.as_view(), name="import_apply"),
    path(
        "import/<int:pk>/progress/",
        views_import.ImportProgressView.as_view(),
        name="import_progress",
    ),
    # Forecast runs and the replenishment page (before the report slugs too).
    path("forecast/run/", views_forecast.ForecastRunStartView.as_view(), name="forecast_run"),
    path(
        "forecast/runs/<int:pk>/progress/",
        views_forecast.ForecastRunProgressView.as_view(),
        name="forecast_run_progress",
    ),
    path("replenishment/", views_forecast.ReplenishmentView.as_view(), name="replenishment"),
    path("<slug:slug>/", views.ReportView.as_view(), name="report"),
]
