"""An import's declaration of its columns, and what the kit does with it.

A domain says what a column can hold (``choices``, labelled in the user's language), which
words files use for it besides its label (``names``: nb, sv and en, ``"|"`` between them), which
columns must be chosen, and how a plain cell is read (``cells``, parsers from
:mod:`samvirke.imports.cells`). The kit guesses the columns from the headers, says what is
wrong with a choice of columns, and writes the header row of the template file.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.utils import translation
from django.utils.translation import gettext as _

from samvirke.imports.cells import key


@dataclass(frozen=True)
class Columns:
    choices: type[models.TextChoices]
    names: Mapping[str, str] = field(default_factory=dict)
    # Per column that must be chosen, the sentence that asks for it (lazily translated).
    required: Mapping[str, Any] = field(default_factory=dict)
    cells: Mapping[str, Callable[[str], Any]] = field(default_factory=dict)
    # Further rules about the choice of columns, as sentences for the user.
    rules: Callable[[Sequence[str]], list[str]] | None = None

    @property
    def targets(self) -> list[str]:
        return [value for value in self.choices.values if value]

    def label(self, target: str) -> str:
        return str(self.choices(target).label)

    def _header_index(self) -> dict[str, str]:
        """Every recognised header key, with the column it stands for: the declared words
        first, then the labels in nb, sv and en, then the codes."""
        index: dict[str, str] = {}
        for target, names in self.names.items():
            for name in names.split("|"):
                index.setdefault(key(name), target)
        for language in ("nb", "sv", "en"):
            with translation.override(language):
                for target in self.targets:
                    index.setdefault(key(self.label(target)), target)
        for target in self.targets:
            index.setdefault(key(target), target)
        return index

    def guess(self, headers: Sequence[str]) -> list[str]:
        """The column each header most likely holds (``""``: ignore); each chosen once."""
        index = self._header_index()
        chosen: list[str] = []
        for header in headers:
            target = index.get(key(header), "")
            chosen.append("" if target in chosen else target)
        return chosen

    def problems(self, columns: Sequence[str]) -> list[str]:
        """What is wrong with a choice of columns, as sentences for the user."""
        problems = [str(ask) for target, ask in self.required.items() if target not in columns]
        if self.rules is not None:
            problems += self.rules(columns)
        labels = dict(self.choices.choices)
        problems += [
            _("“%(field)s” is chosen for more than one column.") % {"field": labels[target]}
            for target in sorted({c for c in columns if c and columns.count(c) > 1})
        ]
        return problems
