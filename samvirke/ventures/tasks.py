"""Background work for ventures: thin, idempotent, enqueued on commit."""

from __future__ import annotations

from django_tasks import task

from samvirke.ventures.models import FormationRun, RunStatus


@task()
def run_team_formation(run_id: int) -> str:
    """Run the engine for one queued run; a run already started or gone is left alone."""
    from samvirke.ventures.services import execute_formation

    run = FormationRun.objects.filter(pk=run_id, status=RunStatus.QUEUED).first()
    if run is None:
        return "skipped"
    return str(execute_formation(run=run).status)
