"""A small synthetic cohort with known effects in any programme, for the evaluation tests."""

from __future__ import annotations

import dataclasses
import functools
from typing import Any

from samvirke.demo.evaluation_cohort import SPEC, load_evaluation_cohort
from samvirke.programmes.models import Programme
from tests.factories import MeasureFactory, MunicipalityFactory


def small_cohort(programme: Programme, *, people: int = 120, seed: int = 5) -> int:
    """Work training and peer support in the programme, and ``people`` consented people with
    WHO-5 and GSE at four time points (needs the built-in instruments loaded)."""
    MunicipalityFactory(country="NO")
    MunicipalityFactory(country="SE")
    MeasureFactory(programme=programme, kind="work_training")
    MeasureFactory(programme=programme, kind="peer_support")
    spec = dataclasses.replace(SPEC, participants=people, seed=seed)
    return load_evaluation_cohort(slug=programme.slug, spec=spec)


EMPTY_RESULT = {
    "format": 1,
    "spec": {"seed": 0, "primary": "who5", "mixed_method": "REML", "min_participants": 20,
             "truncate": [0.0, 99.9]},
    "checksum": "0" * 64,
    "versions": {"python": "3"},
    "timings": {},
    "participants": 0,
    "observations": 0,
    "groups": [],
    "labels": {},
    "titles": {},
    "instruments": [],
}  # fmt: skip


@functools.cache
def engine_result() -> dict[str, Any]:
    """A whole result of the engine on a small synthetic programme (no database needed)."""
    from samvirke.evaluation.analysis import report, results, synthetic

    spec = dataclasses.replace(SPEC, participants=120, seed=9)
    frame = synthetic.simulate(spec)
    analysis = report.run_analysis(
        frame,
        spec=report.AnalysisSpec(
            instruments=(report.InstrumentSpec("who5", reliability=0.84, cutoff=50.0),),
            primary="who5",
        ),
    )
    kinds = {"work_training": "Work training", "peer_support": "Peer support"}
    return results.to_json(
        analysis,
        frame,
        enrolled=sorted(frame["participant"].unique()),
        labels={k: {"nb": v, "sv": v, "en": v} for k, v in kinds.items()},
        titles={"who5": {"nb": "WHO-5", "sv": "WHO-5", "en": "WHO-5"}},
    )


def finished_analysis(programme: Programme, *, empty: bool = False) -> str:
    """A finished run with a real (or an empty) result, for the guards that open its pages."""
    from django.utils import timezone

    from samvirke.evaluation.models import AnalysisRun, AnalysisStatus

    run = AnalysisRun.objects.create(
        programme=programme,
        status=AnalysisStatus.DONE,
        progress=100,
        result=EMPTY_RESULT if empty else engine_result(),
        checksum="0" * 64,
        started_at=timezone.now(),
        finished_at=timezone.now(),
    )
    return str(run.public_id)
