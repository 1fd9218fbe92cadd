"""An upload cannot take the server down: limits while the file streams, and a child process
held to a memory and a time limit (mapping/imports/reading.py and sandbox.py)."""

from __future__ import annotations

import time

import pytest
from django.test import override_settings
from django.utils import translation

from samvirke.imports import reading, sandbox
from samvirke.imports.limits import MAX_CELL_LENGTH
from samvirke.imports.reading import ImportFileError, read_table
from tests.mapping.xlsx_bombs import one_string_everywhere


def test_a_workbook_showing_one_long_string_in_every_cell_is_refused_while_read() -> None:
    # given: some kilobytes on disk, 40 000 cells of 1 999 characters once read (80 million)
    content = one_string_everywhere(rows=10_000, columns=4, length=MAX_CELL_LENGTH - 1)
    assert len(content) < 200_000
    # when / then
    with translation.override("en"), pytest.raises(ImportFileError, match="filled cells"):
        read_table(content)


def test_a_workbook_cell_longer_than_the_limit_is_refused_with_its_row() -> None:
    content = one_string_everywhere(rows=1, columns=1, length=MAX_CELL_LENGTH + 1)
    with translation.override("en"), pytest.raises(ImportFileError, match="Row 2 has a cell"):
        read_table(content)


def test_a_csv_cell_longer_than_the_limit_is_refused_with_its_row() -> None:
    content = ("member id;name\n1;Kari\n2;" + "x" * (MAX_CELL_LENGTH + 1) + "\n").encode()
    with translation.override("en"), pytest.raises(ImportFileError, match="Row 3 has a cell"):
        read_table(content)


def test_a_csv_line_of_millions_of_separators_is_refused() -> None:
    content = b"member id;name\n" + b";" * 5_000_000 + b"\n"
    with translation.override("en"), pytest.raises(ImportFileError, match="Line 2 is longer"):
        read_table(content)


def test_an_ordinary_file_still_reads_through_the_child_process() -> None:
    table = read_table(b"member id;name\n1;Kari\n")
    assert (table.headers, table.rows) == (["member id", "name"], [(2, ["1", "Kari"])])


def hungry(content: bytes) -> object:
    hoard = [bytearray(64 * 1024 * 1024) for _ in range(16)]  # a gigabyte
    return len(hoard)


def endless(content: bytes) -> object:
    while True:
        pass


@override_settings(IMPORT_PARSE_MEMORY_MB=64)
def test_a_file_that_needs_more_memory_than_allowed_gets_a_clear_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # given: a parser that would need a gigabyte
    monkeypatch.setattr(reading, "read_table_here", hungry)
    # when / then
    with translation.override("en"), pytest.raises(ImportFileError, match="more memory or time"):
        read_table(b"member id\n1\n")


@override_settings(IMPORT_PARSE_SECONDS=1)
def test_a_file_that_takes_longer_than_allowed_gets_a_clear_error() -> None:
    # given
    started = time.monotonic()
    # when
    answer = sandbox.run(endless, b"")
    # then
    assert answer is None
    assert time.monotonic() - started < 10
