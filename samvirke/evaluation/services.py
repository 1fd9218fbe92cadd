"""Writes for evaluation research: the files that leave Samvirke, and their audit trail."""

from __future__ import annotations

import hashlib
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from typing import IO, TYPE_CHECKING

from django.db import transaction
from django.utils.translation import gettext as _

from samvirke.audit.models import AuditAction, AuditEntry
from samvirke.audit.services import record_event
from samvirke.evaluation.deidentify import (
    MINIMUM_PEOPLE,
    DateHandling,
    Deidentifier,
    Geography,
    new_salt,
)
from samvirke.evaluation.models import ResearchExport

if TYPE_CHECKING:
    from django.http import HttpRequest

    from samvirke.accounts.models import User
    from samvirke.programmes.models import Programme

RESEARCH_DATA_TYPE = "evaluation.research_data"
# The audit log's label of each dataset (translated when shown: audit.models.SYSTEM_LABELS).
DATASET_LABELS = {
    "mapping": "research data: resource mapping",
    "outcomes": "research data: evaluation dataset",
}
COPY_CHUNK = 1 << 16


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


@dataclass
class ExportedFile:
    export: ResearchExport
    content: IO[bytes]
    tally: Tally = field(default_factory=Tally)


Renderer = Callable[[Deidentifier, Tally], Iterator[bytes]]


def export_research_data(
    *,
    actor: User,
    request: HttpRequest | None,
    programme: Programme,
    choice: ExportChoice,
    people: int,
    render: Renderer,
) -> ExportedFile:
    """Make one research file under a salt of its own, and log it with its SHA-256.

    ``people`` is how many participants the file holds; fewer than five are refused, because
    in a group that small a coarsened record still points at a person. The file is written to
    a temporary file (never kept) while its checksum is taken, so that the checksum is known,
    stored and logged before the first byte goes to the browser.
    """
    if people < MINIMUM_PEOPLE:
        raise ExportRefused(
            _(
                "This export would hold %(people)s people. An export must hold at least "
                "%(minimum)s, so that no one can be picked out of it; nothing was exported."
            )
            % {"people": people, "minimum": MINIMUM_PEOPLE}
        )
    salt = new_salt()
    deid = Deidentifier(salt=salt, dates=choice.dates, geography=choice.geography)
    tally = Tally()
    content = tempfile.TemporaryFile()  # noqa: SIM115 - handed to the response, which closes it
    digest = hashlib.sha256()
    size = 0
    for chunk in render(deid, tally):
        content.write(chunk)
        digest.update(chunk)
        size += len(chunk)
    content.seek(0)
    export = _record(
        actor=actor,
        request=request,
        programme=programme,
        choice=choice,
        salt=salt,
        people=people,
        rows=tally.rows,
        size=size,
        sha256=digest.hexdigest(),
    )
    return ExportedFile(export=export, content=content, tally=tally)


@transaction.atomic
def _record(
    *,
    actor: User,
    request: HttpRequest | None,
    programme: Programme,
    choice: ExportChoice,
    salt: str,
    people: int,
    rows: int,
    size: int,
    sha256: str,
) -> ResearchExport:
    parameters = asdict(choice)
    export = ResearchExport.objects.create(
        programme=programme,
        created_by=actor,
        salt=salt,
        dataset=choice.dataset,
        file_format=choice.file_format,
        parameters=parameters,
        participants=people,
        rows=rows,
        size=size,
        sha256=sha256,
    )
    record_research_export(actor=actor, request=request, export=export, parameters=parameters)
    return export


def record_research_export(
    *,
    actor: User,
    request: HttpRequest | None,
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
        request=request,
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
