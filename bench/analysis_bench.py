"""`make bench` (issue 11): the evaluation engine at scale, and its calibration.

(a) One synthetic programme of 20,000 participants × 4 time points × 4 instruments
    (~290,000 responses after loss to follow-up and missed answers) with four measures
    (~60,000 enrolments): the full analysis (flow, pre–post, mixed models with combinations,
    weighted causal estimates) timed end to end, its peak memory (max RSS), and the time of the
    bare fits it is made of (the profiled-deviance mixed-model fits, the logistic exposure
    models and the weighted least-squares MSM/naive fits, run alone on prepared matrices).
    Targets: under 60 s, under 2 GB, within 1.5× of the bare fits. Wall time and CPU time
    (``time.process_time``) are both reported, with both ratios: on a shared machine the wall
    clock counts other jobs' time slices, the CPU time does not. Run it under
    ``flock /work/wt/heavy.lock``. Last runs (load 2–5): 4.4–4.6 s CPU,
    1.37–1.50× the bare fits in CPU time, 1.06–1.56× in wall time.
(b) Calibration: 500 simulated programmes of 600 people each; bias, RMSE, 95 % CI coverage,
    mean SE and the SD of the estimates, of the MSM, the naive and the mixed-model estimator,
    for each measure and the combination. Targets: MSM coverage 93–97 %, |bias| < 0.05
    baseline SD.

No Django, no database. Writes bench/results/analysis.json. ``--quick`` runs (b) with 50.
"""

from __future__ import annotations

import json
import os
import resource
import sys
import time
from pathlib import Path

# One BLAS thread: on a small shared machine OpenBLAS's threads spin against other work and
# make both the analysis and the bare fits several times slower and erratic (2.3 s vs 9 s for
# the same mixed-model fits); the engine's matrices are too small to gain from more threads.
for _name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_name, "1")

import numpy as np  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from samvirke.evaluation.analysis import causal, mixed  # noqa: E402
from samvirke.evaluation.analysis.calibration import calibrate  # noqa: E402
from samvirke.evaluation.analysis.lmm import fit_lmm  # noqa: E402
from samvirke.evaluation.analysis.report import (  # noqa: E402
    AnalysisSpec,
    InstrumentSpec,
    run_analysis,
)
from samvirke.evaluation.analysis.synthetic import (  # noqa: E402
    DEFAULT_INSTRUMENTS,
    Measure,
    ProgrammeSpec,
    simulate,
)

MEASURES = (
    Measure("work", -1.6, 5.0),
    Measure("peer", -1.4, 3.0),
    Measure("course", -1.8, 2.0),
    Measure("mentor", -2.0, 1.0),
)


def bare_fits(frame, spec: AnalysisSpec) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    """Wall and CPU seconds (time.process_time) spent in the model fits alone, on matrices
    prepared beforehand: the mixed models (profiled deviance), the exposure models (two
    logistic fits per measure, with the baseline covariates and score) and, per instrument,
    statsmodels' cluster-robust WLS for the MSM (follow-up rows, weighted) and for the naive
    regression (every row)."""
    data = frame.sort_values(["participant", "instrument", "time"], kind="mergesort")
    designs = [
        mixed.build_design(
            data[data["instrument"] == i.code],
            adjust=spec.adjust,
            min_participants=spec.min_participants,
        )
        for i in spec.instruments
    ]
    cols = [c for c in data.columns if c.startswith("exp_")]
    pt = causal.person_time(data[data["instrument"] == spec.primary], cols)
    pt = pt[np.isfinite(pt["baseline_score"].to_numpy())]
    base = np.hstack(
        [causal._design(pt, causal.BASELINE), pt["baseline_score"].to_numpy()[:, None] / 10]
    )
    z = pt["prev_score"].fillna(0.0).to_numpy()[:, None] / 10
    logit = []
    for m in cols:
        risk = (pt["time"].to_numpy() > 0) & (pt[f"prev_{m}"].to_numpy() == 0)
        x = np.hstack([base, *[pt[f"prev_{o}"].to_numpy()[:, None] for o in cols if o != m]])
        logit.append((x[risk], np.hstack([x, z])[risk], pt[m].to_numpy(dtype=float)[risk]))
    wls = []
    rng = np.random.default_rng(0)
    for d in designs:
        _, groups = np.unique(d.groups, return_inverse=True)
        follow = d.exog[:, 1] > 0
        weights = rng.uniform(0.5, 2.0, int(follow.sum()))
        wls.append((d.endog[follow], d.exog[follow], weights, groups[follow]))
        wls.append((d.endog, d.exog, np.ones(len(d.endog)), groups))
    from statsmodels.regression.linear_model import WLS

    start, cpu = time.perf_counter(), time.process_time()
    for d in designs:
        fit_lmm(d.endog, d.exog, d.exog_re, d.groups)
    for x_num, x_den, y in logit:
        causal.logistic(x_num, y)
        causal.logistic(x_den, y)
    for y, x, weights, groups in wls:
        WLS(y, x, weights=weights).fit(cov_type="cluster", cov_kwds={"groups": groups})
    return time.perf_counter() - start, time.process_time() - cpu


