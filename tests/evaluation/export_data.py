"""A finished research export waiting in the private folder, for the pages that show one."""

from __future__ import annotations

import hashlib
from dataclasses import asdict

from django.core.files.base import ContentFile
from django.utils import timezone

from samvirke.accounts.models import User
from samvirke.evaluation.deidentify import new_salt
from samvirke.evaluation.export_jobs import FOLDER, private_storage
from samvirke.evaluation.files import CONTENT_TYPES, CSV
from samvirke.evaluation.models import EXPORT_FILE_LIFETIME, ExportStatus, ResearchExport
from samvirke.evaluation.services import ExportChoice
from samvirke.programmes.models import Programme

CONTENT = "\ufeffstudy_id,country\r\nS-1,1\r\n".encode()


def finished_export(
    programme: Programme, user: User, *, status: str = ExportStatus.DONE, **fields: object
) -> ResearchExport:
    """An export ``user`` asked for; when done, its file is in the private folder."""
    now = timezone.now()
    done = status == ExportStatus.DONE
    values: dict[str, object] = dict(
        programme=programme,
        created_by=user,
        salt=new_salt(),
        dataset="outcomes",
        file_format="csv",
        parameters=asdict(ExportChoice()),
        participants=5,
        rows=1 if done else 0,
        rows_expected=1,
        size=len(CONTENT) if done else 0,
        sha256=hashlib.sha256(CONTENT).hexdigest() if done else "",
        status=status,
        download_name="samvirke-research.csv",
        content_type=CONTENT_TYPES[CSV],
        finished_at=now if done else None,
        expires_at=now + EXPORT_FILE_LIFETIME if done else None,
    )
    export = ResearchExport.objects.create(**{**values, **fields})
    if done:
        export.file_name = private_storage().save(
            f"{FOLDER}/{export.public_id}", ContentFile(CONTENT)
        )
        export.save(update_fields=["file_name"])
    return export
