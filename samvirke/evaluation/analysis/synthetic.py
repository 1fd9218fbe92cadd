"""A seeded generator of synthetic programmes with known effects and time-varying confounding.

Used by the tests, the calibration benchmark and the demo. For participant *i*, instrument *j*
and time point *k* = 0…K−1 (months ≈ 6k, jittered by up to a month):

    Y_ijk = μ_j + v_i'γ_j + λ_j·(U_i + S_i·months/12) + λ_j·Σ_m β_m·A_mik
            + λ_j·Σ_(m,n) β_mn·A_mik·A_nik + ε_ijk,

with U_i ~ N(0, σ_u²) (a person's level), S_i ~ N(0, σ_s²) (their yearly drift),
ε ~ N(0, σ_e²), baseline covariates v_i (age band, gender, country) and λ_j the instrument's
scale relative to the primary (first) instrument. A_mik = 1 once the person has started
measure *m* (absorbing: nobody leaves a measure in this model); nobody has started at the
baseline. Between time points k−1 and k a person not yet in measure *m* starts it with

    P = expit(α_m + κ·z(Y_i1,k−1) + η·Σ_(n≠m) A_ni,k−1 + v_i'δ),

where z(·) standardises the primary instrument's previous score and κ < 0, so **those doing
worse are enrolled more** — time-varying confounding: the previous score drives enrolment, is
itself moved by earlier enrolment, and shares U_i with every later score. Because enrolment
depends only on observed history, sequential exchangeability holds given (Y_k−1, A_k−1, v) and
a correctly specified marginal structural model recovers β; a regression that ignores the
confounding does not.

The true effects on the primary instrument (:meth:`ProgrammeSpec.truth`) are β_m for a
measure alone and β_m + β_n + β_mn for a pair together. Loss to follow-up is at random
(``dropout`` per follow-up) and single responses are missed at random (``missed``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd


@dataclass(frozen=True)
class Instrument:
    """An instrument's mean at baseline and its scale relative to the primary instrument."""

    code: str
    mean: float
    scale: float


@dataclass(frozen=True)
class Measure:
    """A measure's baseline enrolment log-odds per interval and its true effect (points)."""

    name: str
    intercept: float
    effect: float


DEFAULT_INSTRUMENTS = (
    Instrument("WHO5", 45.0, 1.0),
    Instrument("SWEMWBS", 20.0, 0.25),
    Instrument("GSE", 27.0, 0.2),
    Instrument("ORS", 22.0, 0.3),
)
DEFAULT_MEASURES = (Measure("work", -1.6, 5.0), Measure("peer", -1.4, 3.0))


@dataclass(frozen=True)
class ProgrammeSpec:
    """Everything that shapes one synthetic programme; the same spec and seed give the same data."""

    participants: int = 600
    time_points: int = 4
    months_between: float = 6.0
    instruments: tuple[Instrument, ...] = DEFAULT_INSTRUMENTS[:1]
    measures: tuple[Measure, ...] = DEFAULT_MEASURES
    interactions: tuple[tuple[str, str, float], ...] = (("work", "peer", 4.0),)
    sd_person: float = 12.0
    sd_drift: float = 3.0
    sd_error: float = 8.0
    confounding: float = -0.7
    cross_enrolment: float = 0.5
    dropout: float = 0.08
    missed: float = 0.03
    countries: tuple[str, ...] = ("NO", "SE")
    seed: int = 0
    extra: dict[str, float] = field(default_factory=dict)

    def truth(self) -> dict[str, float]:
        """True effects on the primary instrument: each measure alone and each pair together."""
        out = {m.name: m.effect for m in self.measures}
        effects = {m.name: m.effect for m in self.measures}
        for a, b, beta in self.interactions:
            out[f"{a}+{b}"] = effects[a] + effects[b] + beta
        return out

    def baseline_sd(self) -> float:
        """The primary instrument's SD at baseline (the unit of "bias < 0.05 SD")."""
        return float(np.sqrt(self.sd_person**2 + self.sd_error**2 + 3.0**2 * 2 / 3))


