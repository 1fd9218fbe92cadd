"""Linear mixed models of score over time, with exposure to each measure as covariates.

``score ~ months + exp_<measure>… + exp_a:exp_b… + adjustments``, random intercept and slope on
``months`` per participant, fitted by REML (``method="REML"``) or ML (for comparing models with
different fixed effects) by :func:`.lmm.fit_lmm` (lme4's profiled deviance, vectorised; fast
with 20,000 people) or statsmodels' ``MixedLM`` (``backend="statsmodels"``). The engine builds
the design itself (no formula parsing), decides which terms the data can support and says so:

* a measure that everyone or no one in the data took (``no_variation``) or that fewer than
  ``min_participants`` took (``too_few``) is left out, with its flag;
* a combination (pair of measures) is modelled as an interaction only when at least
  ``min_participants`` people took both; otherwise it is listed with ``too_few``;
* each modelled combination's effect *together* (``a + b + a:b``, :meth:`MixedResult.combined`)
  gets a Wald interval from the fixed effects' covariance, as the causal estimate does;
* a fit that does not converge is reported (``not_converged``), a random-effect covariance at
  the boundary as ``singular``; a fit that fails outright keeps its error text (``failed``).
"""

from __future__ import annotations

import itertools
import math
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import pandas as pd
from scipy import stats
from statsmodels.regression.mixed_linear_model import MixedLM

from .frame import exposure_columns, measure_name, sorted_by_person_time, with_baseline_score
from .lmm import LmmFit, fit_lmm

Method = Literal["REML", "ML"]
ADJUSTMENTS = ("age_band", "gender", "country", "baseline_score")


@dataclass(frozen=True)
class Term:
    """One fixed effect: estimate, standard error, Wald 95 % CI and p-value."""

    name: str
    estimate: float
    se: float
    low: float
    high: float
    p: float
    kind: Literal["intercept", "time", "measure", "combination", "adjustment", "together"]


@dataclass(frozen=True)
class Skipped:
    """A measure or combination the data cannot support, and why."""

    name: str
    kind: Literal["measure", "combination", "adjustment"]
    flag: str
    participants: int


@dataclass(frozen=True)
class MixedResult:
    """A fitted (or failed) mixed model and what was left out."""

    instrument: str
    method: Method
    n_participants: int
    n_observations: int
    terms: tuple[Term, ...]
    skipped: tuple[Skipped, ...]
    sd_intercept: float
    sd_slope: float
    correlation: float
    sd_residual: float
    loglik: float
    converged: bool
    flags: tuple[str, ...]
    random_slope: bool
    warnings: tuple[str, ...] = field(default=())
    together: tuple[Term, ...] = field(default=())

    def combined(self, name: str) -> Term:
        """The effect of a pair ``a+b`` taken together (both terms plus their interaction, kind
        ``together``), with its interval from the fixed effects' covariance."""
        for term in self.together:
            if term.name == name:
                return term
        raise KeyError(name)

    def term(self, name: str) -> Term:
        """The fixed effect called ``name`` (KeyError when it was not estimated)."""
        for term in self.terms:
            if term.name == name:
                return term
        raise KeyError(name)

    @property
    def reml_criterion(self) -> float:
        """−2 × log-likelihood (lme4's "REML criterion at convergence" for REML fits)."""
        return -2 * self.loglik


@dataclass
class Design:
    """The numeric design of a model: endog, fixed and random parts, groups, term names."""

    endog: np.ndarray
    exog: np.ndarray
    exog_re: np.ndarray
    groups: np.ndarray
    names: list[str]
    kinds: list[str]
    skipped: list[Skipped]
    n_participants: int


def combination_name(a: str, b: str) -> str:
    """``work`` and ``peer`` → ``work+peer``."""
    return f"{a}+{b}"


