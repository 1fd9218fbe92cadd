"""The template file of an import: its header row in the user's language and one example row.

Whoever fills in a spreadsheet for Samvirke starts from this file, so the columns are named as
the import recognises them (``guess_columns`` finds every one) and the example shows how a cell
is written. Written through the one escaping rule of every spreadsheet (``lib/spreadsheets``).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from django.http import HttpResponse

from samvirke.lib.spreadsheets import CSV_QUOTING, neutralise

FORMATS = ("csv", "xlsx")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def heading(label: object) -> str:
    """A column's label as a header: "Member id", not "member id"."""
    text = str(label)
    return text[:1].upper() + text[1:]


def _lines(header: Sequence[str], example: Sequence[str] | None) -> list[list[str]]:
    lines = [[heading(label) for label in header]]
    if example is not None:
        lines.append(list(example))
    return [[neutralise(cell) for cell in line] for line in lines]


def template_file(
    *, name: str, header: Sequence[str], example: Sequence[str] | None = None, fmt: str = "csv"
) -> HttpResponse:
    """``name``.csv (separated by semicolons, with a byte order mark for Excel) or .xlsx."""
    lines = _lines(header, example)
    if fmt == "xlsx":
        from openpyxl import Workbook

        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet(title=name[:31] or "Samvirke")
        for line in lines:
            sheet.append(line)
        content = io.BytesIO()
        workbook.save(content)
        response = HttpResponse(content.getvalue(), content_type=XLSX_TYPE)
    else:
        text = io.StringIO()
        csv.writer(text, delimiter=";", quoting=CSV_QUOTING).writerows(lines)
        response = HttpResponse(
            ("\ufeff" + text.getvalue()).encode("utf-8"), content_type="text/csv; charset=utf-8"
        )
        fmt = "csv"
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response
