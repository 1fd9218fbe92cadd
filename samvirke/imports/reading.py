"""Reading an uploaded CSV or XLSX file into a table, for every import.

A CSV file may be UTF-8 with or without a byte order mark, separated by commas, semicolons or
tabs (sniffed); an unclosed quotation mark is reported on its physical line. An XLSX workbook is
streamed. Every limit of :mod:`samvirke.imports.limits` is checked while the file streams, in a
child process held to a memory and a time limit (:mod:`samvirke.imports.sandbox`).
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import unicodedata
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from django.utils.translation import gettext as _

from samvirke.imports import sandbox
from samvirke.imports.limits import (
    MAX_CELL_LENGTH,
    MAX_COLUMNS,
    MAX_FILE_BYTES,
    MAX_FILLED_CELLS,
    MAX_ROWS,
    MAX_ROWS_READ,
    MAX_SHARED_STRINGS_BYTES,
    MAX_STYLES_BYTES,
    MAX_TOTAL_CHARACTERS,
    MAX_UNPACKED_BYTES,
)


class ImportFileError(Exception):
    """The file cannot be read as a table; the message is translated for the user."""


# --- Reading the file ------------------------------------------------------------------------


@dataclass
class Table:
    """The file's header and its non-empty rows, numbered as a spreadsheet numbers them."""

    headers: list[str]
    rows: list[tuple[int, list[str]]]


