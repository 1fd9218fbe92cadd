"""Research files as background jobs: asked for, written, handed out once, then deleted.

The researcher's POST makes a queued ``ResearchExport`` (its own salt, its parameters, how many
people it would hold: fewer than five are refused there and nothing is written). The task
(``export_tasks.run_research_export``) plans the file again at the time it runs, so a consent
withdrawn in between is honoured, writes it into the private folder (``settings.PRIVATE_FILES_DIR``,
outside the web root, mode 0600) while it counts rows and takes the SHA-256, and logs the export
with its parameters and checksum. The file is special-category data at rest: it is deleted after
the first complete download, and after ``EXPORT_FILE_LIFETIME`` (24 hours) at the latest, by
the daily round, a cleanup booked for that time, and any access after it.
"""

from __future__ import annotations

import logging
import os
from dataclasses import asdict
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from django.core.files.storage import Storage, storages
from django.db import transaction
from django.utils import timezone

from samvirke.accounts.permissions import Access, Perm, access_for
from samvirke.audit.actor import Actor
from samvirke.audit.models import AuditAction
from samvirke.audit.services import record_event
from samvirke.evaluation import files, services
from samvirke.evaluation.deidentify import new_salt
from samvirke.evaluation.models import EXPORT_FILE_LIFETIME, ExportStatus, ResearchExport

if TYPE_CHECKING:
    import datetime as dt


logger = logging.getLogger(__name__)
FOLDER = "research-exports"
# Error codes kept on a failed export; the page translates them when it shows them.
TOO_FEW = "too_few"
NO_ACCESS = "no_access"
BROKEN = "failed"
PROGRESS_EVERY = 2000


def private_storage() -> Storage:
    """The private folder of ``settings.STORAGES``: looked up on each use (tests move it)."""
    return storages["private"]


def request_export(
    *,
    actor: Actor,
    access: Access,
    choice: services.ExportChoice,
    day: dt.date,
) -> ResearchExport:
    """Queue one export, or raise ``ExportRefused`` (fewer than five people): nothing kept."""
    from samvirke.evaluation.export_tasks import run_research_export

    planned = files.plan(access, choice, day=day)
    refused = services.refusal(planned.people)
    if refused is not None:
        raise refused
    with transaction.atomic():
        export = ResearchExport.objects.create(
            programme=access.programme,
            created_by=actor.user,
            salt=new_salt(),
            dataset=choice.dataset,
            file_format=choice.file_format,
            parameters=asdict(choice),
            participants=planned.people,
            download_name=planned.name,
            content_type=planned.content_type,
            status=ExportStatus.QUEUED,
        )
        transaction.on_commit(lambda: run_research_export.enqueue(export.pk))
    return export


def _fail(export: ResearchExport, code: str) -> ResearchExport:
    export.status = ExportStatus.FAILED
    export.error = code
    export.finished_at = timezone.now()
    export.save(update_fields=["status", "error", "participants", "finished_at"])
    return export


def run_export(export_id: int) -> ResearchExport | None:
    """Write a queued export's file; one already started, finished or gone is left alone."""
    claimed = ResearchExport.objects.filter(pk=export_id, status=ExportStatus.QUEUED).update(
        status=ExportStatus.RUNNING, started_at=timezone.now()
    )
    if claimed != 1:
        return ResearchExport.objects.filter(pk=export_id).first()
    export = ResearchExport.objects.select_related("programme", "created_by").get(pk=export_id)
    if export.created_by is None or not export.created_by.is_active:
        return _fail(export, NO_ACCESS)
    access = access_for(export.created_by, export.programme)
    choice = services.ExportChoice(**export.parameters)
    # Consent is read now, not when the researcher asked: a withdrawal in between counts.
    planned = files.plan(access, choice, day=timezone.localdate(export.created_at))
    export.participants = planned.people
    if services.refusal(planned.people) is not None:
        return _fail(export, f"{TOO_FEW}:{planned.people}")
    export.rows_expected = planned.expected()
    ResearchExport.objects.filter(pk=export.pk).update(
        participants=export.participants, rows_expected=export.rows_expected
    )
    name = f"{FOLDER}/{export.public_id}"
    path = Path(private_storage().path(name))

    def report(rows: int) -> None:
        ResearchExport.objects.filter(pk=export.pk).update(rows=rows)

    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "wb") as out:
            written = services.write_research_file(
                export,
                planned.render,
                out,
                services.ProgressTally(report, every=PROGRESS_EVERY),
            )
    except Exception:
        logger.exception("research export %s failed", export.pk)
        path.unlink(missing_ok=True)
        return _fail(export, BROKEN)
    now = timezone.now()
    export.status = ExportStatus.DONE
    export.rows, export.size, export.sha256 = written.rows, written.size, written.sha256
    export.file_name = name
    export.finished_at = now
    export.expires_at = now + EXPORT_FILE_LIFETIME
    with transaction.atomic():
        export.save()
        services.record_research_export(
            actor=Actor.of_user(export.created_by), export=export, parameters=export.parameters
        )
    _book_cleanup(export)
    return export


