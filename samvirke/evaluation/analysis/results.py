"""A :class:`~.report.Report` as plain JSON, and back, with what may be shown beyond research.

The app stores the result of a run as JSON (``AnalysisRun.result``): every number the pages and
reports show, never a person's key. :func:`to_json` writes it, including

* ``trajectories``: per instrument the mean, SD and n per time point and, for the research
  view only, a seeded sample of anonymous score lines for the spaghetti plot;
* ``disclosed``: the counts a user representative may see, made with ``lib/disclosure.py``
  over every scope the evaluation page opens at once (the programme and the people in each
  measure), so that no count of 1–4 people is shown or can be worked out by subtracting one
  scope's count from another's; totals are rounded to five.

The ``*_from`` functions rebuild the engine's dataclasses for :mod:`.text`.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import pandas as pd

from samvirke.lib import disclosure

from .causal import Effect
from .evalue import EValue
from .flow import Flow
from .frame import exposure_columns, measure_name
from .mixed import Skipped
from .prepost import Estimate, PrePost
from .report import Report

FORMAT = 1
LINES = 60


def plain(value: Any) -> Any:
    """JSON-safe: numpy scalars to Python, NaN and infinities to None, tuples to lists."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, np.bool_ | bool):
        return bool(value)
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.floating | float):
        number = float(value)
        return number if math.isfinite(number) else None
    return value


def _nan(value: float | None) -> float:
    return float("nan") if value is None else float(value)


def trajectories(frame: pd.DataFrame, instrument: str, *, seed: int) -> dict[str, Any]:
    """Means per time point and a seeded sample of lines (months, score) without any key."""
    rows = frame[frame["instrument"] == instrument]
    stats = rows.groupby("time").agg(
        months=("months", "mean"), n=("score", "size"), mean=("score", "mean"), sd=("score", "std")
    )
    people = np.array(sorted(rows["participant"].unique()))
    rng = np.random.default_rng(seed)
    chosen = set(rng.choice(people, size=min(LINES, len(people)), replace=False))
    lines = [
        [[float(m), float(s)] for m, s in zip(g["months"], g["score"], strict=True)]
        for _key, g in rows[rows["participant"].isin(chosen)]
        .sort_values("time")
        .groupby("participant")
    ]
    rng.shuffle(lines)  # the order of the keys says nothing, but keep it out of the output too
    return {
        "stats": [
            {
                "time": int(t),
                "months": r["months"],
                "n": int(r["n"]),
                "mean": r["mean"],
                "sd": r["sd"],
            }
            for t, r in stats.iterrows()
        ],  # fmt: skip
        "lines": lines,
    }


def _flow_cells(
    frame: pd.DataFrame, instrument: str, enrolled: Iterable[str], time_points: int
) -> list[tuple[list[str], list[str]]]:
    """Each enrolled person's scopes (programme, each measure taken) and flow cells."""
    rows = frame[frame["instrument"] == instrument]
    answered = rows.groupby("participant")["time"].agg(lambda t: set(map(int, t))).to_dict()
    taken: dict[str, set[str]] = {}
    for column in exposure_columns(frame):
        for key in frame.loc[frame[column] > 0, "participant"].unique():
            taken.setdefault(str(key), set()).add(measure_name(column))
    people = []
    for key in enrolled:
        times = answered.get(key, set())
        # The last time point is the "last" cell of the partition (last, lost), never also t<k>.
        cells = [f"t{k}" for k in range(time_points - 1) if k in times]
        cells.append("last" if time_points - 1 in times else "lost")
        people.append((["programme", *sorted(taken.get(key, set()))], cells))
    return people


def disclosed_flows(
    frame: pd.DataFrame, instrument: str, enrolled: Sequence[str], groups: Sequence[str]
) -> list[dict[str, Any]]:
    """The flow per group as a user representative sees it (see the module text)."""
    k = int(frame["time"].max()) + 1 if len(frame) else 1
    atoms = disclosure.atoms_of(_flow_cells(frame, instrument, enrolled, k))
    cells = [*(f"t{i}" for i in range(k - 1)), "last", "lost"]
    published = disclosure.protect(
        atoms, scopes=["programme", *groups], root="programme", cells=cells,
        partitions=[("last", "lost")],
    )  # fmt: skip
    out = []
    for group in ["programme", *groups]:
        if not published.shown(group):
            out.append(plain(Flow(group, None, None, (None,) * (k - 1), None, True)))
            continue
        shown = published.counts[group]
        total = disclosure.rounded_total(published.totals[group])
        followups = (*(shown[f"t{i}"] for i in range(1, k - 1)), shown["last"]) if k > 1 else ()
        baseline = shown["t0"] if k > 1 else shown["last"]
        flow = Flow(group, total, baseline, followups, shown["lost"], True)
        out.append(plain(flow))
    return out


