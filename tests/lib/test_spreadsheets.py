"""The one escaping rule every CSV/XLSX export uses (samvirke.lib.spreadsheets)."""

from __future__ import annotations

import csv
import io

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
