"""Pages of the sales history import: upload, choose the columns, preview, import, follow.

Managers and admins (`reports.import_sales_history`). The import itself runs in a worker
(`reports.tasks`); its page polls a small progress fragment until the batch is done or failed.
"""

from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View

from inventory_site.spreadsheets import UnreadableFileError

from .forms_import import SalesHistoryMappingForm, SalesHistoryUploadForm
from .importing.services import (
    AlreadyImportedError,
    sales_history_file_store,
    sales_history_import_start,
    sales_history_preview,
)
from .models import ImportBatch

PERMISSION = "reports.import_sales_history"
RECENT_BATCHES = 10
Status = ImportBatch.Status


class ImportPermissionMixin(PermissionRequiredMixin):
    permission_required = PERMISSION

    def get_batch(self, pk: int) -> ImportBatch:
        return get_object_or_404(ImportBatch.objects.select_related("uploaded_by"), pk=pk)


def _is_settled(batch: ImportBatch) -> bool:
    """Running or imported: its columns and options can no longer change."""
    return batch.status in (Status.RUNNING, Status.DONE)


class ImportUploadView(ImportPermissionMixin, View):
    """The file to import, and the latest imports."""

    template_name = "reports/import_upload.html"

    def get(self, request):
        return self.render(request, SalesHistoryUploadForm())

    def post(self, request):
        form = SalesHistoryUploadForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                batch = sales_history_file_store(
                    actor=request.user, upload=form.cleaned_data["file"]
                )
            except UnreadableFileError as error:
                form.add_error("file", str(error))
            except AlreadyImportedError as error:
                form.add_error(
                    "file",
                    _(
                        "This file was already imported on %(date)s (%(lines)s lines); "
                        "importing it again would count those sales twice."
                    )
                    % {
                        "date": error.batch.finished_at.date() if error.batch.finished_at else "",
                        "lines": error.batch.imported_rows,
                    },
                )
            else:
                return redirect("reports:import_mapping", pk=batch.pk)
        return self.render(request, form, status=400)

    def render(self, request, form, status=200):
        batches = ImportBatch.objects.select_related("uploaded_by")[:RECENT_BATCHES]
        return render(
            request, self.template_name, {"form": form, "batches": batches}, status=status
        )


class ImportMappingView(ImportPermissionMixin, View):
    """Which column holds which field, codes to leave out, new products; then the preview."""

    template_name = "reports/import_mapping.html"

    def get(self, request, pk):
        batch = self.get_batch(pk)
        if _is_settled(batch):
            return redirect("reports:import_detail", pk=batch.pk)
        return self.render(request, batch, self.form(batch))

    def post(self, request, pk):
        batch = self.get_batch(pk)
        if _is_settled(batch):
            return redirect("reports:import_detail", pk=batch.pk)
        form = self.form(batch, request.POST)
        if form.is_valid():
            try:
                sales_history_preview(
                    actor=request.user, batch=batch, options=form.import_options()
                )
            except UnreadableFileError as error:
                form.add_error(None, str(error))
            else:
                return redirect("reports:import_preview", pk=batch.pk)
        return self.render(request, batch, form, status=400)

    @staticmethod
    def form(batch: ImportBatch, data=None) -> SalesHistoryMappingForm:
        return SalesHistoryMappingForm(
            data,
            headers=batch.options.get("headers", []),
            samples=batch.options.get("samples", []),
            saved=batch.options,
        )

    def render(self, request, batch, form, status=200):
        context = {"batch": batch, "form": form, "samples": batch.options.get("samples", [])}
        return render(request, self.template_name, context, status=status)


class ImportPreviewView(ImportPermissionMixin, View):
    """What importing would do: every problem with its line, what is skipped, what is new."""

    def get(self, request, pk):
        batch = self.get_batch(pk)
        if _is_settled(batch):
            return redirect("reports:import_detail", pk=batch.pk)
        if "mapping" not in batch.options:
            return redirect("reports:import_mapping", pk=batch.pk)
        return render(request, "reports/import_preview.html", {"batch": batch})


class ImportApplyView(ImportPermissionMixin, View):
    """Start the import of a previewed batch (POST); follow it on its page."""

    def post(self, request, pk):
        batch = self.get_batch(pk)
        if batch.report.get("problem_count") or not batch.report.get("to_import"):
            messages.error(request, _("This file cannot be imported as it is."))
            return redirect("reports:import_preview", pk=batch.pk)
        if not sales_history_import_start(actor=request.user, batch=batch):
            messages.info(request, _("This import has already started."))
        return redirect("reports:import_detail", pk=batch.pk)


class ImportDetailView(ImportPermissionMixin, View):
    """One import: its progress while it runs, then its outcome."""

    def get(self, request, pk):
        return render(request, "reports/import_detail.html", {"batch": self.get_batch(pk)})


class ImportProgressView(ImportPermissionMixin, View):
    """The progress fragment the import's page polls (one query for the batch)."""

    def get(self, request, pk):
        batch = get_object_or_404(ImportBatch, pk=pk)
        return render(request, "reports/_import_progress.html", {"batch": batch})
