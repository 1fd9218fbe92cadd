"""A small synthetic cohort with known effects in any programme, for the evaluation tests."""

from __future__ import annotations

import dataclasses

from samvirke.evaluation.analysis_demo import SPEC, load_evaluation_cohort
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


def finished_analysis(programme: Programme) -> str:
    """A finished run with an empty result (for the guards that only open its pages); its id."""
    from django.utils import timezone

    from samvirke.evaluation.models import AnalysisRun, AnalysisStatus

    run = AnalysisRun.objects.create(
        programme=programme,
        status=AnalysisStatus.DONE,
        progress=100,
        result=EMPTY_RESULT,
        checksum="0" * 64,
        started_at=timezone.now(),
        finished_at=timezone.now(),
    )
    return str(run.public_id)
