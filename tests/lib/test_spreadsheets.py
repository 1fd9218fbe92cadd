"""The one escaping rule every CSV/XLSX export uses (samvirke.lib.spreadsheets)."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest

from samvirke.lib.spreadsheets import CSV_QUOTING, neutralise


@pytest.mark.parametrize(
    "cell",
    [
        "=1+1",
        "+47 400",
        "-2+3",
        "@SUM(A1)",
        "\t=1",
        '＝HYPERLINK("http://x")',
        "﹦1+1",
        "＋1",
        "－1",
        "＠SUM(A1)",
        "\u22121+1",
        "  =1+1",
        "\u3000＝1",
    ],
)
def test_a_cell_a_spreadsheet_would_run_gets_an_apostrophe(cell: str) -> None:
    assert neutralise(cell) == f"'{cell}"


@pytest.mark.parametrize("cell", ["Oslo", "a=b", "", "1984", "'quoted"])
def test_an_ordinary_cell_is_left_as_it_is(cell: str) -> None:
    assert neutralise(cell) == cell


def test_a_semicolon_inside_a_comma_separated_cell_stays_inside_quotes() -> None:
    # given
    buffer = io.StringIO()
    # when
    csv.writer(buffer, quoting=CSV_QUOTING).writerow(["a;=1+1", "b"])
    # then: a program that splits at ";" (a Nordic Excel) finds it inside one quoted cell
    assert buffer.getvalue() == '"a;=1+1","b"\r\n'


def test_every_module_that_writes_a_spreadsheet_escapes_through_the_one_rule() -> None:
    # given: every module of Samvirke that writes CSV or XLSX
    root = Path(__file__).resolve().parents[2] / "samvirke"
    writers = [
        path
        for path in root.rglob("*.py")
        if "migrations" not in path.parts
        and re.search(r"csv\.(Dict)?[wW]riter\(|Workbook\(", path.read_text(encoding="utf-8"))
        and path.name != "spreadsheets.py"
    ]
    # then: each of them uses samvirke.lib.spreadsheets
    assert writers
    unescaped = [
        str(path.relative_to(root))
        for path in writers
        if "samvirke.lib.spreadsheets import" not in path.read_text(encoding="utf-8")
    ]
    assert unescaped == []
