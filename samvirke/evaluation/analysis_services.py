"""Writes for the evaluation analysis: queue a run, and run it (called by the task)."""

from __future__ import annotations

import logging
import math
from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone

from samvirke.accounts.permissions import Access
from samvirke.audit.actor import Actor
from samvirke.audit.models import AuditAction
from samvirke.audit.services import record_event
from samvirke.evaluation.analysis import compare, results
from samvirke.evaluation.analysis import report as engine
from samvirke.evaluation.analysis_selectors import PRIMARY, analysis_input
from samvirke.evaluation.analysis_tasks import run_evaluation
from samvirke.evaluation.models import AnalysisRun, AnalysisStatus

logger = logging.getLogger(__name__)
NO_DATA = "no_data"  # the error of a run with nobody to analyse (the page says it in words)


class NothingToAnalyse(ValueError):
    """No instrument was answered at baseline by enough consented people."""


@transaction.atomic
def request_analysis(
    *,
    actor: Actor,
    access: Access,
    grouping: str,
    adjust: Sequence[str],
    seed: int,
) -> AnalysisRun:
    """Queue a run over the programme's consented data; the task runs it in the background."""
    run = AnalysisRun.objects.create(
        programme=access.programme,
        requested_by=actor.user,
        parameters={"grouping": grouping, "adjust": list(adjust), "seed": seed},
    )
    record_event(
        action=AuditAction.CREATE,
        actor=actor,
        obj=run,
        programme=access.programme,
        detail=run.parameters,
    )

    transaction.on_commit(lambda: run_evaluation.enqueue(run.pk))
    return run


def _set_progress(run: AnalysisRun, percent: int) -> None:
    AnalysisRun.objects.filter(pk=run.pk).update(progress=min(99, max(0, percent)))


def execute_analysis(*, run: AnalysisRun) -> AnalysisRun:
    """Run the engine for a queued run and store its result, or the error that stopped it."""
    claimed = AnalysisRun.objects.filter(pk=run.pk, status=AnalysisStatus.QUEUED).update(
        status=AnalysisStatus.RUNNING, started_at=timezone.now(), progress=1
    )
    if claimed != 1:
        run.refresh_from_db()
        return run
    run.refresh_from_db()
    parameters = run.parameters
    try:
        data = analysis_input(run.programme_id, grouping=parameters.get("grouping", "kind"))
        _set_progress(run, 10)
        if data.frame.empty or not data.instruments:
            raise NothingToAnalyse(NO_DATA)
        codes = [spec.code for spec in data.instruments]
        spec = engine.AnalysisSpec(
            instruments=tuple(data.instruments),
            primary=PRIMARY if PRIMARY in codes else codes[0],
            adjust=tuple(parameters.get("adjust", ())),
            seed=int(parameters.get("seed", 0)),
        )
        report = engine.run_analysis(
            data.frame,
            spec=spec,
            enrolled=data.enrolled,
            progress=lambda share: _set_progress(run, 10 + round(80 * share)),
        )
        result = results.to_json(
            report,
            data.frame,
            enrolled=data.enrolled,
            labels=data.labels,
            titles=data.titles,
        )
        result["skipped_instruments"] = data.skipped
        result["scope_labels"] = data.scope_labels
        for entry in result["instruments"]:
            entry["comparisons"] = compare.comparisons(
                data.frame, entry["instrument"], data.memberships
            )
    except Exception as error:
        if not isinstance(error, NothingToAnalyse):
            logger.exception("evaluation analysis %s failed", run.pk)
        run.status = AnalysisStatus.FAILED
        run.error = (
            NO_DATA
            if isinstance(error, NothingToAnalyse)
            else f"{type(error).__name__}: {error}"[:2000]
        )
        run.finished_at = timezone.now()
        run.save(update_fields=["status", "error", "finished_at"])
        return run
    run.status = AnalysisStatus.DONE
    run.progress = 100
    run.result = json_safe(result)
    run.checksum = report.checksum
    run.finished_at = timezone.now()
    run.save(update_fields=["status", "progress", "result", "checksum", "finished_at"])
    return run


def json_safe(value: Any) -> Any:
    """The result as JSON can hold it: a NaN or infinite float (a group whose change has no
    spread has no d_z) becomes None, which the pages show as "–". PostgreSQL's jsonb and
    SQLite's JSON_VALID both refuse NaN."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {key: json_safe(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [json_safe(item) for item in value]
    return value
