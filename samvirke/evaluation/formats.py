"""Writers of the evaluation dataset: CSV, SPSS .sav, Stata .dta and an R bundle.

Each takes the variables and an iterator of rows and yields the file's bytes. The SPSS and Stata
files carry the variable labels, value labels and levels of measurement (pyreadstat); the R
bundle is a zip of the CSV and a script that reads it and applies the same labels, so a
researcher without SPSS or Stata gets the same dataset. Numbers are held column by column in
compact arrays (8 bytes a cell) until the file is written, never as a list of Python rows.
"""

from __future__ import annotations

import csv
import datetime as dt
import math
import os
import tempfile
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

from samvirke.evaluation.dataset import Value, Variable
from samvirke.lib.spreadsheets import CSV_QUOTING, neutralise

if TYPE_CHECKING:
    from samvirke.evaluation.services import Tally

BOM = "\ufeff"
CHUNK = 1 << 16
LINES_PER_CHUNK = 2000


class _Line:
    def write(self, value: str) -> str:
        return value


def _text(value: Value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        return "" if math.isnan(value) else repr(value)
    text = str(value)
    return neutralise(text)


def csv_file(
    variables: Sequence[Variable], rows: Iterable[Sequence[Value]], tally: Tally
) -> Iterator[bytes]:
    """UTF-8 with a byte order mark, comma-separated, codes as numbers, empty when missing.

    The csv module writes numbers, dates (``str`` of a date is ISO 8601) and missing values
    itself; only the text columns go through the formula guard, which keeps the cost per cell
    in C. (The dataset gives no NaN: a missing number is None.) In the long layout a person's
    participant, exposure, score and item columns repeat on each of their time point rows:
    they are written once and the text reused while the next row starts the same.
    """
    writer = csv.writer(_Line(), lineterminator="\r\n", quoting=CSV_QUOTING)
    lines = [BOM + writer.writerow([variable.name for variable in variables])]
    split = next((i for i, v in enumerate(variables) if v.name == "time_point"), 0)
    texts = [index for index, variable in enumerate(variables) if variable.kind == "string"]
    head_texts = [index for index in texts if index < split]
    tail_texts = [index - split for index in texts if index >= split]
    last_head: list[Value] | None = None
    head_text = ""
    for row in rows:
        tally.rows += 1
        head, tail = list(row[:split]), list(row[split:])
        if head != last_head:
            last_head = list(head)
            for index in head_texts:
                head[index] = _text(head[index])
            head_text = writer.writerow(head)[:-2] + "," if split else ""
        for index in tail_texts:
            tail[index] = _text(tail[index])
        lines.append(head_text + writer.writerow(tail))
        if len(lines) >= LINES_PER_CHUNK:
            yield "".join(lines).encode("utf-8")
            lines = []
    yield "".join(lines).encode("utf-8")


def _frame(variables: Sequence[Variable], rows: Iterable[Sequence[Value]], tally: Tally) -> Any:
    """A data frame of the rows, converted a block of rows at a time by numpy (in C): numbers
    as float64 (missing as NaN, which SPSS and Stata read as system-missing), the rest as
    objects. Only one block is ever held as Python lists."""
    import numpy as np
    import pandas as pd

    numeric = [i for i, variable in enumerate(variables) if variable.kind in {"integer", "number"}]
    others = [i for i, variable in enumerate(variables) if i not in set(numeric)]
    numbers: list[Any] = []
    objects: list[Any] = []
    block: list[Sequence[Value]] = []

    def flush() -> None:
        table = np.array(block, dtype=object).reshape(len(block), len(variables))
        numbers.append(table[:, numeric].astype(np.float64))
        objects.append(table[:, others])
        block.clear()

    for row in rows:
        tally.rows += 1
        block.append(row)
        if len(block) >= LINES_PER_CHUNK:
            flush()
    if block or not numbers:
        flush()
    number_table = np.concatenate(numbers)
    object_table = np.concatenate(objects)
    numbers.clear()
    objects.clear()
    data: dict[str, Any] = {}
    for position, index in enumerate(numeric):
        data[variables[index].name] = np.ascontiguousarray(number_table[:, position])
    for position, index in enumerate(others):
        column = object_table[:, position]
        if variables[index].kind != "date":
            column = np.array(["" if c is None else str(c) for c in column], dtype=object)
        data[variables[index].name] = column
    del number_table, object_table
    frame = pd.DataFrame(data, copy=False)
    return frame[[variable.name for variable in variables]]


def _labels(
    variables: Sequence[Variable],
) -> tuple[dict[str, str | None], dict[str, dict[int, str]]]:
    labels: dict[str, str | None] = {variable.name: variable.label for variable in variables}
    values = {variable.name: dict(variable.values) for variable in variables if variable.values}
    return labels, values


def _read_back(path: str) -> Iterator[bytes]:
    try:
        with open(path, "rb") as written:
            while chunk := written.read(CHUNK):
                yield chunk
    finally:
        os.unlink(path)


def _temporary(suffix: str) -> str:
    handle, path = tempfile.mkstemp(suffix=suffix)
    os.close(handle)
    return path


def sav_file(
    variables: Sequence[Variable], rows: Iterable[Sequence[Value]], tally: Tally, *, title: str
) -> Iterator[bytes]:
    """SPSS .sav with variable labels, value labels, levels of measurement and formats."""
    import pyreadstat

    frame = _frame(variables, rows, tally)
    labels, values = _labels(variables)
    path = _temporary(".sav")
    pyreadstat.write_sav(
        frame,
        path,
        file_label=title[:64],
        column_labels=labels,
        variable_value_labels=values,  # type: ignore[arg-type]
        variable_measure={variable.name: variable.measure for variable in variables},
        variable_format={
            variable.name: "F8.0" for variable in variables if variable.kind == "integer"
        },
        compress=False,
    )
    del frame
    return _read_back(path)


def dta_file(
    variables: Sequence[Variable], rows: Iterable[Sequence[Value]], tally: Tally, *, title: str
) -> Iterator[bytes]:
    """Stata .dta (version 15) with variable labels and value labels."""
    import pyreadstat

    frame = _frame(variables, rows, tally)
    labels, values = _labels(variables)
    path = _temporary(".dta")
    pyreadstat.write_dta(
        frame,
        path,
        file_label=title[:80],
        column_labels={name: (label or "")[:80] for name, label in labels.items()},
        variable_value_labels=values,  # type: ignore[arg-type]
        version=15,
    )
    del frame
    return _read_back(path)


def _r_string(value: str) -> str:
    escaped = (
        value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    )
    return f'"{escaped}"'


def r_script(variables: Sequence[Variable], *, data_file: str, title: str) -> str:
    """A script that reads the CSV with the right types and applies every label."""
    strings = [v.name for v in variables if v.kind == "string"]
    lines = [
        f"# {title}",
        "# Reads the data and applies Samvirke's variable and value labels.",
        '# Coded variables become factors; every variable gets a "label" attribute',
        "# (shown by RStudio's viewer, and by the labelled and haven packages).",
        "",
        f'data <- read.csv({_r_string(data_file)}, fileEncoding = "UTF-8-BOM",',
        '                 na.strings = "", stringsAsFactors = FALSE,',
        "                 colClasses = c("
        + ", ".join(f'{name} = "character"' for name in strings)
        + "))",
        "",
    ]
    for variable in variables:
        column = f"data[[{_r_string(variable.name)}]]"
        if variable.kind == "date":
            lines.append(f"{column} <- as.Date({column})")
        if variable.values:
            levels = ", ".join(str(code) for code, _label in variable.values)
            names = ", ".join(_r_string(label) for _code, label in variable.values)
            ordered = "TRUE" if variable.measure == "ordinal" else "FALSE"
            lines.append(
                f"{column} <- factor({column}, levels = c({levels}), labels = c({names}), "
                f"ordered = {ordered})"
            )
        lines.append(f'attr({column}, "label") <- {_r_string(variable.label)}')
    return "\n".join(lines) + "\n"


def r_bundle(
    variables: Sequence[Variable],
    rows: Iterable[Sequence[Value]],
    tally: Tally,
    *,
    title: str,
    stem: str,
) -> Iterator[bytes]:
    """A zip of ``<stem>.csv`` and ``<stem>.R``, the script that loads it with its labels."""
    path = _temporary(".zip")
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as bundle:
        with bundle.open(f"{stem}.csv", "w") as data:
            for chunk in csv_file(variables, rows, tally):
                data.write(chunk)
        bundle.writestr(f"{stem}.R", r_script(variables, data_file=f"{stem}.csv", title=title))
    return _read_back(path)
