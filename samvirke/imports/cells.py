"""What a cell means, the same in every import.

An empty cell is never read by a parser: it says nothing (``None``), and the domain decides
whether that is allowed ("not given") or a problem ("say whether…"). A yes/no cell knows the
same words everywhere, a date is written 2024-03-31, 31.03.2024, 31/03/2024 or 2024.03.31
(a time after it is ignored), a whole number may have spaces and a spreadsheet's ".0".
A parser raises :class:`CellError` with a translated message for the report.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable

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


def label_index(choices: type[models.TextChoices]) -> dict[str, str]:
    """Codes and labels in every language, by their loose key."""
    index: dict[str, str] = {}
    for value in choices.values:
        index[key(value)] = value
    for language in ("nb", "sv", "en"):
        with translation.override(language):
            for value, label in choices.choices:
                index.setdefault(key(str(label)), value)
    return index


def choice(choices: type[models.TextChoices], message: str) -> Callable[[str], str]:
    """A cell holding one of ``choices``, by code or by label in nb, sv or en.

    ``message`` is a msgid with ``%(value)s`` (marked with ``gettext_noop``), translated when
    the cell is read. The labels are gathered at the first cell, not when a module is loaded.
    """
    index: dict[str, str] = {}

    def parse(value: str) -> str:
        if not index:
            index.update(label_index(choices))
        found = index.get(key(value))
        if found is None:
            raise CellError(_(message) % {"value": value[:60]})
        return found

    return parse
