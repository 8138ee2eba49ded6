"""Upload, preview, confirm: the page flow shared by spreadsheet imports.

The uploaded file is kept in storage between the preview and the confirmation (its key lives
in the session), and planned again at confirmation: what is written is what the database holds
then, never a stale preview.
"""

import uuid
from pathlib import PurePath

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from .spreadsheets import UnreadableFileError, read_sheet

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
PREVIEW_ROWS = 200


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Spreadsheet (.csv or .xlsx)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,.txt"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is larger than 20 MB."), code="too_big")
        if PurePath(upload.name).suffix.lower() not in (".csv", ".xlsx", ".txt"):
            raise forms.ValidationError(_("Upload a .csv or .xlsx file."), code="file_type")
        return upload


class SpreadsheetImportView(PermissionRequiredMixin, View):
    """GET: the upload form. POST with a file: the preview. POST with `confirm`: the import."""

    template_name = ""
    session_key = ""
    success_url = ""
    plan_function = None  # (sheet, user=) -> plan with .rows, .errors, .is_valid
    apply_function = None  # (plan, actor=) -> counts

    def get(self, request):
        return render(request, self.template_name, {"form": ImportUploadForm()})

    def post(self, request):
        if "confirm" in request.POST:
            return self.confirm(request)
        form = ImportUploadForm(request.POST, request.FILES)
        if not form.is_valid():
            return render(request, self.template_name, {"form": form})
        upload = form.cleaned_data["file"]
        content = upload.read()
        try:
            sheet = read_sheet(upload.name, content)
        except UnreadableFileError as error:
            form.add_error("file", str(error))
            return render(request, self.template_name, {"form": form})
        self._forget(request)
        key = default_storage.save(
            f"imports/{uuid.uuid4().hex}{PurePath(upload.name).suffix.lower()}",
            ContentFile(content),
        )
        request.session[self.session_key] = {"key": key, "name": upload.name}
        return self.preview(request, self.plan_function(sheet, user=request.user), upload.name)

    def preview(self, request, plan, filename: str):
        context = {
            "form": ImportUploadForm(),
            "plan": plan,
            "filename": filename,
            "preview_rows": plan.rows[:PREVIEW_ROWS],
            "more_rows": max(0, len(plan.rows) - PREVIEW_ROWS),
        }
        return render(request, self.template_name, context)

    def confirm(self, request):
        staged = request.session.get(self.session_key)
        if not staged or not default_storage.exists(staged["key"]):
            messages.error(request, _("Upload the file again: the preview has expired."))
            return redirect(request.path)
        with default_storage.open(staged["key"]) as stored:
            sheet = read_sheet(staged["name"], stored.read())
        plan = self.plan_function(sheet, user=request.user)
        if not plan.is_valid:
            return self.preview(request, plan, staged["name"])
        try:
            counts = self.apply_function(plan, actor=request.user)
        except IntegrityError:
            messages.error(
                request,
                _("The data changed while you were importing; nothing was imported. "
                  "Upload the file again to see the new preview."),
            )  # fmt: skip
            return redirect(request.path)
        self._forget(request)
        messages.success(
            request,
            _("Imported: %(created)s created, %(updated)s updated, %(unchanged)s unchanged.")
            % counts,
        )
        return redirect(self.success_url)

    def _forget(self, request) -> None:
        staged = request.session.pop(self.session_key, None)
        if staged and default_storage.exists(staged["key"]):
            default_storage.delete(staged["key"])