def build_design(
    frame: pd.DataFrame,
    *,
    exposures: Sequence[str] | None = None,
    adjust: Sequence[str] = (),
    combinations: bool = True,
    min_participants: int = 20,
    random_slope: bool = True,
) -> Design:
    """The design for one instrument's rows of the long frame (see :mod:`.frame`)."""
    data = frame
    if "baseline_score" in adjust:
        data = with_baseline_score(data)
        data = data[np.isfinite(data["baseline_score"].to_numpy(dtype=float))]
    if not sorted_by_person_time(data):
        data = data.sort_values(["participant", "time"], kind="mergesort")
    participants = data["participant"].to_numpy()
    person = pd.factorize(participants)[0]
    n_people = int(person.max()) + 1 if len(person) else 0

    def count(mask: np.ndarray) -> int:
        """The people with a row in ``mask``."""
        seen = np.zeros(n_people, dtype=bool)
        seen[person[mask]] = True
        return int(seen.sum())

    columns: list[np.ndarray] = [np.ones(len(data)), data["months"].to_numpy(dtype=float)]
    names = ["(Intercept)", "months"]
    kinds = ["intercept", "time"]
    skipped: list[Skipped] = []
    cols = list(exposures) if exposures is not None else exposure_columns(data)
    kept: list[tuple[str, np.ndarray]] = []
    for col in cols:
        values = data[col].to_numpy(dtype=float)
        takers = count(values > 0)
        if takers == 0 or takers == n_people and values.min() == values.max():
            skipped.append(Skipped(measure_name(col), "measure", "no_variation", takers))
        elif (
            takers < min_participants
            or n_people - takers < min_participants
            and (values.min() == values.max())
        ):
            skipped.append(Skipped(measure_name(col), "measure", "too_few", takers))
        elif values.min() == values.max():
            skipped.append(Skipped(measure_name(col), "measure", "no_variation", takers))
        else:
            kept.append((measure_name(col), values))
            columns.append(values)
            names.append(measure_name(col))
            kinds.append("measure")
    if combinations:
        for (a, va), (b, vb) in itertools.combinations(kept, 2):
            both = va * vb
            takers = count(both > 0)
            name = combination_name(a, b)
            if takers < min_participants:
                skipped.append(Skipped(name, "combination", "too_few", takers))
            else:
                columns.append(both)
                names.append(name)
                kinds.append("combination")
    for cov in adjust:
        if cov not in data.columns:
            skipped.append(Skipped(cov, "adjustment", "missing", 0))
            continue
        if cov == "baseline_score":
            columns.append(data[cov].to_numpy(dtype=float))
            names.append(cov)
            kinds.append("adjustment")
            continue
        # What pd.get_dummies(..., prefix=cov, drop_first=True) gives, built directly.
        values = data[cov].to_numpy()
        if pd.api.types.infer_dtype(values, skipna=False) != "string":
            values = data[cov].astype(str).to_numpy()
        codes, levels = pd.factorize(values, sort=True)
        for j, level in enumerate(levels[1:], start=1):
            columns.append((codes == j).astype(float))
            names.append(f"{cov}_{level}")
            kinds.append("adjustment")
    exog = np.column_stack(columns)
    exog_re = exog[:, :2] if random_slope else exog[:, :1]
    return Design(
        endog=data["score"].to_numpy(dtype=float),
        exog=exog,
        exog_re=np.ascontiguousarray(exog_re),
        groups=participants,
        names=names,
        kinds=kinds,
        skipped=skipped,
        n_participants=n_people,
    )


Backend = Literal["profiled", "statsmodels"]


def fit_design(
    design: Design, *, reml: bool = True, maxiter: int = 200, backend: Backend = "profiled"
) -> tuple[LmmFit, list[str]]:
    """The bare fit of a design and the warnings it raised.

    ``profiled`` (default) is :func:`.lmm.fit_lmm`, the vectorised profiled-deviance fitter;
    ``statsmodels`` is ``MixedLM.fit`` (the same model; far slower with many participants).
    """
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        if backend == "profiled":
            out = fit_lmm(
                design.endog, design.exog, design.exog_re, design.groups, reml=reml, maxiter=maxiter
            )
        else:
            model = MixedLM(design.endog, design.exog, design.groups, exog_re=design.exog_re)
            res = model.fit(reml=reml, method=["lbfgs"], maxiter=maxiter)
            out = LmmFit(
                beta=np.asarray(res.fe_params, dtype=float),
                cov_beta=np.asarray(res.cov_params(), dtype=float)[: design.exog.shape[1], :][
                    :, : design.exog.shape[1]
                ],
                cov_re=np.asarray(res.cov_re, dtype=float),
                scale=float(res.scale),
                loglik=float(res.llf),
                converged=bool(res.converged),
                iterations=0,
                message="",
            )
    return out, sorted({str(w.message).splitlines()[0] for w in caught})


def mixed_model(
    frame: pd.DataFrame,
    *,
    instrument: str | None = None,
    exposures: Sequence[str] | None = None,
    adjust: Sequence[str] = (),
    combinations: bool = True,
    method: Method = "REML",
    min_participants: int = 20,
    random_slope: bool = True,
    level: float = 0.95,
    backend: Backend = "profiled",
) -> MixedResult:
    """Fit the trajectory model for one instrument of the long frame.

    ``instrument`` selects rows (None: the frame must hold one instrument). ``adjust`` takes any
    of :data:`ADJUSTMENTS`. Unknown adjustments raise ``ValueError``.
    """
    unknown = [a for a in adjust if a not in ADJUSTMENTS]
    if unknown:
        raise ValueError(f"unknown adjustment: {', '.join(unknown)}")
    rows = frame if instrument is None else frame[frame["instrument"] == instrument]
    label = instrument if instrument is not None else str(rows["instrument"].iloc[0])
    design = build_design(
        rows,
        exposures=exposures,
        adjust=adjust,
        combinations=combinations,
        min_participants=min_participants,
        random_slope=random_slope,
    )
    return fit(design, instrument=label, method=method, level=level, backend=backend)


