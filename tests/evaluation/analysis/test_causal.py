"""The marginal structural model recovers known effects that a plain regression gets wrong."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from statsmodels.discrete.discrete_model import Logit
from statsmodels.regression.linear_model import WLS

from samvirke.evaluation.analysis import causal, evalue
from samvirke.evaluation.analysis.calibration import Calibration, calibrate
from samvirke.evaluation.analysis.synthetic import DEFAULT_INSTRUMENTS, ProgrammeSpec, simulate


@pytest.fixture(scope="module")
def large() -> tuple[ProgrammeSpec, causal.CausalResult]:
    """Untruncated weights: truncation trades a little bias for variance, so consistency is
    checked without it (the weight-truncation test below uses the default). One draw, so the
    intervals are 99.9 %: with three 95 % intervals one check in seven draws would fail by
    chance (the calibration below checks the 95 % coverage over many programmes)."""
    spec = ProgrammeSpec(participants=20_000, seed=11)
    result = causal.msm(simulate(spec), instrument="WHO5", truncate=(0.0, 100.0), level=0.999)
    return spec, result


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


@pytest.fixture(scope="module")
def small_calibration() -> dict[tuple[str, str], Calibration]:
    """50 programmes of 600 people (the benchmark runs 500; the mixed model is left to it)."""
    rows = calibrate(
        programmes=50, spec=ProgrammeSpec(participants=600), estimators=("msm", "naive")
    )
    return {(c.estimator, c.effect): c for c in rows}


@pytest.mark.parametrize("name", ["work", "peer", "work+peer"])
def test_small_calibration_run_covers_the_truth_and_shows_naive_bias(
    small_calibration: dict[tuple[str, str], Calibration], name: str
) -> None:
    """Wide tolerance: 50 runs give coverage ± 3 points."""
    assert small_calibration[("msm", name)].coverage >= 0.86
    assert abs(small_calibration[("msm", name)].bias_sd) < 0.05
    assert small_calibration[("naive", name)].bias_sd < -0.3
    assert small_calibration[("naive", name)].coverage < 0.3


@pytest.mark.parametrize("name", ["work", "peer", "work+peer"])
def test_msm_standard_errors_match_the_spread_of_the_estimates(
    small_calibration: dict[tuple[str, str], Calibration], name: str
) -> None:
    """Neither conservative nor overconfident: the mean SE is within 12 % of the SD of the 50
    estimates (the sandwich that treats the weights as known was 17-18 % too wide)."""
    c = small_calibration[("msm", name)]
    assert 0.88 < c.mean_se / c.empirical_sd < 1.12


def test_the_cluster_sandwich_matches_statsmodels() -> None:
    rng = np.random.default_rng(3)
    x = np.column_stack([np.ones(300), rng.normal(size=300), rng.random(300) < 0.4])
    y = x @ [1.0, 2.0, -1.0] + rng.normal(size=300)
    weights = rng.uniform(0.5, 2.0, 300)
    person = np.repeat(np.arange(100), 3)
    ours = causal.wls_sandwich(y, x, weights=weights, person=person, people=100)
    theirs = WLS(y, x, weights=weights).fit(cov_type="cluster", cov_kwds={"groups": person})
    assert ours.beta == pytest.approx(np.asarray(theirs.params))
    assert ours.cov == pytest.approx(np.asarray(theirs.cov_params()))


def _stacked_reference(frame: pd.DataFrame) -> dict[str, float]:
    """The MSM's standard errors from the stacked estimating equations, built independently:
    statsmodels' logistic fits, the weights recomputed from their coefficients, and the
    sandwich A⁻¹BA⁻ᵀ with A the numerical Jacobian of all the equations (Stefanski & Boos
    2002). Untruncated weights, no missed answers (a full grid of person-times)."""
    pt = frame.sort_values(["participant", "time"]).reset_index(drop=True)
    first = pt["time"].to_numpy() == 0
    for column in ("score", "exp_work", "exp_peer"):
        pt[f"prev_{column}"] = pt.groupby("participant")[column].shift(1)
    pt["base"] = pt.groupby("participant")["score"].transform("first") / 10
    pt["prev_score"] = pt["prev_score"] / 10
    covariates = pd.get_dummies(
        pt[["age_band", "gender", "country"]].astype(str).assign(t=pt["time"].astype(str)),
        drop_first=True, dtype=float,
    ).assign(one=1.0, base=pt["base"])  # fmt: skip
    models = []
    for m, other in (("work", "peer"), ("peer", "work")):
        risk = ~first & (pt[f"prev_exp_{m}"].to_numpy() == 0)
        numerator = covariates.assign(other=pt[f"prev_exp_{other}"])
        denominator = numerator.assign(prev=pt["prev_score"])
        y = pt[f"exp_{m}"].to_numpy()
        for x, sign in ((numerator.to_numpy(), 1.0), (denominator.to_numpy(), -1.0)):
            theta = np.asarray(Logit(y[risk], x[risk]).fit(disp=0).params)
            models.append((x, y, risk, sign, theta))
    follow = ~first
    both = pt["exp_work"] * pt["exp_peer"]
    x_msm = covariates.assign(work=pt["exp_work"], peer=pt["exp_peer"], both=both).to_numpy()
    codes = pd.factorize(pt["participant"])[0]
    sizes = [len(theta) for *_, theta in models]

    def weights(thetas: list[np.ndarray]) -> np.ndarray:
        log_ratio = np.zeros(len(pt))
        for (x, y, risk, sign, _), theta in zip(models, thetas, strict=True):
            p = 1 / (1 + np.exp(-(x @ theta)))
            log_ratio += np.where(risk, sign * np.log(np.where(y == 1, p, 1 - p)), 0.0)
        return np.exp(pd.Series(log_ratio).groupby(codes).cumsum().to_numpy())

    def equations(params: np.ndarray) -> np.ndarray:
        """Each person's stacked estimating functions (people × parameters)."""
        thetas = np.split(params[: sum(sizes)], np.cumsum(sizes)[:-1])
        beta = params[sum(sizes) :]
        parts = []
        for (x, y, risk, _, _), theta in zip(models, thetas, strict=True):
            p = 1 / (1 + np.exp(-(x @ theta)))
            parts.append(np.where(risk[:, None], (y - p)[:, None] * x, 0.0))
        w = weights(thetas)
        residual = pt["score"].to_numpy() - x_msm @ beta
        parts.append(np.where(follow[:, None], (w * residual)[:, None] * x_msm, 0.0))
        rows = np.hstack(parts)
        return np.asarray(pd.DataFrame(rows).groupby(codes).sum().to_numpy())

    w = weights([theta for *_, theta in models])[follow]
    beta = np.asarray(WLS(pt["score"].to_numpy()[follow], x_msm[follow], weights=w).fit().params)
    params = np.concatenate([*(theta for *_, theta in models), beta])
    jacobian = np.empty((len(params), len(params)))
    for j in range(len(params)):
        step = np.zeros(len(params))
        step[j] = 1e-5 * max(1.0, abs(params[j]))
        jacobian[:, j] = (
            equations(params + step).sum(axis=0) - equations(params - step).sum(axis=0)
        ) / (2 * step[j])
    psi = equations(params)
    inverse = np.linalg.inv(jacobian)
    cov = (inverse @ psi.T @ psi @ inverse.T)[-x_msm.shape[1] :, -x_msm.shape[1] :]
    groups, n, k = len(psi), int(follow.sum()), x_msm.shape[1]
    cov *= groups / (groups - 1) * (n - 1) / (n - k)
    c = {"work": [-3], "peer": [-2], "work+peer": [-3, -2, -1]}
    out = {}
    for name, columns in c.items():
        vector = np.zeros(k)
        vector[columns] = 1
        out[name] = float(np.sqrt(vector @ cov @ vector))
    return out


