"""Forms of the sales history import: the file, then which column is which field."""

import re
from pathlib import PurePath

from django import forms
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .importing.columns import FIELDS, guess_mapping
from .importing.planning import ImportOptions
from .importing.reading import SUFFIXES

MAX_UPLOAD_BYTES = 300 * 1024 * 1024
NOT_IN_FILE = ""


class SalesHistoryUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Sales lines (.csv or .xlsx)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,.txt"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(size)s.") % {"size": filesizeformat(MAX_UPLOAD_BYTES)},
                code="too_big",
            )
        if PurePath(upload.name).suffix.lower() not in SUFFIXES:
            raise forms.ValidationError(_("Upload a .csv or .xlsx file."), code="file_type")
        return upload


class SalesHistoryMappingForm(forms.Form):
    """One choice of column per field, then the options. Initial choices are guessed from the
    file's headers (or are the ones chosen before)."""

    excluded_codes = forms.CharField(
        label=gettext_lazy("Product codes to leave out"),
        required=False,
        max_length=2000,
        help_text=gettext_lazy(
            "Lines that are not goods, such as postage or fees, separated by commas: ONGKIR, FEE."
        ),
    )
    create_products = forms.BooleanField(
        label=gettext_lazy("Create unknown product codes as new products"),
        required=False,
        help_text=gettext_lazy(
            "Otherwise a line whose product code is not in the catalogue is a problem to fix."
        ),
    )

    def __init__(self, *args, headers: list[str], samples: list[list[str]], saved: dict, **kw):
        super().__init__(*args, **kw)
        choices = [(NOT_IN_FILE, _("— not in the file —"))] + [
            (str(column), _column_label(column, header, samples))
            for column, header in enumerate(headers)
        ]
        mapping = saved.get("mapping") or guess_mapping(headers)
        columns = {}
        for field in FIELDS:
            columns[field.key] = forms.ChoiceField(
                label=field.label,
                choices=choices,
                required=field.required,
                initial=str(mapping[field.key]) if field.key in mapping else NOT_IN_FILE,
                error_messages={"required": _("Choose the column that holds this.")},
            )
        self.fields = columns | self.fields
        if "excluded_codes" in saved:
            self.fields["excluded_codes"].initial = ", ".join(saved["excluded_codes"])
        self.fields["create_products"].initial = saved.get("create_products", False)

    def clean(self):
        cleaned = super().clean()
        used: dict[str, str] = {}
        for field in FIELDS:
            column = cleaned.get(field.key)
            if not column:
                continue
            if column in used:
                self.add_error(
                    field.key,
                    forms.ValidationError(
                        _("This column is already chosen for “%(field)s”."),
                        code="same_column",
                        params={"field": self.fields[used[column]].label},
                    ),
                )
            used.setdefault(column, field.key)
        return cleaned

    def clean_excluded_codes(self) -> list[str]:
        text = self.cleaned_data["excluded_codes"]
        return sorted({code.strip() for code in re.split(r"[,;\n]", text) if code.strip()})

    def import_options(self) -> ImportOptions:
        return ImportOptions(
            mapping={
                f.key: int(self.cleaned_data[f.key]) for f in FIELDS if self.cleaned_data[f.key]
            },
            excluded_codes=tuple(self.cleaned_data["excluded_codes"]),
            create_products=self.cleaned_data["create_products"],
        )


def _column_label(column: int, header: str, samples: list[list[str]]) -> str:
    name = header or _("column %(number)s") % {"number": column + 1}
    example = next((row[column] for row in samples if column < len(row) and row[column]), "")
    if example:
        return _("%(name)s (e.g. %(example)s)") % {"name": name, "example": example[:30]}
    return name
