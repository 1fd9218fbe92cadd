"""The demo's evaluation: the synthetic cohort read back from the database recovers its effects."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command

from samvirke.accounts.models import Role
from samvirke.accounts.permissions import access_for
from samvirke.audit.actor import Actor
from samvirke.demo.evaluation_cohort import load_evaluation_cohort, truth
from samvirke.demo.programmes import load_demo
from samvirke.evaluation.analysis_services import execute_analysis, request_analysis
from samvirke.evaluation.models import AnalysisRun, AnalysisStatus
from samvirke.programmes.models import Programme

pytestmark = pytest.mark.django_db


def demo_evaluation() -> AnalysisRun:
    call_command("load_instruments", verbosity=0)
    load_demo()
    assert load_evaluation_cohort() == 600
    programme = Programme.objects.get(slug="entreprenorskap-2011")
    coordinator = programme.memberships.filter(role=Role.COORDINATOR).first().user
    run = request_analysis(
        actor=Actor.of_user(coordinator),
        access=access_for(coordinator, programme),
        grouping="kind",
        adjust=[],
        seed=1,
    )
    return execute_analysis(run=run)


def effects(run: AnalysisRun, key: str) -> dict[str, dict[str, Any]]:
    who5 = next(i for i in run.result["instruments"] if i["instrument"] == "who5")
    # A combination is named by its measures in the frame's order; compare as sets.
    return {"+".join(sorted(e["name"].split("+"))): e for e in who5["causal"][key]}


def test_the_demo_evaluations_causal_estimates_recover_the_built_in_effects() -> None:
    # given the demo with its synthetic evaluation cohort
    # when the coordinator's analysis has run
    run = demo_evaluation()
    # then every causal (MSM) interval holds the true effect, and the naive estimates miss it
    assert run.status == AnalysisStatus.DONE, run.error
    msm, naive = effects(run, "msm"), effects(run, "naive")
    true_effects = {"+".join(sorted(k.split("+"))): v for k, v in truth().items()}
    for name, true in true_effects.items():
        assert msm[name]["low"] <= true <= msm[name]["high"], (name, msm[name], true)
    assert sum(abs(naive[n]["estimate"] - t) for n, t in true_effects.items()) > 2 * sum(
        abs(msm[n]["estimate"] - t) for n, t in true_effects.items()
    )


def test_loading_the_evaluation_cohort_again_adds_nobody() -> None:
    # given
    call_command("load_instruments", verbosity=0)
    load_demo()
    load_evaluation_cohort()
    # when
    added = load_evaluation_cohort()
    # then
    assert added == 0
