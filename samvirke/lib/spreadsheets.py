"""Cells a spreadsheet must show as text, never run: the one escaping rule of every export.

Excel and LibreOffice run a cell that starts with ``=``, ``+``, ``-`` or ``@`` (and some run one
that starts with a tab or a line break) as a formula. They also fold full-width and small forms
(``＝``, ``﹦``, ``＋``, ``－``, ``＠``…) and the minus sign ``−`` to their ASCII twins when they
read a CSV file, and they skip leading spaces first. Such a cell gets a leading apostrophe, which
every spreadsheet reads as "this is text" and hides.

A CSV file opened in a Nordic Excel is split at ``;`` whatever separator it was written with,
and an English one splits at ``,``: every cell is therefore quoted (``QUOTE_ALL``) so that
neither separator inside a cell starts a new one.
"""

from __future__ import annotations

import csv
import unicodedata
from typing import Final

FORMULA_STARTS = frozenset("=+-@\t\r\n")
# Look-alikes that Unicode compatibility folding (NFKC) does not turn into ASCII.
_LOOK_ALIKES = frozenset("\u2212\u2795\u2796\u02d6\u02d7")
CSV_QUOTING: Final = csv.QUOTE_ALL


def runs_as_formula(cell: str) -> bool:
    """Whether a spreadsheet could read ``cell`` as a formula."""
    stripped = cell.lstrip(" \u00a0\u3000\ufeff")
    if not stripped:
        return False
    first = stripped[0]
    if first in FORMULA_STARTS or first in _LOOK_ALIKES:
        return True
    folded = unicodedata.normalize("NFKC", first)
    return bool(folded) and folded[0] in FORMULA_STARTS


def neutralise(cell: str) -> str:
    """``cell`` as text that no spreadsheet runs."""
    return f"'{cell}" if runs_as_formula(cell) else cell
