"""Pre–post change broken down by group: country, region, subproject and measure. No Django.

Each group is a *scope* of the people with both a baseline and a follow-up score on the
instrument (the pre–post population). The research view gets every group's exact n, mean change
with its 95 % CI and d_z with its CI. The view beyond the research role is made with
``lib/disclosure.py`` over every group of every breakdown *and* the programme at once: they are
scopes of the same people, so a group could otherwise be recovered by subtracting another
group's n (or the programme's) from a total, e.g. the programme minus the one large country
leaves the small one. ``protect`` refuses groups, smallest first, until every difference of shown
groups holds 0 or at least five people; the n of a shown group is rounded to five. (Its exact
n can be worked back from the interval and d_z, which is why the guarantee rests on the atoms,
not on the rounding.) The flow table is protected by a call of its own over the enrolled people,
so its baseline count of a measure minus this table's n of that measure would give the people
with a baseline but no follow-up, which can be 1–4: the view beyond the research role therefore
leaves out the breakdown by measure (``SHOWN_BEYOND_RESEARCH``); the other breakdowns have no
flow table to be subtracted from.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import pandas as pd

from samvirke.lib import disclosure

from .frame import exposure_columns, measure_name
from .prepost import prepost

PROGRAMME = "programme"
DIMENSIONS = ("country", "region", "subproject", "measure")
SHOWN_BEYOND_RESEARCH = ("country", "region", "subproject")


def scope_key(dimension: str, value: object) -> str:
    return f"{dimension}:{value}"


def dimension_of(scope: str) -> str:
    return scope.split(":", 1)[0]


def _pairs(frame: pd.DataFrame, instrument: str) -> pd.DataFrame:
    """Baseline and last follow-up score per person, as the engine's pre–post takes them."""
    rows = frame[frame["instrument"] == instrument]
    base = rows[rows["time"] == 0].drop_duplicates("participant").set_index("participant")
    later = rows[rows["time"] > 0].sort_values("time").drop_duplicates("participant", keep="last")
    both = base[["score"]].join(
        later.set_index("participant")[["score"]], lsuffix="_pre", rsuffix="_post", how="inner"
    )
    return both.sort_index()


def measures_taken(frame: pd.DataFrame) -> dict[str, set[str]]:
    """Each person's measure scopes: the measures they started at some point."""
    taken: dict[str, set[str]] = {}
    for column in exposure_columns(frame):
        for key in frame.loc[frame[column] > 0, "participant"].unique():
            taken.setdefault(str(key), set()).add(scope_key("measure", measure_name(column)))
    return taken


def _estimate(values: Any) -> dict[str, float | None]:
    return {"value": values.value, "low": values.low, "high": values.high}


def comparisons(
    frame: pd.DataFrame, instrument: str, memberships: Mapping[str, Iterable[str]]
) -> dict[str, Any]:
    """The breakdown of one instrument's pre–post change, for research and as disclosed.

    ``memberships`` gives each person's country, region and subproject scopes (``scope_key``);
    the measure scopes come from the frame's exposures."""
    pairs = _pairs(frame, instrument)
    taken = measures_taken(frame)
    people: dict[str, set[str]] = {}
    for key in pairs.index:
        people[str(key)] = {PROGRAMME, *memberships.get(str(key), ()), *taken.get(str(key), ())}
    scopes = sorted({s for own in people.values() for s in own} - {PROGRAMME})
    scopes = [s for s in scopes if dimension_of(s) in DIMENSIONS]
    rows: list[dict[str, Any]] = []
    for scope in [PROGRAMME, *scopes]:
        members = [key for key, own in people.items() if scope in own]
        chosen = pairs.loc[members]
        change = prepost(pre=chosen["score_pre"].to_numpy(), post=chosen["score_post"].to_numpy())
        rows.append(
            {
                "scope": scope,
                "n": change.n,
                "change": _estimate(change.mean_change),
                "d_z": _estimate(change.d_z),
                "flags": list(change.flags),
            }
        )
    atoms = disclosure.atoms_of((own, ()) for own in people.values())
    published = disclosure.protect(atoms, scopes=[PROGRAMME, *scopes], root=PROGRAMME, cells=())
    disclosed = []
    for row in rows:
        if published.shown(row["scope"]) and "too_few" not in row["flags"]:
            disclosed.append({**row, "n": disclosure.rounded_total(row["n"])})
        else:
            disclosed.append({"scope": row["scope"], "n": None, "change": None, "d_z": None,
                              "flags": ["suppressed"]})  # fmt: skip
    return {"rows": rows, "disclosed": disclosed}


def shown_rows(data: Mapping[str, Any], *, full: bool) -> Sequence[Mapping[str, Any]]:
    return list(data["rows"] if full else data["disclosed"])
