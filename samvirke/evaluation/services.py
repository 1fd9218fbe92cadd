"""Writes for evaluation research: the files that leave Samvirke, and their audit trail."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import IO, TYPE_CHECKING

from django.utils.translation import gettext as _

from samvirke.audit.actor import Actor
from samvirke.audit.models import AuditAction, AuditEntry
from samvirke.audit.services import record_event
from samvirke.evaluation.deidentify import (
    MINIMUM_PEOPLE,
    DateHandling,
    Deidentifier,
    Geography,
)
from samvirke.evaluation.models import ResearchExport

if TYPE_CHECKING:
    pass

RESEARCH_DATA_TYPE = "evaluation.research_data"
# The audit log's label of each dataset (translated when shown: audit.models.SYSTEM_LABELS).
DATASET_LABELS = {
    "mapping": "research data: resource mapping",
    "outcomes": "research data: evaluation dataset",
}


class ExportRefused(Exception):  # noqa: N818 - a refusal, not an error of the code
    """The export would not protect the people in it; ``message`` says why, translated."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class ExportChoice:
    """What the researcher asked for: every parameter of the export, as logged."""

    dataset: str = "outcomes"
    file_format: str = "csv"
    layout: str = "long"
    all_versions: bool = False
    dates: str = DateHandling.MONTHS
    geography: str = Geography.REGION
    free_text: bool = False  # never offered: what people wrote in their own words stays here


@dataclass
class Tally:
    """Filled in while the file is written: how many rows went into it."""

    rows: int = 0


class ProgressTally(Tally):
    """A tally that reports how far the file has got every ``every`` rows."""

    def __init__(self, report: Callable[[int], None], every: int = 2000) -> None:
        self._report = report
        self._every = every
        self._next = every
        self._rows = 0

    @property
    def rows(self) -> int:
        return self._rows

    @rows.setter
    def rows(self, value: int) -> None:
        self._rows = value
        if value >= self._next:
            self._next = value + self._every
            self._report(value)


Renderer = Callable[[Deidentifier, Tally], Iterator[bytes]]


def refusal(people: int) -> ExportRefused | None:
    """The refusal of an export of ``people``, or None: fewer than five are refused, because
    in a group that small a coarsened record still points at a person."""
    if people >= MINIMUM_PEOPLE:
        return None
    return ExportRefused(
        _(
            "This export would hold %(people)s people. An export must hold at least "
            "%(minimum)s, so that no one can be picked out of it; nothing was exported."
        )
        % {"people": people, "minimum": MINIMUM_PEOPLE}
    )


@dataclass(frozen=True)
class Written:
    rows: int
    size: int
    sha256: str


def write_research_file(
    export: ResearchExport, render: Renderer, out: IO[bytes], tally: Tally
) -> Written:
    """Write one research file under the export's own salt, taking its SHA-256 on the way."""
    choice = ExportChoice(**export.parameters)
    deid = Deidentifier(salt=export.salt, dates=choice.dates, geography=choice.geography)
    digest = hashlib.sha256()
    size = 0
    for chunk in render(deid, tally):
        out.write(chunk)
        digest.update(chunk)
        size += len(chunk)
    return Written(rows=tally.rows, size=size, sha256=digest.hexdigest())


def record_research_export(
    *,
    actor: Actor,
    export: ResearchExport,
    parameters: dict[str, object],
) -> AuditEntry:
    """Log a research file: who, which programme, every parameter, how many and its SHA-256.

    Never who was in it, nor the salt: the file is pseudonymous and the log should not become
    a list of the people who take part in research, nor a key to their study ids.
    """
    return record_event(
        action=AuditAction.EXPORT,
        actor=actor,
        programme=export.programme,
        object_type=RESEARCH_DATA_TYPE,
        object_id=str(export.pk),
        object_label=DATASET_LABELS.get(export.dataset, "research data"),
        detail={
            "what": "research data",
            "dataset": export.dataset,
            "output": export.file_format,
            "versions": "all" if parameters.get("all_versions") else "current",
            "parameters": parameters,
            "participants": export.participants,
            "rows": export.rows,
            "bytes": export.size,
            "sha256": export.sha256,
        },
    )
