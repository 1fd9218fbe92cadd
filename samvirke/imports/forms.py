"""The forms every import shows: the upload, and what each column holds (with the preview)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile

from samvirke.imports.columns import Columns
from samvirke.imports.reading import ImportFileError, Table, file_too_large, read_table


def read_upload(
    upload: UploadedFile, max_bytes: int, reader: Callable[[bytes], Table] = read_table
) -> tuple[bytes, Table]:
    """The uploaded file and its table (read by ``reader``), or a :class:`forms.ValidationError`
    that says why not."""
    too_large = file_too_large(max_bytes)
    if (upload.size or 0) > max_bytes:
        raise forms.ValidationError(too_large)
    content = upload.read(max_bytes + 1)
    if len(content) > max_bytes:
        raise forms.ValidationError(too_large)
    try:
        return content, reader(content)
    except ImportFileError as exc:
        raise forms.ValidationError(str(exc)) from exc


def column_field_name(index: int) -> str:
    return f"column_{index}"


class ColumnsForm(forms.Form):
    """One choice per column of the file: what to import it as."""

    def __init__(
        self, *args: Any, headers: Sequence[str], declared: Columns, **kwargs: Any
    ) -> None:
        if not args and "initial" not in kwargs:
            kwargs["initial"] = {
                column_field_name(index): target
                for index, target in enumerate(declared.guess(headers))
            }
        super().__init__(*args, **kwargs)
        self.headers = list(headers)
        self.declared = declared
        for index, header in enumerate(self.headers):
            self.fields[column_field_name(index)] = forms.ChoiceField(
                label=header, choices=declared.choices.choices, required=False
            )

    def columns(self) -> list[str]:
        return [self.cleaned_data.get(column_field_name(i)) or "" for i in range(len(self.headers))]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.errors:
            for problem in self.declared.problems(self.columns()):
                self.add_error(None, problem)
        return data

    def preview(self, table: Table) -> list[tuple[forms.BoundField, str]]:
        """Each column's choice beside what the file's first row holds in it."""
        example = table.rows[0][1] if table.rows else []
        return [(self[column_field_name(i)], example[i][:60]) for i in range(len(self.headers))]
