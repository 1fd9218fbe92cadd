"""Causal estimates of measures and combinations: a marginal structural model (MSM).

Those doing worse are enrolled more, and their earlier scores are moved by earlier measures, so
a regression of score on exposure is biased (time-varying confounding); adjusting for the prior
score does not help (it is itself an effect of earlier exposure). The MSM (Robins, Hernán &
Brumback 2000) instead reweights person-times by stabilised inverse probabilities of the
exposure actually received:

    sw_ik = Π_(j≤k) Π_m  P(A_mij | Ā_i,j−1, V_i) / P(A_mij | Ā_i,j−1, Y_i,j−1, V_i)

with one pooled logistic model per measure among those not yet in it (numerator: time point,
prior exposure to the other measures, baseline covariates V; denominator: the same plus the
prior score on the *primary* instrument — the one enrolment decisions look at). Measures are
absorbing in the long format (``exp_<m>`` = started by then), so a person already in a
measure contributes a factor 1. A missed previous score is carried forward from the last one.
Weights are truncated at chosen percentiles; their distribution before and after is reported.

The MSM ``score ~ time point + V + Σ exposure + pair interactions`` is fitted by weighted least
squares with standard errors clustered by participant (robust to the repeated measures and,
conservatively, to the weights being estimated). The effect of a measure alone is its
coefficient; of a pair together, the sum of both and their interaction. The *naive* estimate is
the same regression unweighted. Every estimate carries an E-value (:mod:`.evalue`) computed on
the standardised scale (effect / the instrument's baseline SD).
"""

from __future__ import annotations

import itertools
import math
import warnings
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats
from statsmodels.regression.linear_model import WLS

from .evalue import EValue, evalue_smd
from .frame import exposure_columns, measure_name

BASELINE = ("age_band", "gender", "country")


@dataclass(frozen=True)
class WeightSummary:
    """The stabilised weights' distribution, before and after truncation."""

    mean: float
    sd: float
    minimum: float
    p1: float
    median: float
    p99: float
    maximum: float
    truncated_mean: float
    truncated_min: float
    truncated_max: float
    truncated: int
    percentiles: tuple[float, float]


@dataclass(frozen=True)
class Effect:
    """A measure's or combination's effect on the instrument, in points and in baseline SDs."""

    name: str
    kind: str
    estimate: float
    se: float
    low: float
    high: float
    smd: float
    evalue: EValue
    participants: int


@dataclass(frozen=True)
class CausalResult:
    """The MSM (headline) and naive estimates for one instrument."""

    instrument: str
    msm: tuple[Effect, ...]
    naive: tuple[Effect, ...]
    weights: WeightSummary
    baseline_sd: float
    n_participants: int
    n_observations: int
    skipped: tuple[tuple[str, str, int], ...]
    flags: tuple[str, ...]

    def effect(self, name: str, *, naive: bool = False) -> Effect:
        """The MSM (or naive) effect called ``name``."""
        for effect in self.naive if naive else self.msm:
            if effect.name == name:
                return effect
        raise KeyError(name)


def logistic(x: np.ndarray, y: np.ndarray, *, iterations: int = 25) -> np.ndarray:
    """Fitted probabilities of a logistic regression by Newton–Raphson (ridge 1e-6 for safety)."""
    beta = np.zeros(x.shape[1])
    ridge = 1e-6 * np.eye(x.shape[1])
    for _ in range(iterations):
        eta = np.clip(x @ beta, -30, 30)
        p = 1 / (1 + np.exp(-eta))
        w = p * (1 - p)
        step = np.linalg.solve((x * w[:, None]).T @ x + ridge, x.T @ (y - p) - ridge @ beta)
        beta = beta + step
        if np.max(np.abs(step)) < 1e-9:
            break
    return np.asarray(1 / (1 + np.exp(-np.clip(x @ beta, -30, 30))))


def _dummies(frame: pd.DataFrame, columns: Sequence[str]) -> np.ndarray:
    parts = [np.ones((len(frame), 1))]
    for column in columns:
        if column in frame.columns:
            d = pd.get_dummies(frame[column].astype(str), prefix=column, drop_first=True)
            parts.append(d.to_numpy(dtype=float))
    return np.hstack(parts)


