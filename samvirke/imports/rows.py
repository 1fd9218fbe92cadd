"""Reading a table's rows with the columns the user chose, noting every problem by row and column.

A problem is a :class:`RowError`: the row as the spreadsheet numbers it, the header of the
column (``""`` when the problem is not about a chosen column) and a translated message. A check
goes through every row before it says anything, so the report lists every problem at once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

from samvirke.imports.cells import CellError
from samvirke.imports.columns import Columns
from samvirke.imports.reading import Table

_T = TypeVar("_T")


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str


class Report(Protocol):
    """What the page shows of a check or an import, whatever was imported."""

    errors: list[RowError]

    @property
    def ok(self) -> bool: ...

    def summary(self) -> list[str]: ...


class Rows:
    """The rows of ``table`` as :class:`Row` objects; their problems gather in ``errors``."""

    def __init__(self, table: Table, columns: Sequence[str], declared: Columns) -> None:
        self.table = table
        self.declared = declared
        self.at = {target: index for index, target in enumerate(columns) if target}
        self.errors: list[RowError] = []

    def __iter__(self) -> Iterator[Row]:
        for number, cells in self.table.rows:
            yield Row(self, number, cells)

    def header(self, target: str) -> str:
        index = self.at.get(target)
        return self.table.headers[index] if index is not None else ""

    def fail(self, number: int, target: str, message: str) -> None:
        self.errors.append(RowError(number, self.header(target), message))


class Row:
    """One row: its cells by column, read with the column's parser."""

    def __init__(self, rows: Rows, number: int, cells: list[str]) -> None:
        self.rows, self.number, self.cells = rows, number, cells
        self._errors_before = len(rows.errors)

    def text(self, target: str) -> str:
        """The cell as written (``""`` when the column is not chosen)."""
        index = self.rows.at.get(target)
        return self.cells[index].strip() if index is not None else ""

    def value(self, target: str, parse: Callable[[str], _T] | None = None) -> _T | Any | None:
        """The cell read by ``parse`` (else the column's declared parser); ``None`` when the
        cell is empty, or cannot be read (the problem is noted)."""
        value = self.text(target)
        if not value:
            return None
        reader = parse if parse is not None else self.rows.declared.cells[target]
        try:
            return reader(value)
        except CellError as exc:
            self.fail(target, str(exc))
            return None

    def fail(self, target: str, message: str) -> None:
        self.rows.fail(self.number, target, message)

    @property
    def ok(self) -> bool:
        """No problem noted on this row so far."""
        return len(self.rows.errors) == self._errors_before
