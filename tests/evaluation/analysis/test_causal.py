"""The marginal structural model recovers known effects that a plain regression gets wrong."""

from __future__ import annotations

import math

import pytest

from samvirke.evaluation.analysis import causal, evalue
from samvirke.evaluation.analysis.calibration import calibrate
from samvirke.evaluation.analysis.synthetic import DEFAULT_INSTRUMENTS, ProgrammeSpec, simulate


@pytest.fixture(scope="module")
def large() -> tuple[ProgrammeSpec, causal.CausalResult]:
    """Untruncated weights: truncation trades a little bias for variance, so consistency is
    checked without it (the weight-truncation test below uses the default)."""
    spec = ProgrammeSpec(participants=20_000, seed=11)
    return spec, causal.msm(simulate(spec), instrument="WHO5", truncate=(0.0, 100.0))


@pytest.mark.parametrize("name", ["work", "peer", "work+peer"])
def test_msm_recovers_each_true_effect_within_its_interval(
    large: tuple[ProgrammeSpec, causal.CausalResult], name: str
) -> None:
    spec, result = large
    effect = result.effect(name)
    assert effect.low <= spec.truth()[name] <= effect.high


@pytest.mark.parametrize("name", ["work", "peer", "work+peer"])
def test_naive_estimate_is_biased_by_who_gets_enrolled(
    large: tuple[ProgrammeSpec, causal.CausalResult], name: str
) -> None:
    spec, result = large
    naive = result.effect(name, naive=True)
    assert not naive.low <= spec.truth()[name] <= naive.high
    assert naive.estimate < spec.truth()[name] - 3


def test_weight_distribution_is_reported_with_truncation() -> None:
    result = causal.msm(simulate(ProgrammeSpec(participants=2_000, seed=9)), instrument="WHO5")
    weights = result.weights
    assert weights.mean == pytest.approx(1.0, abs=0.05)
    assert weights.truncated > 0
    assert weights.truncated_max < weights.maximum
    assert weights.percentiles == (0.0, 99.9)


def test_without_confounding_weights_are_close_to_one() -> None:
    frame = simulate(ProgrammeSpec(participants=2_000, seed=4, confounding=0.0))
    result = causal.msm(frame, instrument="WHO5")
    assert result.weights.maximum < 1.5


def test_a_combination_too_few_took_is_listed_not_estimated() -> None:
    frame = simulate(ProgrammeSpec(participants=300, seed=2))
    result = causal.msm(frame, instrument="WHO5", min_participants=80)
    assert ("work+peer", "too_few") in [(name, flag) for name, flag, _ in result.skipped]
    assert [e.name for e in result.msm] == ["work", "peer"]


def test_a_measure_no_one_took_gives_nothing_to_estimate() -> None:
    frame = simulate(ProgrammeSpec(participants=200, seed=2)).assign(exp_work=0.0, exp_peer=0.0)
    result = causal.msm(frame, instrument="WHO5")
    assert result.flags == ("nothing_to_estimate",)
    assert result.msm == ()


def test_weights_from_the_primary_instrument_apply_to_another() -> None:
    spec = ProgrammeSpec(participants=3_000, seed=8, instruments=DEFAULT_INSTRUMENTS)
    frame = simulate(spec)
    result = causal.msm(frame, instrument="SWEMWBS", primary="WHO5")
    truth = spec.truth()["work+peer"] * spec.instruments[1].scale
    effect = result.effect("work+peer")
    assert effect.low <= truth <= effect.high


def test_every_estimate_carries_an_e_value(
    large: tuple[ProgrammeSpec, causal.CausalResult],
) -> None:
    _, result = large
    effect = result.effect("work+peer")
    expected = evalue.evalue_rr(math.exp(0.91 * effect.smd))
    assert effect.evalue.point == pytest.approx(expected)
    assert 1 < effect.evalue.limit < effect.evalue.point


def test_e_value_of_a_risk_ratio_matches_vanderweele_ding() -> None:
    """VanderWeele & Ding (2017), worked example (breastfeeding and infant death): RR 3.9,
    CI 1.8–8.7, E-values 7.2 for the estimate and 3.0 for the lower limit."""
    assert evalue.evalue_rr(3.9) == pytest.approx(7.2, abs=0.07)
    assert evalue.evalue_rr(1.8) == pytest.approx(3.0, abs=0.005)


def test_e_value_of_a_protective_risk_ratio_inverts_it_first() -> None:
    assert evalue.evalue_rr(0.5) == pytest.approx(2 + math.sqrt(2))


def test_an_interval_that_includes_the_null_has_limit_e_value_one() -> None:
    result = evalue.evalue_smd(d=0.1, low=-0.05, high=0.25)
    assert result.limit == 1.0
    assert result.point == pytest.approx(evalue.evalue_rr(math.exp(0.091)))


def test_negative_effects_use_the_upper_limit_as_closer_to_null() -> None:
    result = evalue.evalue_smd(d=-0.5, low=-0.8, high=-0.2)
    assert result.limit == pytest.approx(evalue.evalue_rr(math.exp(-0.91 * 0.2)))


def test_small_calibration_run_covers_the_truth_and_shows_naive_bias() -> None:
    """50 programmes of 600 people; wide tolerance (the benchmark runs 500)."""
    results = {
        (c.estimator, c.effect): c
        for c in calibrate(programmes=50, spec=ProgrammeSpec(participants=600))
    }
    for name in ("work", "peer", "work+peer"):
        assert results[("msm", name)].coverage >= 0.8
        assert abs(results[("msm", name)].bias_sd) < 0.15
        assert results[("naive", name)].bias_sd < -0.3
        assert results[("naive", name)].coverage < 0.3