def person_time(primary: pd.DataFrame, measures: Sequence[str]) -> pd.DataFrame:
    """One row per participant and time point, with the previous score and exposures."""
    data = primary.sort_values(["participant", "time"], kind="mergesort").copy()
    data = data.drop_duplicates(["participant", "time"])
    group = data.groupby("participant", sort=False)
    data["prev_score"] = group["score"].shift(1)
    data["prev_score"] = data.groupby("participant", sort=False)["prev_score"].ffill()
    for m in measures:
        data[f"prev_{m}"] = group[m].shift(1).fillna(0.0)
    return data


def stabilised_weights(
    pt: pd.DataFrame,
    *,
    measures: Sequence[str],
    baseline: Sequence[str] = BASELINE,
) -> np.ndarray:
    """Stabilised weights per person-time (see the module text)."""
    ratio = np.ones(len(pt))
    sd = float(np.nanstd(pt.loc[pt["time"] == 0, "score"])) or 1.0
    mean = float(np.nanmean(pt.loc[pt["time"] == 0, "score"]))
    z = ((pt["prev_score"] - mean) / sd).fillna(0.0).to_numpy()
    base = _dummies(pt.assign(time_point=pt["time"].astype(str)), ["time_point", *baseline])
    for m in measures:
        at_risk = (pt["time"].to_numpy() > 0) & (pt[f"prev_{m}"].to_numpy() == 0)
        if not at_risk.any():
            continue
        others = [pt[f"prev_{o}"].to_numpy()[:, None] for o in measures if o != m]
        x_num = np.hstack([base, *others])[at_risk]
        x_den = np.hstack([x_num, z[at_risk, None]])
        y = pt[m].to_numpy()[at_risk]
        p_num = logistic(x_num, y)
        p_den = logistic(x_den, y)
        r = np.where(y == 1, p_num / p_den, (1 - p_num) / (1 - p_den))
        ratio[at_risk] *= r
    frame = pd.DataFrame({"participant": pt["participant"].to_numpy(), "r": ratio})
    return np.asarray(frame.groupby("participant", sort=False)["r"].cumprod().to_numpy())


def summarise_weights(
    weights: np.ndarray, percentiles: tuple[float, float]
) -> tuple[np.ndarray, WeightSummary]:
    """Truncate at the percentiles and describe the weights before and after."""
    low, high = np.percentile(weights, percentiles)
    clipped = np.clip(weights, low, high)
    summary = WeightSummary(
        mean=float(weights.mean()),
        sd=float(weights.std()),
        minimum=float(weights.min()),
        p1=float(np.percentile(weights, 1)),
        median=float(np.median(weights)),
        p99=float(np.percentile(weights, 99)),
        maximum=float(weights.max()),
        truncated_mean=float(clipped.mean()),
        truncated_min=float(clipped.min()),
        truncated_max=float(clipped.max()),
        truncated=int(np.sum((weights < low) | (weights > high))),
        percentiles=percentiles,
    )
    return clipped, summary


def _effects(
    y: np.ndarray,
    x: np.ndarray,
    names: list[str],
    weights: np.ndarray | None,
    groups: np.ndarray,
    contrasts: list[tuple[str, str, np.ndarray, int]],
    sd: float,
    level: float,
) -> tuple[Effect, ...]:
    model = WLS(y, x, weights=weights if weights is not None else np.ones(len(y)))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fit = model.fit(cov_type="cluster", cov_kwds={"groups": groups})
    beta = np.asarray(fit.params)
    cov = np.asarray(fit.cov_params())
    z = float(stats.norm.ppf((1 + level) / 2))
    out = []
    for name, kind, c, people in contrasts:
        est = float(c @ beta)
        se = math.sqrt(max(float(c @ cov @ c), 0.0))
        lo, hi = est - z * se, est + z * se
        ev = evalue_smd(d=est / sd, low=lo / sd, high=hi / sd)
        out.append(Effect(name, kind, est, se, lo, hi, est / sd, ev, people))
    del names
    return tuple(out)