def disclosed_reliable(pre_post: PrePost) -> dict[str, Any]:
    """Reliable-change counts and n as a user representative sees them (one scope, the
    programme; the categories are a partition of those with both scores)."""
    if pre_post.n < disclosure.THRESHOLD:
        return {"n": None, "reliable": None}
    reliable = None
    if pre_post.reliable is not None:
        names = list(pre_post.reliable)
        counts: dict[disclosure.CellKey, int] = {k: int(v) for k, v in pre_post.reliable.items()}
        atoms = [disclosure.Atom(frozenset({"programme"}), pre_post.n, counts)]
        published = disclosure.protect(
            atoms, scopes=["programme"], root="programme", cells=names, partitions=[names]
        )
        reliable = published.counts["programme"]
    return {"n": disclosure.rounded_total(pre_post.n), "reliable": reliable}


def to_json(
    report: Report,
    frame: pd.DataFrame,
    *,
    enrolled: Sequence[str],
    labels: dict[str, dict[str, str]],
    titles: dict[str, dict[str, str]],
) -> dict[str, Any]:
    """Everything the pages show, as JSON (see the module text)."""
    groups = [measure_name(c) for c in exposure_columns(frame)]
    instruments = []
    for result in report.results:
        trajectory = trajectories(frame, result.instrument, seed=report.spec.seed)
        disclosed_stats = [
            {**s, "n": disclosure.rounded_total(s["n"])}
            for s in trajectory["stats"]
            if s["n"] >= disclosure.THRESHOLD
        ]
        instruments.append(
            {
                "instrument": result.instrument,
                "flow": plain(result.flow),
                "prepost": plain(result.prepost),
                "mixed": plain(result.mixed),
                "causal": plain(result.causal),
                "trajectories": plain(trajectory),
                "disclosed": {
                    "flow": disclosed_flows(frame, result.instrument, enrolled, groups),
                    "prepost": disclosed_reliable(result.prepost),
                    "trajectories": plain(disclosed_stats),
                },
            }
        )
    return {
        "format": FORMAT,
        "spec": plain(report.spec),
        "checksum": report.checksum,
        "versions": report.versions,
        "timings": plain(report.timings),
        "participants": len(enrolled),
        "observations": len(frame),
        "groups": groups,
        "labels": labels,
        "titles": titles,
        "instruments": instruments,
    }


def flow_from(data: dict[str, Any]) -> Flow:
    return Flow(
        data["group"], data["enrolled"], data["baseline"], tuple(data["followups"]),
        data["lost"], bool(data.get("suppressed")),
    )  # fmt: skip


def _estimate(data: dict[str, Any]) -> Estimate:
    return Estimate(_nan(data["value"]), _nan(data["low"]), _nan(data["high"]))


def prepost_from(data: dict[str, Any]) -> PrePost:
    values = {f.name: data.get(f.name) for f in dataclasses.fields(PrePost)}
    for name in ("mean_change", "d_z", "g_z", "d_av", "g_av"):
        values[name] = _estimate(data[name])
    for name in ("mean_pre", "mean_post", "sd_pre", "sd_post", "r", "t", "p"):
        values[name] = _nan(data[name])
    values["flags"] = tuple(data.get("flags") or ())
    return PrePost(**values)  # type: ignore[arg-type]


def effect_from(data: dict[str, Any]) -> Effect:
    ev = data["evalue"]
    evalue = EValue(**{f.name: _nan(ev.get(f.name)) for f in dataclasses.fields(EValue)})
    return Effect(
        data["name"], data["kind"], _nan(data["estimate"]), _nan(data["se"]), _nan(data["low"]),
        _nan(data["high"]), _nan(data["smd"]), evalue, int(data["participants"]),
    )  # fmt: skip


def skipped_from(data: dict[str, Any]) -> Skipped:
    return Skipped(data["name"], data["kind"], data["flag"], int(data["participants"]))
