"""The upload form of the member import (its column form is the kit's)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.db import models
from django.utils.translation import gettext_lazy

from samvirke.imports.forms import ColumnsForm, read_upload
from samvirke.mapping.imports.fields import MAX_FILE_BYTES, MEMBER_COLUMNS
from samvirke.programmes.models import Country, Subproject
from samvirke.web.forms import StyledFormMixin


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
        self.content, _table = read_upload(upload, MAX_FILE_BYTES)
        return upload


class ImportColumnsForm(ColumnsForm):
    """One choice per column of the member file."""

    def __init__(self, *args: Any, headers: Sequence[str], **kwargs: Any) -> None:
        super().__init__(*args, headers=headers, declared=MEMBER_COLUMNS, **kwargs)