def msm(
    frame: pd.DataFrame,
    *,
    instrument: str,
    primary: str | None = None,
    exposures: Sequence[str] | None = None,
    baseline: Sequence[str] = BASELINE,
    truncate: tuple[float, float] = (0.0, 99.9),
    min_participants: int = 20,
    level: float = 0.95,
    weights: pd.DataFrame | None = None,
) -> CausalResult:
    """MSM and naive estimates of each measure and each supported pair on ``instrument``.

    ``primary`` is the instrument whose previous score drives enrolment (default: the same).
    ``weights`` (participant, time, sw) can be passed in to reuse them across instruments.
    """
    cols = list(exposures) if exposures is not None else exposure_columns(frame)
    base_cols = [b for b in baseline if b in frame.columns]
    rows = frame[frame["instrument"] == instrument]
    people = rows["participant"].to_numpy()
    flags: list[str] = []
    skipped: list[tuple[str, str, int]] = []
    kept: list[str] = []
    for col in cols:
        takers = int(pd.unique(people[rows[col].to_numpy() > 0]).size)
        never = int(pd.unique(people).size) - takers
        if takers < min_participants or never < min_participants:
            skipped.append((measure_name(col), "too_few" if takers else "no_variation", takers))
        else:
            kept.append(col)
    if weights is None:
        weights = ip_weights(
            frame, instrument=primary or instrument, exposures=kept, baseline=base_cols
        )
    data = rows.merge(weights, on=["participant", "time"], how="inner")
    sw_raw = data["sw"].to_numpy()
    sw, summary = summarise_weights(sw_raw, truncate)
    sd = float(np.std(rows.loc[rows["time"] == 0, "score"], ddof=1))
    x_parts = [
        _dummies(data.assign(time_point=data["time"].astype(str)), ["time_point", *base_cols])
    ]
    names = [f"c{i}" for i in range(x_parts[0].shape[1])]
    index: dict[str, int] = {}
    for col in kept:
        index[measure_name(col)] = len(names)
        names.append(measure_name(col))
        x_parts.append(data[col].to_numpy(dtype=float)[:, None])
    pairs: list[tuple[str, str, int]] = []
    for a, b in itertools.combinations(kept, 2):
        both = data[a].to_numpy() * data[b].to_numpy()
        takers = int(pd.unique(data["participant"].to_numpy()[both > 0]).size)
        name = f"{measure_name(a)}+{measure_name(b)}"
        if takers < min_participants:
            skipped.append((name, "too_few", takers))
            continue
        index[name] = len(names)
        names.append(name)
        x_parts.append(both[:, None])
        pairs.append((measure_name(a), measure_name(b), takers))
    x = np.hstack(x_parts)
    contrasts: list[tuple[str, str, np.ndarray, int]] = []
    dpeople = data["participant"].to_numpy()
    for col in kept:
        c = np.zeros(len(names))
        c[index[measure_name(col)]] = 1
        takers = int(pd.unique(dpeople[data[col].to_numpy() > 0]).size)
        contrasts.append((measure_name(col), "measure", c, takers))
    for a, b, takers in pairs:
        c = np.zeros(len(names))
        c[[index[a], index[b], index[f"{a}+{b}"]]] = 1
        contrasts.append((f"{a}+{b}", "combination", c, takers))
    _, groups = np.unique(dpeople, return_inverse=True)
    y = data["score"].to_numpy(dtype=float)
    if not contrasts:
        flags.append("nothing_to_estimate")
        return CausalResult(
            instrument, (), (), summary, sd, len(np.unique(groups)), len(y), tuple(skipped),
            tuple(flags),
        )  # fmt: skip
    if summary.maximum > 50:
        flags.append("extreme_weights")
    msm_effects = _effects(y, x, names, sw, groups, contrasts, sd, level)
    naive = _effects(y, x, names, None, groups, contrasts, sd, level)
    return CausalResult(
        instrument=instrument,
        msm=msm_effects,
        naive=naive,
        weights=summary,
        baseline_sd=sd,
        n_participants=int(groups.max()) + 1,
        n_observations=len(y),
        skipped=tuple(skipped),
        flags=tuple(flags),
    )


def ip_weights(
    frame: pd.DataFrame,
    *,
    instrument: str,
    exposures: Sequence[str] | None = None,
    baseline: Sequence[str] = BASELINE,
) -> pd.DataFrame:
    """Stabilised weights (participant, time, sw) from the primary instrument's person-time."""
    cols = list(exposures) if exposures is not None else exposure_columns(frame)
    primary = frame[frame["instrument"] == instrument]
    pt = person_time(primary, cols)
    sw = stabilised_weights(pt, measures=cols, baseline=[b for b in baseline if b in pt.columns])
    return pd.DataFrame(
        {"participant": pt["participant"].to_numpy(), "time": pt["time"].to_numpy(), "sw": sw}
    )
