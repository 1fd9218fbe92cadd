"""An uploaded file's type comes from its content; its name must agree."""

from __future__ import annotations

import io

import pytest

from samvirke.ventures.filetypes import FileTypeError, identify
from tests.ventures import files


@pytest.mark.parametrize(
    ("name", "content", "key"),
    [
        ("plan.pdf", files.PDF, "pdf"),
        ("budsjett.docx", files.ooxml(), "docx"),
        ("budget.xlsx", files.ooxml(files.SHEET_MAIN, "xl/workbook.xml"), "xlsx"),
        ("plan.odt", files.odf(), "odt"),
        ("budget.ods", files.odf("application/vnd.oasis.opendocument.spreadsheet"), "ods"),
        ("logo.png", files.image("PNG"), "png"),
        ("bilde.JPG", files.image("JPEG"), "jpeg"),
        ("bilde.jpeg", files.image("JPEG"), "jpeg"),
    ],
)
def test_each_accepted_kind_is_recognised_from_its_content(
    name: str, content: bytes, key: str
) -> None:
    assert identify(io.BytesIO(content), name).key == key


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("plan.pdf", files.HTML),
        ("plan.pdf", files.EXE),
        ("arkiv.docx", files.plain_zip()),
        ("plan.pdf", b"%PDF-1.4 but cut off before the end"),
        ("logo.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 40),
        ("tom.pdf", b""),
    ],
)
def test_a_disguised_or_broken_file_is_unknown(name: str, content: bytes) -> None:
    with pytest.raises(FileTypeError) as refused:
        identify(io.BytesIO(content), name)
    assert refused.value.code == "unknown"


def test_a_real_file_under_another_types_name_is_a_mismatch() -> None:
    with pytest.raises(FileTypeError) as refused:
        identify(io.BytesIO(files.image("PNG")), "kontrakt.pdf")
    assert (refused.value.code, refused.value.found.key) == ("mismatch", "png")  # type: ignore[union-attr]


def test_an_office_file_with_macros_is_refused() -> None:
    with pytest.raises(FileTypeError) as refused:
        identify(io.BytesIO(files.ooxml(files.WORD_MACROS, macros=True)), "plan.docx")
    assert refused.value.code == "macros"
