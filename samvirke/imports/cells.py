"""What a cell means, the same in every import.

An empty cell is never read by a parser: it says nothing (``None``), and the domain decides
whether that is allowed ("not given") or a problem ("say whether…"). A yes/no cell knows the
same words everywhere, a date is written 2024-03-31, 31.03.2024, 31/03/2024 or 2024.03.31
(a time after it is ignored), a whole number may have spaces and a spreadsheet's ".0", a
choice is its code or its label in nb, sv or en with a small typo forgiven.
A parser raises :class:`CellError` with a translated message for the report.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence

from django.db import models
from django.utils import translation
from django.utils.translation import gettext as _


class CellError(Exception):
    """The cell cannot mean what its column holds; the message is translated for the user."""


_FOLD = str.maketrans({"ø": "o", "æ": "ae", "œ": "oe", "ß": "ss", "đ": "d", "ł": "l"})
_NOT_WORD = re.compile(r"[\W_]+")


def key(text: str) -> str:
    """A loose key for matching headers and labels: no case, accents, punctuation or spacing."""
    text = unicodedata.normalize("NFKD", text.casefold().translate(_FOLD))
    text = "".join(char for char in text if not unicodedata.combining(char))
    return _NOT_WORD.sub(" ", text).strip()


YES = frozenset({"yes", "y", "ja", "j", "true", "sant", "1", "x"})
NO = frozenset({"no", "n", "nei", "nej", "false", "usant", "falskt", "0"})


def yes_no(value: str) -> bool:
    found = key(value)
    if found in YES:
        return True
    if found in NO:
        return False
    raise CellError(_("Write yes or no, not “%(value)s”.") % {"value": value[:40]})


DATE_PATTERNS = ("%Y-%m-%d", "%d.%m.%Y", "%d/%m/%Y", "%Y.%m.%d")


def date(value: str) -> dt.date:
    day = value.strip().replace("T", " ").split(" ")[0]
    for pattern in DATE_PATTERNS:
        try:
            return dt.datetime.strptime(day, pattern).date()  # noqa: DTZ007 - a date, no time
        except ValueError:
            continue
    raise CellError(
        _("“%(value)s” is not a date; write it as 2024-03-31 or 31.03.2024.")
        % {"value": value[:40]}
    )


def whole_number(value: str) -> int:
    cleaned = value.replace(" ", "").replace("\u00a0", "")
    if cleaned.endswith((".0", ",0")):
        cleaned = cleaned[:-2]
    if not (cleaned.isascii() and cleaned.isdigit() and len(cleaned) <= 6):
        raise CellError(_("“%(value)s” is not a whole number.") % {"value": value[:40]})
    return int(cleaned)


def text(limit: int) -> Callable[[str], str]:
    def parse(value: str) -> str:
        if len(value) > limit:
            raise CellError(_("Longer than %(limit)s characters.") % {"limit": limit})
        return value

    return parse


def split(value: str) -> list[str]:
    """A list in one cell, separated by semicolons; each part once."""
    return list(dict.fromkeys(part.strip() for part in value.split(";") if part.strip()))


# How alike a typed label must be to a known one to count as it ("Matlagning" for "matlaging").
CLOSE_MATCH = 0.85


def vocabulary(entries: Iterable[tuple[str, Sequence[str]]]) -> dict[str, str]:
    """Loose keys of every code and label, to the code."""
    found: dict[str, str] = {}
    for code, labels in entries:
        found.setdefault(key(code), code)
        for label in labels:
            if label:
                found.setdefault(key(label), code)
    return found


def look_up(known: dict[str, str], value: str) -> str | None:
    """The code for a label as typed, forgiving a small typo; None when nothing is close."""
    typed = key(value)
    if typed in known:
        return known[typed]
    close = difflib.get_close_matches(typed, list(known), n=1, cutoff=CLOSE_MATCH)
    return known[close[0]] if close else None


def label_index(choices: type[models.TextChoices]) -> dict[str, str]:
    """Codes and labels in every language, by their loose key."""
    labels: dict[str, list[str]] = {value: [] for value in choices.values}
    for language in ("nb", "sv", "en"):
        with translation.override(language):
            for value, label in choices.choices:
                labels[value].append(str(label))
    return vocabulary(labels.items())


def choice(choices: type[models.TextChoices], message: str) -> Callable[[str], str]:
    """A cell holding one of ``choices``, by code or by label in nb, sv or en (a small typo
    forgiven).

    ``message`` is a msgid with ``%(value)s`` (marked with ``gettext_noop``), translated when
    the cell is read. The labels are gathered at the first cell, not when a module is loaded.
    """
    index: dict[str, str] = {}

    def parse(value: str) -> str:
        if not index:
            index.update(label_index(choices))
        found = look_up(index, value)
        if found is None:
            raise CellError(_(message) % {"value": value[:60]})
        return found

    parse.choices = choices  # type: ignore[attr-defined] # what the column holds, for the tests
    return parse