def fit(
    design: Design,
    *,
    instrument: str,
    method: Method = "REML",
    level: float = 0.95,
    maxiter: int = 200,
    backend: Backend = "profiled",
) -> MixedResult:
    """Fit a prepared design and turn the statsmodels result into a :class:`MixedResult`."""
    nan = float("nan")
    random_slope = design.exog_re.shape[1] == 2
    flags: list[str] = []
    if design.n_participants < 3 or len(design.endog) <= design.exog.shape[1] + 3:
        return MixedResult(
            instrument, method, design.n_participants, len(design.endog), (),
            tuple(design.skipped), nan, nan, nan, nan, nan, False, ("too_few",), random_slope,
        )  # fmt: skip
    try:
        res, caught = fit_design(design, reml=method == "REML", maxiter=maxiter, backend=backend)
    except (np.linalg.LinAlgError, ValueError) as error:
        return MixedResult(
            instrument, method, design.n_participants, len(design.endog), (),
            tuple(design.skipped), nan, nan, nan, nan, nan, False, ("failed",), random_slope,
            (str(error),),
        )  # fmt: skip
    converged = res.converged
    if not converged or any("converge" in w.lower() for w in caught):
        flags.append("not_converged")
        converged = False
    k = design.exog.shape[1]
    params = res.beta
    with np.errstate(invalid="ignore"):
        bse = np.sqrt(np.diag(res.cov_beta))
    cov_re = res.cov_re
    scale = res.scale
    z = float(stats.norm.ppf((1 + level) / 2))
    terms = []
    for i in range(k):
        est, se = float(params[i]), float(bse[i])
        p = float(2 * stats.norm.sf(abs(est / se))) if se > 0 else nan
        kind = design.kinds[i]
        terms.append(Term(design.names[i], est, se, est - z * se, est + z * se, p, kind))  # type: ignore[arg-type]
    together = []
    position = {name: i for i, name in enumerate(design.names)}
    for i in range(k):
        if design.kinds[i] != "combination":
            continue
        c = np.zeros(k)
        c[[position[part] for part in design.names[i].split("+")]] = 1
        c[i] = 1
        est = float(c @ params)
        se = math.sqrt(max(float(c @ res.cov_beta @ c), 0.0))
        p = float(2 * stats.norm.sf(abs(est / se))) if se > 0 else nan
        together.append(Term(design.names[i], est, se, est - z * se, est + z * se, p, "together"))
    sd_int = math.sqrt(max(cov_re[0, 0], 0.0))
    sd_slope = math.sqrt(max(cov_re[1, 1], 0.0)) if random_slope else nan
    corr = (
        float(cov_re[0, 1] / (sd_int * sd_slope))
        if random_slope and sd_int > 0 and sd_slope > 0
        else nan
    )
    if sd_int < 1e-6 * math.sqrt(scale) or (random_slope and sd_slope < 1e-6 * math.sqrt(scale)):
        flags.append("singular")
    elif random_slope and abs(corr) > 0.999:
        flags.append("singular")
    if not np.all(np.isfinite(bse)):
        flags.append("se_undefined")
    return MixedResult(
        instrument=instrument,
        method=method,
        n_participants=design.n_participants,
        n_observations=len(design.endog),
        terms=tuple(terms),
        skipped=tuple(design.skipped),
        sd_intercept=sd_int,
        sd_slope=sd_slope,
        correlation=corr,
        sd_residual=math.sqrt(scale),
        loglik=res.loglik,
        converged=converged,
        flags=tuple(flags),
        random_slope=random_slope,
        warnings=tuple(caught),
        together=tuple(together),
    )


def likelihood_ratio(*, full: MixedResult, reduced: MixedResult) -> tuple[float, int, float]:
    """LR statistic, df and p-value for nested ML fits (REML fits with different fixed effects
    are not comparable, so both must be ML)."""
    if full.method != "ML" or reduced.method != "ML":
        raise ValueError("compare fixed effects with ML fits")
    stat = 2 * (full.loglik - reduced.loglik)
    df = len(full.terms) - len(reduced.terms)
    return stat, df, float(stats.chi2.sf(max(stat, 0.0), df))
