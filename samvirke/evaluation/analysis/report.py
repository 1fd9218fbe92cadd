"""One whole analysis of a programme: flow, pre–post, mixed models and causal estimates.

:func:`run_analysis` is the engine's single entry point for the app and the benchmark. The
result names the data snapshot (SHA-256 of the frame), the software versions, the seed and the
specification, so re-running it on the same data gives the same numbers; ``timings`` records
how long each part took and how much of it was the bare model fits.
"""

from __future__ import annotations

import platform
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from importlib import metadata

import numpy as np
import pandas as pd

from . import causal, flow, mixed, prepost
from .frame import checksum, validate


@dataclass(frozen=True)
class InstrumentSpec:
    """What the engine must know about an instrument (optional parts enable more output)."""

    code: str
    direction: prepost.Direction = "higher"
    reliability: float | None = None
    sd_reference: float | None = None
    cutoff: float | None = None


@dataclass(frozen=True)
class AnalysisSpec:
    """The model specification a report repeats."""

    instruments: tuple[InstrumentSpec, ...]
    primary: str
    adjust: tuple[str, ...] = ()
    min_participants: int = 20
    truncate: tuple[float, float] = (0.0, 99.9)
    seed: int = 0
    mixed_method: mixed.Method = "REML"


@dataclass
class InstrumentResult:
    """Everything computed for one instrument."""

    instrument: str
    flow: list[flow.Flow]
    prepost: prepost.PrePost
    mixed: mixed.MixedResult
    causal: causal.CausalResult


@dataclass
class Report:
    """The analysis, with what is needed to reproduce it."""

    spec: AnalysisSpec
    results: list[InstrumentResult]
    checksum: str
    versions: dict[str, str]
    timings: dict[str, float] = field(default_factory=dict)


def versions() -> dict[str, str]:
    """Python and the numerical packages' versions."""
    out = {"python": platform.python_version()}
    for name in ("numpy", "scipy", "pandas", "statsmodels"):
        out[name] = metadata.version(name)
    return out


def _prepost_pairs(rows: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Baseline and each person's last follow-up score on one instrument (people in the
    order of their keys; the first baseline row counts where one is repeated)."""
    people = rows["participant"].to_numpy()
    time = rows["time"].to_numpy()
    score = rows["score"].to_numpy(dtype=float)
    codes, keys = pd.factorize(people, sort=True)
    base = np.full(len(keys), np.nan)
    at_zero = np.flatnonzero(time == 0)[::-1]  # reversed, so the first row is written last
    base[codes[at_zero]] = score[at_zero]
    later = np.flatnonzero(time > 0)
    last = np.full(len(keys), np.nan)
    order = later[np.lexsort((time[later], codes[later]))]  # by person, then time
    last[codes[order]] = score[order]  # the latest time point is written last
    both = np.isfinite(base) & np.isfinite(last)
    return base[both], last[both]


def run_analysis(
    frame: pd.DataFrame,
    *,
    spec: AnalysisSpec,
    enrolled: Sequence[str] | None = None,
    progress: Callable[[float], None] | None = None,
) -> Report:
    """Run every analysis of the issue on the long frame (see :mod:`.frame`).

    ``progress`` is told the share of the work done (0–1) after each instrument."""
    timings: dict[str, float] = {"flow": 0.0, "prepost": 0.0, "mixed": 0.0, "causal": 0.0}
    start = time.perf_counter()
    data = validate(frame)
    # A canonical row order, so the same data in any order gives bit-identical numbers.
    data = data.sort_values(
        ["participant", "instrument", "time"], kind="mergesort", ignore_index=True
    )
    digest = checksum(data, presorted=True)
    timings["prepare"] = time.perf_counter() - start
    t = time.perf_counter()
    weights = causal.ip_weights(data, instrument=spec.primary)
    timings["weights"] = time.perf_counter() - t
    results = []
    t = time.perf_counter()
    all_flows = flow.flows(data, instruments=[i.code for i in spec.instruments], enrolled=enrolled)
    timings["flow"] += time.perf_counter() - t
    for inst, flows in zip(spec.instruments, all_flows, strict=True):
        rows = data[data["instrument"] == inst.code]
        t = time.perf_counter()
        pre, post = _prepost_pairs(rows)
        change = prepost.prepost(
            pre=pre,
            post=post,
            reliability=inst.reliability,
            sd_reference=inst.sd_reference,
            direction=inst.direction,
            cutoff=inst.cutoff,
        )
        timings["prepost"] += time.perf_counter() - t
        t = time.perf_counter()
        model = mixed.mixed_model(
            rows,
            adjust=spec.adjust,
            method=spec.mixed_method,
            min_participants=spec.min_participants,
        )
        timings["mixed"] += time.perf_counter() - t
        t = time.perf_counter()
        effects = causal.msm(
            data,
            instrument=inst.code,
            primary=spec.primary,
            truncate=spec.truncate,
            min_participants=spec.min_participants,
            weights=weights,
        )
        timings["causal"] += time.perf_counter() - t
        results.append(InstrumentResult(inst.code, flows, change, model, effects))
        if progress is not None:
            progress(len(results) / len(spec.instruments))
    timings["total"] = time.perf_counter() - start
    return Report(spec, results, digest, versions(), timings)
