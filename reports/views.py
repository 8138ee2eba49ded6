"""Report pages: the list of reports, and each report with its filters, figures, charts and
tables; `?format=pdf|csv|xlsx` downloads the same result."""

from django.contrib.auth.mixins import PermissionRequiredMixin
from django.http import Http404
from django.shortcuts import render
from django.views import View

from . import registry, rendering
from .forms import ReportFilterForm

PERMISSION = "reports.view_reports"


class ReportIndexView(PermissionRequiredMixin, View):
    """Managers and admins."""

    permission_required = PERMISSION

    def get(self, request):
        return render(request, "reports/index.html", {"reports": registry.reports().values()})


class ReportView(PermissionRequiredMixin, View):
    """Managers and admins: one report, as a page or a download."""

    permission_required = PERMISSION

    def get(self, request, slug):
        report_class = registry.get(slug)
        if report_class is None:
            raise Http404
        report = report_class()
        form = ReportFilterForm(request.GET or None, report=report)
        if request.GET and not form.is_valid():
            return render(
                request, "reports/report.html", {"report": report, "form": form}, status=400
            )
        if not request.GET:  # the report's usual span, shown in the form
            form = ReportFilterForm({}, report=report)
            form.is_valid()
            shown = {"start": form.cleaned_data["start"], "end": form.cleaned_data["end"]}
            form = ReportFilterForm(shown, report=report)
            form.is_valid()
        params = form.params()
        result = report.build(params)
        download = request.GET.get("format")
        if download == "csv":
            return rendering.csv_download(report, params, result, request.GET.get("table"))
        if download == "xlsx":
            return rendering.xlsx_download(report, params, result)
        charts = report.charts(result)
        context = {
            "report": report, "form": form, "params": params, "result": result,
            "charts": charts,
            "tables": [(table, rendering.page_rows(table)) for table in result.tables],
            "figures": [(f, rendering.display(f.value, f.kind)) for f in result.figures],
        }  # fmt: skip
        if download == "pdf":
            return rendering.pdf_download(report, params, result, charts, context)
        context["tables"] = [
            (table, rendering.html_rows(rows)) for table, rows in context["tables"]
        ]
        query = request.GET.copy()
        query.pop("format", None)
        query.pop("table", None)
        context["query"] = query.urlencode()
        return render(request, "reports/report.html", context)
