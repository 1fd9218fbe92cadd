"""Forms for the upload and column steps."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.db import models
from django.utils.translation import gettext_lazy

from samvirke.mapping.imports.fields import (
    MAX_FILE_BYTES,
    ImportField,
    ImportFileError,
)
from samvirke.mapping.imports.reading import (
    _file_too_large,
    column_problems,
    read_table,
)
from samvirke.programmes.models import Country, Subproject
from samvirke.web.forms import StyledFormMixin

if TYPE_CHECKING:
    pass

# --- Forms for the upload and column steps ---------------------------------------------------


class ImportUploadForm(StyledFormMixin, forms.Form):
    subproject = forms.ModelChoiceField(
        label=gettext_lazy("Subproject"), queryset=Subproject.objects.none()
    )
    country = forms.ChoiceField(
        label=gettext_lazy("Country of the members"),
        choices=Country.choices,
        help_text=gettext_lazy("Used for rows that do not say which country the member lives in."),
    )
    file = forms.FileField(
        label=gettext_lazy("File"),
        help_text=gettext_lazy(
            "An Excel workbook (.xlsx, the first sheet) or a CSV file in UTF-8 separated by commas "
            "or semicolons, with the column names in the first row. At most 10 MB and 20 000 rows."
        ),
    )

    def __init__(self, *args: Any, subprojects: models.QuerySet[Subproject], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["subproject"]
        assert isinstance(field, forms.ModelChoiceField)  # noqa: S101 - narrows the type
        field.queryset = subprojects
        self.content = b""

    def clean_file(self) -> UploadedFile:
        upload: UploadedFile = self.cleaned_data["file"]
        if (upload.size or 0) > MAX_FILE_BYTES:
            raise forms.ValidationError(_file_too_large())
        self.content = upload.read(MAX_FILE_BYTES + 1)
        try:
            read_table(self.content)
        except ImportFileError as exc:
            raise forms.ValidationError(str(exc)) from exc
        return upload


def column_field_name(index: int) -> str:
    return f"column_{index}"


class ImportColumnsForm(forms.Form):
    """One choice per column of the file: what to import it as."""

    def __init__(self, *args: Any, headers: Sequence[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.headers = list(headers)
        for index, header in enumerate(self.headers):
            self.fields[column_field_name(index)] = forms.ChoiceField(
                label=header, choices=ImportField.choices, required=False
            )

    def columns(self) -> list[str]:
        return [self.cleaned_data.get(column_field_name(i)) or "" for i in range(len(self.headers))]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.errors:
            for problem in column_problems(self.columns()):
                self.add_error(None, problem)
        return data