def _expit(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


def simulate(spec: ProgrammeSpec) -> pd.DataFrame:
    """One programme in the long format of :mod:`.frame` (rows for missed responses dropped)."""
    rng = np.random.default_rng(spec.seed)
    n, k_max = spec.participants, spec.time_points
    age = rng.integers(0, 3, n)
    female = rng.random(n) < 0.55
    country = rng.integers(0, len(spec.countries), n)
    cov_effect = np.array([0.0, 2.0, -2.0])[age] + np.where(female, -1.5, 0.0) + 1.0 * country
    cov_logit = np.array([0.0, 0.2, -0.2])[age] + np.where(female, 0.1, 0.0)
    person = rng.normal(0.0, spec.sd_person, n)
    drift = rng.normal(0.0, spec.sd_drift, n)
    months = np.zeros((n, k_max))
    for k in range(1, k_max):
        months[:, k] = k * spec.months_between + rng.uniform(-1.0, 1.0, n)
    names = [m.name for m in spec.measures]
    exposed = {m: np.zeros((n, k_max)) for m in names}
    primary = spec.instruments[0]
    errors = rng.normal(0.0, spec.sd_error, (len(spec.instruments), n, k_max))
    effects = {m.name: m.effect for m in spec.measures}

    def level(k: int) -> np.ndarray:
        value = person + drift * months[:, k] / 12.0
        for m in names:
            value = value + effects[m] * exposed[m][:, k]
        for a, b, beta in spec.interactions:
            value = value + beta * exposed[a][:, k] * exposed[b][:, k]
        return value

    scores = np.zeros((len(spec.instruments), n, k_max))
    base_mean, base_sd = primary.mean, spec.baseline_sd()
    for k in range(k_max):
        if k > 0:
            previous = scores[0, :, k - 1]
            z = (previous - base_mean) / base_sd
            starts = {}
            for measure in spec.measures:
                others = sum(exposed[o][:, k - 1] for o in names if o != measure.name)
                logit = (
                    measure.intercept + spec.confounding * z + spec.cross_enrolment * others
                ) + cov_logit
                starts[measure.name] = rng.random(n) < _expit(np.asarray(logit))
            for m in names:
                exposed[m][:, k] = np.maximum(exposed[m][:, k - 1], starts[m])
        common = level(k)
        for j, inst in enumerate(spec.instruments):
            scores[j, :, k] = (
                inst.mean + inst.scale * (common + cov_effect) + errors[j, :, k] * (inst.scale)
            )
    # Loss to follow-up (absorbing, at random) and single missed responses.
    lost_at = np.full(n, k_max)
    for k in range(1, k_max):
        leave = (lost_at == k_max) & (rng.random(n) < spec.dropout)
        lost_at[leave] = k
    present = np.arange(k_max)[None, :] < lost_at[:, None]
    ids = np.array([f"P{i:05d}" for i in range(n)])
    frames = []
    for j, inst in enumerate(spec.instruments):
        answered = present & (rng.random((n, k_max)) >= spec.missed)
        answered[:, 0] |= present[:, 0] & (rng.random(n) >= spec.missed / 3)
        data = {
            "participant": np.repeat(ids, k_max),
            "time": np.tile(np.arange(k_max), n),
            "months": months.ravel(),
            "instrument": inst.code,
            "score": scores[j].ravel(),
        }
        for m in names:
            data[f"exp_{m}"] = exposed[m].ravel()
        data["age_band"] = np.repeat(np.array(["18-29", "30-44", "45-67"])[age], k_max)
        data["gender"] = np.repeat(np.where(female, "female", "male"), k_max)
        data["country"] = np.repeat(np.array(spec.countries)[country], k_max)
        data["lost_at"] = np.repeat(lost_at, k_max)
        frame = pd.DataFrame(data)
        frames.append(frame[answered.ravel()])
    return pd.concat(frames, ignore_index=True)


def enrolled(spec: ProgrammeSpec) -> int:
    """How many people a spec enrols (all of them; the flow counts who answered)."""
    return spec.participants