def sha256_of(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def read_table(content: bytes) -> Table:
    """The first sheet of an XLSX workbook, or a UTF-8 CSV file separated by commas or semicolons.

    The file is read in a child process held to a memory and a time limit
    (:mod:`samvirke.imports.sandbox`), so that no upload can take the server down.
    Raises :class:`ImportFileError` for anything that is not such a file or breaks the limits.
    """
    return read_in_child(_read_as_json, content)


def read_in_child(parse: Callable[[bytes], tuple[str, object]], content: bytes) -> Table:
    """The table ``parse`` makes of ``content`` in the limited child process: ``parse`` answers
    ``("table", {"headers": …, "rows": …})`` or ``("error", message)``."""
    if len(content) > MAX_FILE_BYTES:
        raise ImportFileError(file_too_large())
    result = sandbox.run(parse, content)
    if result is None:
        raise ImportFileError(
            _(
                "The file needs more memory or time to read than an upload may use. Save only "
                "the columns and rows to import, or split it into smaller files."
            )
        )
    kind, payload = result
    if kind == "error":
        raise ImportFileError(str(payload))
    assert isinstance(payload, dict)  # noqa: S101 - what a parser returns
    return Table(
        headers=list(payload["headers"]),
        rows=[(int(number), list(cells)) for number, cells in payload["rows"]],
    )


def _read_as_json(content: bytes) -> tuple[str, object]:
    """What the child process sends back: the table, or the message of the refusal."""
    try:
        table = read_table_here(content)
    except ImportFileError as exc:
        return ("error", str(exc))
    return ("table", {"headers": table.headers, "rows": table.rows})


def read_table_here(content: bytes) -> Table:
    """:func:`read_table` in this process, with every limit checked while the file streams."""
    if len(content) > MAX_FILE_BYTES:
        raise ImportFileError(file_too_large())
    if content.startswith(b"PK\x03\x04"):
        rows = _xlsx_rows(content)
    else:
        rows = _csv_rows(content)
    return _table(_limited(rows))


def table_of(rows: Iterable[list[str]]) -> Table:
    """A table from rows another reader produced (an SPSS file, say), under the same limits."""
    return _table(_limited(rows))


def _limited(rows: Iterable[list[str]]) -> Iterator[list[str]]:
    """Refuse a file at the first cell, row or character beyond the limits, as it is read."""
    characters = filled = 0
    for number, cells in enumerate(rows, start=1):
        if number > MAX_ROWS_READ:
            raise ImportFileError(_too_many_rows())
        for cell in cells:
            if not cell:
                continue
            if len(cell) > MAX_CELL_LENGTH:
                raise ImportFileError(
                    _("Row %(row)s has a cell longer than %(count)s characters.")
                    % {"row": number, "count": MAX_CELL_LENGTH}
                )
            characters += len(cell)
            filled += 1
        if characters > MAX_TOTAL_CHARACTERS or filled > MAX_FILLED_CELLS:
            raise ImportFileError(
                _(
                    "The file holds more than %(characters)s characters or %(cells)s filled "
                    "cells. Split it into smaller files."
                )
                % {
                    "characters": f"{MAX_TOTAL_CHARACTERS:,}".replace(",", " "),
                    "cells": f"{MAX_FILLED_CELLS:,}".replace(",", " "),
                }
            )
        yield cells


def file_too_large(max_bytes: int = MAX_FILE_BYTES) -> str:
    return _("The file is larger than %(size)s MB.") % {"size": max_bytes // (1024 * 1024)}


def _too_many_rows() -> str:
    return _("The file has more than %(count)s rows. Split it into smaller files.") % {
        "count": f"{MAX_ROWS:,}".replace(",", " ")
    }


def _sniff_delimiter(text: str) -> str:
    lines = [line for line in text[:65536].splitlines() if line.strip()][:20]
    if not lines:
        return ","
    try:
        delimiter = csv.Sniffer().sniff("\n".join(lines), delimiters=",;\t").delimiter
    except csv.Error:
        delimiter = ""
    header = lines[0]
    if len(delimiter) != 1 or delimiter not in header:
        counts = {candidate: header.count(candidate) for candidate in (";", ",", "\t")}
        delimiter = max(counts, key=lambda candidate: counts[candidate])
        if not counts[delimiter]:
            delimiter = ","
    return delimiter


def _csv_rows(content: bytes) -> Iterator[list[str]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportFileError(
            _(
                "The file is neither an Excel workbook (.xlsx) nor a CSV file in UTF-8. "
                "Save it as “CSV UTF-8” or as an Excel workbook and try again."
            )
        ) from exc
    if "\x00" in text:
        raise ImportFileError(_("The file is not a CSV file or an Excel workbook (.xlsx)."))
    delimiter = _sniff_delimiter(text)
    reader = csv.reader(_short_lines(text), delimiter=delimiter, strict=True)
    columns = 0
    line = 1  # the physical line the row being read starts on
    try:
        for fields in reader:
            if not columns and any(fields):
                columns = len(fields)
            if _swallows_rows(fields, delimiter, columns):
                raise ImportFileError(_unclosed_quote(line))
            line = reader.line_num + 1
            yield fields
    except csv.Error as exc:
        if "field limit" in str(exc):
            raise ImportFileError(
                _("Row %(row)s has a cell longer than %(count)s characters.")
                % {"row": line, "count": MAX_CELL_LENGTH}
            ) from exc
        raise ImportFileError(_unclosed_quote(line)) from exc


def _swallows_rows(fields: list[str], delimiter: str, columns: int) -> bool:
    """Whether a quoted cell runs over lines that look like rows of their own.

    A quotation mark that is never closed makes the reader take the following lines, up to the
    next quotation mark, as part of one cell: five data lines read as three, silently. A real
    cell may hold a line break, but not lines with a whole row's worth of separators.
    """
    if columns < 2:
        return False
    return any(
        line.count(delimiter) >= columns - 1
        for field in fields
        if "\n" in field or "\r" in field
        for line in field.splitlines()[1:]
    )


def _unclosed_quote(line: int) -> str:
    return _(
        "A quotation mark on line %(line)s is not closed, so the lines after it would be read "
        "as one cell. Check the quotation marks on that line."
    ) % {"line": line}


# A line with every column at its longest, quoted; csv gathers a whole line's cells at once.
MAX_LINE_CHARACTERS = MAX_COLUMNS * (MAX_CELL_LENGTH + 3)


def _short_lines(text: str) -> Iterator[str]:
    """The file's lines, refusing one so long that its cells could not all be kept."""
    for number, line in enumerate(io.StringIO(text, newline=""), start=1):
        if len(line) > MAX_LINE_CHARACTERS:
            raise ImportFileError(
                _("Line %(line)s is longer than %(count)s characters.")
                % {"line": number, "count": f"{MAX_LINE_CHARACTERS:,}".replace(",", " ")}
            )
        yield line


def _xlsx_rows(content: bytes) -> Iterator[list[str]]:
    not_a_workbook = _("The file could not be read as an Excel workbook (.xlsx).")
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise ImportFileError(not_a_workbook) from exc
    if sum(info.file_size for info in members) > MAX_UNPACKED_BYTES:
        raise ImportFileError(file_too_large())
    # openpyxl reads the shared strings and the styles whole before the first row: their size
    # as unpacked is what they cost at least, so it is held to a limit before anything is read.
    for info in members:
        name = info.filename.lower()
        if (name.endswith("sharedstrings.xml") and info.file_size > MAX_SHARED_STRINGS_BYTES) or (
            name.endswith("styles.xml") and info.file_size > MAX_STYLES_BYTES
        ):
            raise ImportFileError(file_too_large())
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - any damage to an uploaded file means "unreadable"
        raise ImportFileError(not_a_workbook) from exc
    try:
        if not workbook.worksheets:
            raise ImportFileError(not_a_workbook)
        sheet = workbook.worksheets[0]
        # The size a workbook claims for itself is not trusted: a made-up <dimension> (or one
        # cell far down and to the right) would otherwise be padded out with millions of
        # empty cells. Read what is there, at most one column more than may be imported, and
        # give up once there are far more rows, empty or not, than may be imported.
        sheet.reset_dimensions()
        for values in sheet.iter_rows(max_col=MAX_COLUMNS + 1, values_only=True):
            yield [_cell_text(value) for value in values]
    except ImportFileError:
        raise
    except Exception as exc:  # noqa: BLE001 - as above, while the sheet is streamed
        raise ImportFileError(not_a_workbook) from exc
    finally:
        workbook.close()


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _table(rows: Iterable[list[str]]) -> Table:
    headers: list[str] | None = None
    body: list[tuple[int, list[str]]] = []
    for number, raw in enumerate(rows, start=1):
        cells = [unicodedata.normalize("NFC", cell).strip() for cell in raw]
        while cells and not cells[-1]:
            cells.pop()
        if headers is None:
            if not cells:
                continue
            if len(cells) > MAX_COLUMNS:
                raise ImportFileError(
                    _("The file has more than %(count)s columns.") % {"count": MAX_COLUMNS}
                )
            headers = [cell[:100] or _("Column %(number)s") % {"number": i + 1}
                       for i, cell in enumerate(cells)]  # fmt: skip
            continue
        if not cells:
            continue
        if len(cells) > len(headers):
            raise ImportFileError(
                _("Row %(row)s has more cells than the header row has columns.") % {"row": number}
            )
        if len(body) >= MAX_ROWS:
            raise ImportFileError(_too_many_rows())
        body.append((number, cells + [""] * (len(headers) - len(cells))))
    if headers is None:
        raise ImportFileError(_("The file is empty."))
    if not body:
        raise ImportFileError(_("The file has a header row but no members below it."))
    return Table(headers=headers, rows=body)
