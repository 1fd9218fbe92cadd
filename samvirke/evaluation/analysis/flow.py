"""CONSORT-style flow: enrolled, baseline done, each follow-up done, lost.

Counts are of people, on one instrument (or any instrument when ``instrument`` is None), for
the whole programme and for those who took each measure. ``suppress`` blanks small cells
(1 … min_cell − 1) for views beyond the research role, as the resource maps do.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd

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


def _flow(group: str, people: set[str], rows: pd.DataFrame, time_points: int) -> Flow:
    answered = rows[rows["participant"].isin(people)]
    by_time = answered.groupby("time")["participant"].nunique()
    counts = [int(by_time.get(k, 0)) for k in range(time_points)]
    last = counts[-1] if time_points > 1 else counts[0]
    return Flow(group, len(people), counts[0], tuple(counts[1:]), len(people) - last)


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
    everyone = set(map(str, enrolled)) if enrolled is not None else set(frame["participant"])
    k = time_points if time_points is not None else int(frame["time"].max()) + 1
    out = [_flow("programme", everyone, rows, k)]
    for column in exposure_columns(frame):
        takers = set(frame.loc[frame[column] > 0, "participant"]) & everyone
        out.append(_flow(measure_name(column), takers, rows, k))
    return out


def suppress_count(value: int | None, *, min_cell: int) -> int | None:
    """None for a small non-zero count (1 … min_cell − 1)."""
    if value is None or value == 0 or value >= min_cell:
        return value
    return None


def suppress(flows: list[Flow], *, min_cell: int = 5) -> list[Flow]:
    """Blank every cell below ``min_cell`` (and mark the row), and any cell that would let a
    blanked one be worked out by subtraction (``lost`` = enrolled − last follow-up)."""
    out = []
    for f in flows:
        cells = [f.enrolled, f.baseline, *f.followups, f.lost]
        blanked = [suppress_count(c, min_cell=min_cell) for c in cells]
        changed = blanked != cells
        if blanked[-1] is None or (f.followups and blanked[-2] is None):
            blanked[-1] = None
            if f.followups:
                blanked[-2] = None
        out.append(
            Flow(f.group, blanked[0], blanked[1], tuple(blanked[2:-1]), blanked[-1], changed)
        )
    return out
