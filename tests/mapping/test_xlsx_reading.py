"""A workbook's own claims about its size are not trusted: it is read for what it holds."""

from __future__ import annotations

import io
import re
import zipfile

import pytest
from django.utils import translation
from openpyxl import Workbook

from samvirke.imports.reading import ImportFileError, read_table


def workbook(last_row: int, dimension: str) -> bytes:
    """Two members, the second on ``last_row``, with a made-up <dimension> for the sheet."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet["A1"], sheet["B1"] = "member id", "name"
    sheet["A2"], sheet["B2"] = "1", "Kari"
    sheet.cell(row=last_row, column=1, value="2")
    plain = io.BytesIO()
    book.save(plain)
    source = zipfile.ZipFile(io.BytesIO(plain.getvalue()))
    forged = io.BytesIO()
    with zipfile.ZipFile(forged, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = re.sub(
                    rb'<dimension ref="[^"]*" ?/>',
                    b'<dimension ref="%s"/>' % dimension.encode(),
                    data,
                )
            target.writestr(info.filename, data)
    return forged.getvalue()


def test_a_header_row_wider_than_may_be_imported_is_still_refused() -> None:
    # given: 101 columns, one more than an import takes
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append([f"column {n}" for n in range(1, 102)])
    sheet.append(["1"])
    content = io.BytesIO()
    book.save(content)
    # when / then
    with translation.override("en"), pytest.raises(ImportFileError, match="than 100 columns"):
        read_table(content.getvalue())


def test_a_member_far_below_a_long_empty_stretch_is_refused_as_too_many_rows() -> None:
    # given: a million empty rows before the second member
    content = workbook(last_row=1_048_576, dimension="A1:XFD1048576")
    # when / then
    with translation.override("en"), pytest.raises(ImportFileError, match="than 20 000 rows"):
        read_table(content)