def test_msm_standard_errors_are_the_stacked_estimating_equations_sandwich() -> None:
    frame = simulate(ProgrammeSpec(participants=400, seed=21, missed=0.0, dropout=0.0))
    result = causal.msm(frame, instrument="WHO5", truncate=(0.0, 100.0))
    reference = _stacked_reference(frame)
    for name, se in reference.items():
        assert result.effect(name).se == pytest.approx(se, rel=1e-3), name


def test_msm_standard_errors_are_smaller_than_if_the_weights_were_known() -> None:
    """Estimating the exposure models adds information (Robins, Hernán & Brumback 2000)."""
    frame = simulate(ProgrammeSpec(participants=600, seed=22))
    stacked = causal.msm(frame, instrument="WHO5")
    known = causal.msm(frame, instrument="WHO5", variance="cluster")
    for name in ("work", "peer", "work+peer"):
        assert stacked.effect(name).se < known.effect(name).se
        assert stacked.effect(name).estimate == known.effect(name).estimate


def test_a_follow_up_without_a_baseline_is_left_out_and_counted() -> None:
    frame = simulate(ProgrammeSpec(participants=400, seed=23))
    gone = frame["participant"].isin(["P00001", "P00002"]) & (frame["time"] == 0)
    result = causal.msm(frame[~gone], instrument="WHO5")
    assert result.without_baseline == 2
    assert "without_baseline" in result.flags
    followed = frame.loc[frame["time"] > 0, "participant"].nunique()
    assert result.n_participants == followed - 2
