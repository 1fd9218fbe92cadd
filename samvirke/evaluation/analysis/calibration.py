"""Calibration of the causal (MSM) and naive estimators on simulated programmes with known truth."""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass

import numpy as np

from .causal import msm
from .synthetic import ProgrammeSpec, simulate


@dataclass(frozen=True)
class Calibration:
    """Bias (points and baseline SDs), RMSE and 95 % CI coverage of one estimator and effect."""

    estimator: str
    effect: str
    truth: float
    bias: float
    bias_sd: float
    rmse: float
    coverage: float
    runs: int


def calibrate(*, programmes: int, spec: ProgrammeSpec, first_seed: int = 1000) -> list[Calibration]:
    """Simulate ``programmes`` programmes (seeds first_seed, first_seed + 1, …) and summarise."""
    truth = spec.truth()
    found: dict[tuple[str, str], list[tuple[float, float, float]]] = {}
    for i in range(programmes):
        frame = simulate(dataclasses.replace(spec, seed=first_seed + i))
        result = msm(frame, instrument=spec.instruments[0].code)
        for estimator, effects in (("msm", result.msm), ("naive", result.naive)):
            for effect in effects:
                found.setdefault((estimator, effect.name), []).append(
                    (effect.estimate, effect.low, effect.high)
                )
    sd = spec.baseline_sd()
    out = []
    for (estimator, name), values in sorted(found.items()):
        arr = np.array(values)
        true = truth[name]
        bias = float(arr[:, 0].mean() - true)
        rmse = math.sqrt(float(np.mean((arr[:, 0] - true) ** 2)))
        covered = float(np.mean((arr[:, 1] <= true) & (true <= arr[:, 2])))
        out.append(Calibration(estimator, name, true, bias, bias / sd, rmse, covered, len(arr)))
    return out
