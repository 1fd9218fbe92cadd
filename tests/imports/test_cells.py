"""The same cell means the same thing in every import: one table of cells, every parser.

Each import declares how its plain cells are read (``Columns.cells``). Every column that holds a
yes/no, a date or a whole number, in every import, reads every cell of the table below the same
way; and an empty cell is never read at all: it says nothing, whatever the column.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import translation

from samvirke.accounts.permissions import access_for
from samvirke.imports import cells
from samvirke.imports.cells import CellError
from samvirke.imports.columns import Columns
from samvirke.imports.reading import Table
from samvirke.imports.rows import Rows
from samvirke.mapping.imports.fields import MEMBER_COLUMNS
from samvirke.measures.catalogue_import import CATALOGUE_COLUMNS
from samvirke.measures.imports import ENROLMENT_COLUMNS, check
from samvirke.measures.models import MeasureSession
from tests.conftest import Cast
from tests.measures.people import enrol, followed, measure_in

IMPORTS: dict[str, Columns] = {
    "member survey": MEMBER_COLUMNS,
    "enrolments and attendance": ENROLMENT_COLUMNS,
    "catalogue of measures": CATALOGUE_COLUMNS,
}

NOT_A = CellError  # the cell is reported on its row

# cell -> what a yes/no column reads it as
YES_NO: dict[str, Any] = {
    "ja": True, "Ja": True, "JA ": True, "yes": True, "x": True, "1": True, "sant": True,
    "j": True, "true": True,
    "nei": False, "Nej": False, "no": False, "0": False, "usant": False, "falskt": False,
    "maybe": NOT_A, "kanskje": NOT_A, "2": NOT_A, "-": NOT_A,
}  # fmt: skip
MARCH_31 = dt.date(2024, 3, 31)
DATES: dict[str, Any] = {
    "2024-03-31": MARCH_31, "31.03.2024": MARCH_31, "31/03/2024": MARCH_31,
    "2024.03.31": MARCH_31, "2024-03-31 00:00:00": MARCH_31, "2024-03-31T10:15": MARCH_31,
    "31.3.2024": MARCH_31,
    "31.02.2024": NOT_A, "2024-13-01": NOT_A, "March 31": NOT_A, "20240331": NOT_A,
    "yes": NOT_A,
}  # fmt: skip
NUMBERS: dict[str, Any] = {
    "12": 12, "12.0": 12, "12,0": 12, "1 200": 1200, "0": 0,
    "²": NOT_A, "١٢": NOT_A, "1234567": NOT_A, "-3": NOT_A, "twelve": NOT_A, "1.5": NOT_A,
}  # fmt: skip
TABLES: list[tuple[Callable[[str], Any], dict[str, Any]]] = [
    (cells.yes_no, YES_NO),
    (cells.date, DATES),
    (cells.whole_number, NUMBERS),
]


def columns_read_by(parser: Callable[[str], Any]) -> list[tuple[str, str]]:
    return [
        (name, target)
        for name, declared in IMPORTS.items()
        for target, reader in declared.cells.items()
        if reader is parser
    ]


def test_every_import_has_a_yes_no_a_date_or_a_number_column_read_by_the_kit() -> None:
    # given / when
    kinds = {parser: columns_read_by(parser) for parser, _table in TABLES}
    # then: the table below reaches the member survey and both measures imports
    assert {name for found in kinds.values() for name, _target in found} == set(IMPORTS)
    assert all(kinds.values())


CASES = [
    pytest.param(name, target, cell, expected, id=f"{name}:{target}:{cell!r}")
    for parser, table in TABLES
    for name, target in columns_read_by(parser)
    for cell, expected in table.items()
]


@pytest.mark.parametrize(("name", "target", "cell", "expected"), CASES)
def test_a_cell_means_the_same_in_every_import(
    name: str, target: str, cell: str, expected: Any
) -> None:
    # given
    declared = IMPORTS[name]
    table = Table(headers=[declared.label(target)], rows=[(2, [cell.strip()])])
    rows = Rows(table, [target], declared)
    # when
    (row,) = list(rows)
    value = row.value(target)
    # then
    if expected is NOT_A:
        assert value is None
        assert [(e.row, e.column) for e in rows.errors] == [(2, table.headers[0])]
    else:
        assert value == expected
        assert rows.errors == []


CHOICE_COLUMNS = [
    pytest.param(name, target, id=f"{name}:{target}")
    for name, declared in IMPORTS.items()
    for target, reader in declared.cells.items()
    if hasattr(reader, "choices")
]


@pytest.mark.parametrize(("name", "target"), CHOICE_COLUMNS)
def test_a_choice_is_its_code_or_its_label_in_any_language_with_a_typo_forgiven(
    name: str, target: str
) -> None:
    # given
    declared = IMPORTS[name]
    parse = declared.cells[target]
    choices = parse.choices  # type: ignore[attr-defined]
    value, label = choices.choices[-1]
    with translation.override("sv"):
        swedish = str(label)
    # when
    read = [
        parse(value),
        parse(swedish.upper()),
        parse(f"{swedish}x" if len(swedish) > 6 else swedish),
    ]
    # then
    assert read == [value] * 3
    with pytest.raises(CellError):
        parse("no such thing at all")


@pytest.mark.parametrize("name", list(IMPORTS))
def test_an_empty_cell_says_nothing_in_every_column_of_every_import(name: str) -> None:
    # given: a row whose every column is empty but the first
    declared = IMPORTS[name]
    targets = declared.targets
    headers = [declared.label(target) for target in targets]
    table = Table(headers=headers, rows=[(2, ["x"] + [""] * (len(targets) - 1))])
    rows = Rows(table, targets, declared)
    # when
    (row,) = list(rows)
    values = {target: row.value(target) for target in targets[1:] if target in declared.cells}
    # then
    assert set(values.values()) == {None}
    assert rows.errors == []


@pytest.mark.django_db
@pytest.mark.parametrize("day", ["2026.03.02", "02.03.2026", "2026-03-02 10:00"])
def test_a_session_date_is_read_as_the_member_survey_reads_a_date(cast: Cast, day: str) -> None:
    # given: a measure with a session on 2 March 2026, and a row that marks someone present
    measure = measure_in(cast)
    start = dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC)
    MeasureSession.objects.create(
        measure=measure, starts_at=start, ends_at=start + dt.timedelta(hours=2)
    )
    participant = followed(cast)
    enrol(cast, measure, participant)
    table = Table(
        headers=["Pseudonym", "Dato", "Til stede"], rows=[(2, [participant.pseudonym, day, "ja"])]
    )
    # when
    plan = check(
        access_for(cast.guide, cast.programme),
        measure,
        table,
        ["pseudonym", "session_date", "present"],
    )
    # then
    assert plan.errors == []
    assert plan.new_attendance == 1
