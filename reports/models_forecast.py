"""Stored demand forecasts: the runs that compute them and the latest forecast per product.

Pages, exports and the API read these rows; only a run (reports.forecast_runs) writes them, so
a page never forecasts while a manager waits.
"""

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils.translation import gettext_lazy as _


class ForecastRun(models.Model):
    """One computation of the forecasts of every product that sold: settings, progress, outcome."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("waiting for a worker")
        RUNNING = "running", _("running")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    class Stage(models.TextChoices):
        NONE = "", _("not started")
        LISTING = "listing", _("finding products with sales")
        FORECASTING = "forecasting", _("forecasting")
        CLEANING = "cleaning", _("removing outdated forecasts")

    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    stage = models.CharField(
        _("stage"), max_length=12, choices=Stage.choices, default=Stage.NONE, blank=True
    )
    horizon = models.PositiveSmallIntegerField(_("weeks forecast"), default=26)
    history_weeks = models.PositiveSmallIntegerField(_("weeks of history"), default=104)
    total_products = models.PositiveIntegerField(_("products"), default=0)
    processed_products = models.PositiveIntegerField(_("products done"), default=0)
    error = models.TextField(_("error"), blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("requested by"),
    )  # fmt: skip
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    # Touched with every chunk: a run that stops beating for long has lost its worker.
    heartbeat_at = models.DateTimeField(_("last progress"), null=True, blank=True)

    class Meta:
        verbose_name = _("forecast run")
        verbose_name_plural = _("forecast runs")
        ordering = ["-created_at", "-pk"]
        permissions = [("run_forecasts", _("Can start a forecast run"))]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.status}"

    @property
    def is_active(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)

    @property
    def percent(self) -> int:
        if not self.total_products:
            return 0
        return min(100, self.processed_products * 100 // self.total_products)


def _floats():
    return ArrayField(models.FloatField(), default=list, blank=True)


class ProductForecast(models.Model):
    """The latest weekly demand forecast of one product over all its locations.

    `history` holds net demand per week (sales minus returns, imported history included) from
    `history_start`, one value a week up to the week before `forecast_start`; `censored` flags
    the weeks the product was out of stock on most days, whose sales are not its demand.
    `forecast`, `lower` and `upper` hold one value a week from `forecast_start` (the week the
    run was in). `location_shares` splits the forecast to locations: each location's share of
    the product's sales over the last 13 weeks (its whole history when those had none).
    """

    product = models.OneToOneField(
        "products.Product", on_delete=models.CASCADE, related_name="forecast",
        verbose_name=_("product"),
    )  # fmt: skip
    run = models.ForeignKey(
        ForecastRun, on_delete=models.SET_NULL, null=True, blank=True, related_name="forecasts"
    )
    period = models.CharField(_("period"), max_length=5, default="week")
    history_start = models.DateField(_("history from"))
    history = _floats()
    censored = ArrayField(models.BooleanField(), default=list, blank=True)
    forecast_start = models.DateField(_("forecast from"))
    forecast = _floats()
    lower = _floats()
    upper = _floats()
    level = models.FloatField(_("band coverage"), default=0.9)
    method = models.CharField(_("method"), max_length=20)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    sigma = models.FloatField(_("error per week"), default=0)
    mae = models.FloatField(_("mean absolute error"), null=True, blank=True)
    bias = models.FloatField(_("bias"), null=True, blank=True)
    mase = models.FloatField(_("MASE"), null=True, blank=True)
    accuracy = models.CharField(_("accuracy"), max_length=10)
    fallback = models.CharField(_("fallback"), max_length=16, blank=True)
    demand_class = models.CharField(_("demand class"), max_length=16, blank=True)
    seasonal = models.BooleanField(_("seasonal"), default=False)
    n_observed = models.PositiveSmallIntegerField(_("weeks observed"), default=0)
    n_censored = models.PositiveSmallIntegerField(_("weeks out of stock"), default=0)
    location_shares = models.JSONField(_("share per location"), default=dict, blank=True)
    # Demand over the next 4 and 13 weeks from `forecast_start`: what lists sort and sum by.
    next_4_weeks = models.FloatField(_("demand next 4 weeks"), default=0)
    next_13_weeks = models.FloatField(_("demand next 13 weeks"), default=0)
    computed_at = models.DateTimeField(_("computed at"))

    class Meta:
        verbose_name = _("product forecast")
        verbose_name_plural = _("product forecasts")
        ordering = ["-next_13_weeks", "product_id"]
        indexes = [
            models.Index(fields=["accuracy"], name="reports_forecast_accuracy_idx"),
            models.Index(fields=["-next_13_weeks", "product"], name="reports_forecast_demand_idx"),
        ]

    def __str__(self):
        return f"{self.product_id} {self.method}"
