"""Background work for mapping: thin, idempotent, enqueued on commit."""

from __future__ import annotations

from django_tasks import task

from samvirke.mapping.imports.writing import purge_stale_batches


@task()
def forget_upload(batch_id: int) -> bool:
    """Empty an uploaded member-survey file that is still waiting a day after the upload.

    Enqueued with ``run_after`` when the file is uploaded (the production worker,
    ``samvirke db_worker``, runs it then); an import done in the meantime has already emptied it.
    """

    return purge_stale_batches(batch_id=batch_id) > 0