def _book_cleanup(export: ResearchExport) -> None:
    """Book the deletion for the moment the file expires, where the backend can wait."""
    from samvirke.evaluation.export_tasks import expire_research_files

    if expire_research_files.get_backend().supports_defer and export.expires_at is not None:
        expire_research_files.using(run_after=export.expires_at).enqueue()


def delete_file(export: ResearchExport, *, downloaded: bool = False) -> None:
    """Delete the export's file (the row, its checksum and the audit entry stay)."""
    if export.file_name:
        try:
            private_storage().delete(export.file_name)
        except FileNotFoundError:
            pass
    now = timezone.now()
    export.file_name = ""
    export.deleted_at = export.deleted_at or now
    fields = ["file_name", "deleted_at"]
    if downloaded:
        export.downloaded_at = now
        fields.append("downloaded_at")
    ResearchExport.objects.filter(pk=export.pk).update(**{f: getattr(export, f) for f in fields})


def expire_files(now: dt.datetime | None = None) -> int:
    """Delete every research file older than its lifetime, and what a job that never finished
    (its worker stopped) left behind; returns how many exports lost a file."""
    now = now or timezone.now()
    expired = ResearchExport.objects.filter(expires_at__lte=now).exclude(file_name="")
    count = 0
    for export in expired:
        delete_file(export)
        count += 1
    stuck = ResearchExport.objects.filter(
        status__in=[ExportStatus.QUEUED, ExportStatus.RUNNING],
        created_at__lte=now - EXPORT_FILE_LIFETIME,
    )
    for export in stuck:
        private_storage().delete(f"{FOLDER}/{export.public_id}")  # a missing file is fine
        _fail(export, BROKEN)
        count += 1
    return count


def export_for(access: Access, public_id: Any) -> ResearchExport | None:
    """The export, only for the researcher who asked for it, in this programme (else None:
    missing and forbidden answer the same)."""
    if not access.can(Perm.RESEARCH_EXPORT):
        return None
    export = ResearchExport.objects.filter(
        public_id=public_id, programme=access.programme, created_by=access.user
    ).first()
    if export is not None and export.file_name and not export.is_available:
        delete_file(export)  # expired: gone on access, whatever the rounds did
    return export


class Handing:
    """The file as the response reads it; reading to the end deletes it (the first complete
    download is the only one). A download broken off keeps the file until it expires."""

    def __init__(self, export: ResearchExport, handle: IO[bytes]) -> None:
        self.export = export
        self.handle = handle
        self.name = export.download_name

    def read(self, size: int = -1) -> bytes:
        chunk = self.handle.read(size)
        if not chunk:
            self.handle.close()
            delete_file(self.export, downloaded=True)
        return chunk

    def close(self) -> None:
        self.handle.close()


def open_download(*, actor: Actor, export: ResearchExport) -> Handing | None:
    """The finished file to hand out, logged as read; None when it is not there (any more)."""
    if not export.is_available:
        return None
    try:
        handle = private_storage().open(export.file_name, "rb")
    except FileNotFoundError:
        return None
    record_event(
        action=AuditAction.VIEW,
        actor=actor,
        programme=export.programme,
        object_type=services.RESEARCH_DATA_TYPE,
        object_id=str(export.pk),
        object_label=services.DATASET_LABELS.get(export.dataset, "research data"),
        detail={"what": "research data file downloaded", "sha256": export.sha256},
    )
    return Handing(export, handle)
