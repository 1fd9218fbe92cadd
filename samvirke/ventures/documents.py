"""Documents attached to a venture: checked, stored privately, handed out with a logged read.

The form has already found the type from the content (``filetypes.identify``) and checked the
size; the file goes to the ``private`` storage (``settings.PRIVATE_FILES_DIR``), under a path
made of the venture's and the document's ids only. Nothing serves that folder: the download
view checks the permission, logs the read and answers with the file as an attachment.
"""

from __future__ import annotations

import hashlib
import unicodedata

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from samvirke.audit.actor import Actor
from samvirke.audit.models import AuditAction
from samvirke.audit.services import record_event
from samvirke.ventures.filetypes import FileType
from samvirke.ventures.models import Document, Venture, private_storage


def safe_filename(name: str, file_type: FileType) -> str:
    """The name to offer on download: the last path part, no control characters or quotes,
    at most 150 characters, ending as its type does."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    base = "".join(
        " " if unicodedata.category(char).startswith(("C", "Z")) else char
        for char in unicodedata.normalize("NFC", base)
        if char not in '"<>:*?|'
    )
    base = " ".join(base.split()).strip(". ")
    stem, _dot, extension = base.rpartition(".")
    if extension.lower() not in file_type.extensions or not stem:
        stem, extension = (base or "document"), file_type.extensions[0]
    return f"{stem[:140]}.{extension.lower()}"


def _digest(upload: UploadedFile) -> str:
    sha = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        sha.update(chunk)
    upload.seek(0)
    return sha.hexdigest()


@transaction.atomic
def attach_document(
    *,
    actor: Actor,
    venture: Venture,
    upload: UploadedFile,
    file_type: FileType,
    title: str = "",
) -> Document:
    document = Document(
        venture=venture,
        title=" ".join(title.split())[:200],
        filename=safe_filename(upload.name or "", file_type),
        file_type=file_type.key,
        content_type=file_type.content_type,
        size=upload.size or 0,
        sha256=_digest(upload),
        uploaded_by=actor.user,
    )
    document.file.save(document.public_id.hex, upload, save=False)
    stored = document.file.name
    try:  # a row that cannot be written leaves no file behind
        document.save()
        record_event(
            action=AuditAction.CREATE,
            actor=actor,
            obj=document,
            programme=venture.programme,
            detail={"type": file_type.key, "size": document.size},
        )
    except Exception:
        private_storage().delete(stored)
        raise
    return document


def log_download(*, actor: Actor, document: Document) -> None:
    record_event(
        action=AuditAction.VIEW,
        actor=actor,
        obj=document,
        programme=document.venture.programme,
        detail={"read": "document_download", "venture": str(document.venture.public_id)},
    )


@transaction.atomic
def delete_document(*, actor: Actor, document: Document) -> None:
    """Remove the row, and the file once the removal is committed."""
    stored = document.file.name
    record_event(
        action=AuditAction.DELETE,
        actor=actor,
        obj=document,
        programme=document.venture.programme,
        detail={"venture": str(document.venture.public_id)},
    )
    document.delete()
    transaction.on_commit(lambda: private_storage().delete(stored))
