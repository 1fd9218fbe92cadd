"""Background work for research files: write one, and delete those past their lifetime."""

from __future__ import annotations

from django_tasks import task

from samvirke.evaluation.export_jobs import expire_files, run_export


@task()
def run_research_export(export_id: int) -> str:
    """Write one queued research file; one already started, finished or gone is left alone."""
    export = run_export(export_id)
    return "skipped" if export is None else str(export.status)


@task()
def expire_research_files() -> int:
    """Delete the research files that have waited their 24 hours; returns how many."""
    return expire_files()
