"""CONSORT-style flow: enrolled, baseline done, each follow-up done, lost.

Counts are of people, on one instrument (or any instrument when ``instrument`` is None), for
the whole programme and for those who took each measure. ``suppress`` hides small cells for
views beyond the research role with the resource maps' rules.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from samvirke.lib.suppression import suppress_counts, suppress_partition

from .frame import exposure_columns, measure_name


@dataclass(frozen=True)
class Flow:
    """The flow of one group of people (``group`` is "programme" or a measure's name)."""

    group: str
    enrolled: int | None
    baseline: int | None
    followups: tuple[int | None, ...]
    lost: int | None
    suppressed: bool = False


def _keys(values: pd.Series) -> pd.Series:
    """Participant keys as strings (the validated frame has them so already)."""
    return values if values.dtype == object else values.astype(str)


def _flow(group: str, members: np.ndarray, pairs: tuple[np.ndarray, np.ndarray], k: int) -> Flow:
    """Counts of one group: ``members`` marks the enrolled people in it, ``pairs`` are the
    distinct (person, time point) answers."""
    person, time = pairs
    counts = [int(c) for c in np.bincount(time[members[person]], minlength=k)[:k]]
    size = int(members.sum())
    last = counts[-1] if k > 1 else counts[0]
    return Flow(group, size, counts[0], tuple(counts[1:]), size - last)


def flow(
    frame: pd.DataFrame,
    *,
    instrument: str | None = None,
    enrolled: Iterable[str] | None = None,
    time_points: int | None = None,
) -> list[Flow]:
    """The programme's flow, then one per measure (people who ever took it).

    ``enrolled`` lists everyone enrolled (people who never answered are in no row of the long
    frame); by default, everyone in the frame.
    """
    rows = frame if instrument is None else frame[frame["instrument"] == instrument]
    keys = _keys(frame["participant"])
    everyone = pd.Index(
        sorted(set(map(str, enrolled))) if enrolled is not None else pd.unique(keys)
    )
    k = time_points if time_points is not None else int(frame["time"].max()) + 1
    code = everyone.get_indexer(_keys(rows["participant"]))
    time = rows["time"].to_numpy(dtype=int)
    keep = (code >= 0) & (time >= 0) & (time < k)
    distinct = np.unique(code[keep].astype(np.int64) * k + time[keep])
    pairs = (distinct // k, distinct % k)
    out = [_flow("programme", np.ones(len(everyone), dtype=bool), pairs, k)]
    for column in exposure_columns(frame):
        members = np.zeros(len(everyone), dtype=bool)
        takers = everyone.get_indexer(pd.unique(keys[frame[column].to_numpy() > 0]))
        members[takers[takers >= 0]] = True
        out.append(_flow(measure_name(column), members, pairs, k))
    return out


def suppress(flows: list[Flow]) -> list[Flow]:
    """The flows as shown beyond the research role, with the resource maps' small-cell rules
    (:mod:`samvirke.lib.suppression`, no Django): every count of 1–4 people is hidden, and
    because the enrolled total is shown and splits into those still answering at the last time
    point and those lost, that pair is suppressed as a partition (hiding the lost count too
    when the last follow-up is small, so neither can be worked out by subtraction)."""
    out = []
    for f in flows:
        cells = [f.enrolled or 0, f.baseline or 0, *(c or 0 for c in f.followups)]
        shown = suppress_counts(cells)
        if f.followups:
            last, lost = suppress_partition([f.followups[-1] or 0, f.lost or 0])
            shown[-1] = last
        else:
            lost = suppress_counts([f.lost or 0])[0]
        changed = shown != cells or lost != f.lost
        out.append(Flow(f.group, shown[0], shown[1], tuple(shown[2:]), lost, changed))
    return out
