"""Background work for the evaluation analysis: thin, idempotent, enqueued on commit."""

from __future__ import annotations

from django_tasks import task

from samvirke.evaluation.models import AnalysisRun, AnalysisStatus


@task()
def run_evaluation(run_id: int) -> str:
    """Run one queued analysis; a run already started, finished or gone is left alone."""
    from samvirke.evaluation.analysis_services import execute_analysis

    run = AnalysisRun.objects.filter(pk=run_id, status=AnalysisStatus.QUEUED).first()
    if run is None:
        return "skipped"
    return str(execute_analysis(run=run).status)