def scale_run() -> dict[str, object]:
    spec = ProgrammeSpec(
        participants=20_000, seed=1, instruments=DEFAULT_INSTRUMENTS, measures=MEASURES
    )
    frame = simulate(spec)
    analysis = AnalysisSpec(
        instruments=tuple(InstrumentSpec(i.code, reliability=0.85) for i in DEFAULT_INSTRUMENTS),
        primary="WHO5",
        adjust=("age_band", "gender", "country"),
    )
    enrolments = int(
        sum(frame[frame["instrument"] == "WHO5"].groupby("participant")[f"exp_{m.name}"].max().sum()
            for m in MEASURES)
    )  # fmt: skip
    start, cpu = time.perf_counter(), time.process_time()
    report = run_analysis(frame, spec=analysis)
    total, total_cpu = time.perf_counter() - start, time.process_time() - cpu
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    bare, bare_cpu = bare_fits(frame, analysis)
    who5 = report.results[0]
    return {
        "responses": len(frame),
        "participants": spec.participants,
        "enrolments_people_measures": enrolments,
        "total_seconds": round(total, 2),
        "parts_seconds": {k: round(v, 2) for k, v in report.timings.items()},
        "bare_fits_seconds": round(bare, 2),
        "ratio_to_bare_fits": round(total / bare, 2),
        "total_cpu_seconds": round(total_cpu, 2),
        "bare_fits_cpu_seconds": round(bare_cpu, 2),
        "cpu_ratio_to_bare_fits": round(total_cpu / bare_cpu, 2),
        "peak_rss_mb": round(peak_mb),
        "truth_who5": spec.truth(),
        "msm_who5": {e.name: round(e.estimate, 2) for e in who5.causal.msm},
        "naive_who5": {e.name: round(e.estimate, 2) for e in who5.causal.naive},
        "mixed_flags": {r.instrument: list(r.mixed.flags) for r in report.results},
    }


def calibration_run(programmes: int) -> dict[str, object]:
    start = time.perf_counter()
    rows = calibrate(programmes=programmes, spec=ProgrammeSpec(participants=600))
    seconds = time.perf_counter() - start
    return {
        "programmes": programmes,
        "participants_each": 600,
        "seconds": round(seconds, 1),
        "coverage_mc_se": round(float(np.sqrt(0.95 * 0.05 / programmes)), 4),
        "rows": [
            {
                "estimator": c.estimator,
                "effect": c.effect,
                "truth": c.truth,
                "bias": round(c.bias, 3),
                "bias_sd": round(c.bias_sd, 4),
                "rmse": round(c.rmse, 3),
                "coverage": round(c.coverage, 3),
                "mean_se": round(c.mean_se, 3),
                "empirical_sd": round(c.empirical_sd, 3),
            }
            for c in rows
        ],
    }


def main() -> None:
    quick = "--quick" in sys.argv
    out: dict[str, object] = {"scale": scale_run()}
    print(json.dumps(out["scale"], indent=2))
    out["calibration"] = calibration_run(50 if quick else 500)
    print(json.dumps(out["calibration"], indent=2))
    path = ROOT / "bench" / "results" / "analysis.json"
    path.parent.mkdir(exist_ok=True)
    path.write_text(json.dumps(out, indent=2) + "\n")


if __name__ == "__main__":
    main()
