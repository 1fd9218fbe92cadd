"""CONSORT-style flow: enrolled, baseline done, each follow-up done, lost.

Counts are of people, on one instrument (or any instrument when ``instrument`` is None), for
the whole programme and for those who took each measure. ``suppress`` hides small cells for
views beyond the research role with the resource maps' rules.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
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
    return flows(frame, instruments=[instrument], enrolled=enrolled, time_points=time_points)[0]


def flows(
    frame: pd.DataFrame,
    *,
    instruments: Sequence[str | None],
    enrolled: Iterable[str] | None = None,
    time_points: int | None = None,
) -> list[list[Flow]]:
    """:func:`flow` for each of ``instruments`` (None: any instrument), sharing the work that
    does not depend on the instrument (the people's codes and who took each measure)."""
    keys = _keys(frame["participant"])
    if enrolled is not None:
        everyone = pd.Index(sorted(set(map(str, enrolled))))
        code_all = everyone.get_indexer(keys)
    else:
        # Codes in order of first appearance, as pd.unique orders the people.
        code_all, uniques = pd.factorize(keys.to_numpy())
        everyone = pd.Index(uniques)
    n = len(everyone)
    k = time_points if time_points is not None else int(frame["time"].max()) + 1
    time_all = frame["time"].to_numpy(dtype=int)
    known = code_all >= 0
    members_of = []
    for column in exposure_columns(frame):
        members = np.zeros(n, dtype=bool)
        members[code_all[known & (frame[column].to_numpy() > 0)]] = True
        members_of.append((measure_name(column), members))
    codes_of = frame["instrument"].to_numpy()
    out = []
    for instrument in instruments:
        mask = known & (time_all >= 0) & (time_all < k)
        if instrument is not None:
            mask &= codes_of == instrument
        distinct = np.unique(code_all[mask].astype(np.int64) * k + time_all[mask])
        pairs = (distinct // k, distinct % k)
        one = [_flow("programme", np.ones(n, dtype=bool), pairs, k)]
        one.extend(_flow(name, members, pairs, k) for name, members in members_of)
        out.append(one)
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
