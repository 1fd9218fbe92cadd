"""Time the team-formation engine on generated instances (no database needed).

Run as ``.venv/bin/python bench/ventures_bench.py``. Each case runs in its own process so that
its peak memory is its own. Figures go to bench/results/ventures.json. Targets (issue 12):

- 500 candidates × 50 ventures: optimal or gap ≤ 1 % in under 10 s, beside the bare HiGHS
  solve of the same model (the engine's overhead as a ratio);
- 5,000 × 500: within 3 % of the LP bound in under 30 s and under 2 GB;
- instances with a planted perfect team for each venture: full coverage.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

CASES = ["small", "bare", "large", "planted"]


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_case(case: str) -> dict[str, object]:
    from samvirke.ventures import engine

    if case == "small":
        people, ventures = engine.generated_instance(candidates=500, ventures=50, seed=1)
        solution = engine.propose_teams(people, ventures, engine.Settings(time_limit=10, seed=1))
        return {
            "method": solution.method,
            "seconds": round(solution.seconds, 3),
            "objective": solution.objective,
            "bound": solution.bound,
            "gap_percent": round(100 * (solution.gap or 0.0), 3),
            "optimal": solution.optimal,
            "coverage": solution.coverage,
            "peak_mb": round(peak_mb()),
        }
    if case == "bare":
        # The same MILP handed straight to HiGHS: no heuristic, no warm start, no explanations.
        people, ventures = engine.generated_instance(candidates=500, ventures=50, seed=1)
        instance = engine._Instance(
            sorted(people, key=lambda c: c.key),
            sorted(ventures, key=lambda v: v.key),
            engine.Settings(),
        )
        model = engine.build_model(instance)
        solver = engine.new_solver(time_limit=60, seed=1)
        solver.passModel(model.lp)
        started = time.perf_counter()
        solver.run()
        seconds = time.perf_counter() - started
        return {
            "seconds": round(seconds, 3),
            "objective": round(float(solver.getInfo().objective_function_value), 6),
            "columns": model.lp.num_col_,
            "rows": model.lp.num_row_,
        }
    if case == "large":
        people, ventures = engine.generated_instance(candidates=5000, ventures=500, seed=1)
        solution = engine.propose_teams(people, ventures, engine.Settings(time_limit=30, seed=1))
        return {
            "method": solution.method,
            "seconds": round(solution.seconds, 3),
            "objective": solution.objective,
            "bound": solution.bound,
            "gap_percent": round(100 * (solution.gap or 0.0), 3),
            "coverage": solution.coverage,
            "peak_mb": round(peak_mb()),
        }
    if case == "planted":
        found = []
        for seed in range(5):
            people, ventures = engine.generated_instance(candidates=300, ventures=30, seed=seed)
            for exact_max in (engine.Settings().exact_max_pairs, 0):
                settings = engine.Settings(seed=seed, exact_max_pairs=exact_max, time_limit=10)
                solution = engine.propose_teams(people, ventures, settings)
                found.append(
                    {"seed": seed, "method": solution.method, "coverage": solution.coverage}
                )
        return {"runs": found, "all_full": all(run["coverage"] == 1.0 for run in found)}
    raise SystemExit(f"unknown case {case}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--case", choices=CASES)
    args = parser.parse_args()
    if args.case:
        print(json.dumps(run_case(args.case)))
        return
    results: dict[str, object] = {}
    for case in CASES:
        out = subprocess.run(
            [sys.executable, __file__, "--case", case],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        results[case] = json.loads(out.strip().splitlines()[-1])
        print(case, results[case])
    small, bare = results["small"], results["bare"]
    assert isinstance(small, dict) and isinstance(bare, dict)
    results["overhead_ratio"] = round(small["seconds"] / max(bare["seconds"], 1e-6), 2)
    print("engine / bare HiGHS:", results["overhead_ratio"])
    folder = ROOT / "bench" / "results"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "ventures.json").write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
