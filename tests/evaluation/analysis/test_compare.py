"""Pre–post change by group, and what a user representative can work out from the tables."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd

from samvirke.evaluation.analysis.compare import PROGRAMME, comparisons


def tiny_programme() -> tuple[pd.DataFrame, dict[str, list[str]]]:
    """30 people in Norway (12 of them in subproject A) and 3 in Sweden, each with two scores;
    the first 20 took work training."""
    rng = np.random.default_rng(4)
    records = []
    memberships: dict[str, list[str]] = {}
    for i in range(33):
        key = f"P{i:02d}"
        country = "country:NO" if i < 30 else "country:SE"
        memberships[key] = [country, *(["subproject:1"] if i < 12 else [])]
        base = float(rng.normal(50, 10))
        for time, score in ((0, base), (1, base + 5 + float(rng.normal(0, 5)))):
            records.append({"participant": key, "time": time, "months": 6.0 * time,
                            "instrument": "who5", "score": score,
                            "exp_work": 1.0 if i < 20 and time == 1 else 0.0})  # fmt: skip
    return pd.DataFrame.from_records(records), memberships


def test_a_researcher_gets_the_exact_n_of_every_group() -> None:
    # given a programme of 30 people in Norway and 3 in Sweden
    frame, memberships = tiny_programme()
    # when its change is broken down by group
    rows = {r["scope"]: r for r in comparisons(frame, "who5", memberships)["rows"]}
    # then each group has its exact n and a mean change with an interval
    assert rows[PROGRAMME]["n"] == 33
    assert rows["country:NO"]["n"] == 30
    assert rows["country:SE"]["n"] == 3
    assert rows["subproject:1"]["n"] == 12
    assert rows["measure:work"]["n"] == 20
    change = rows["country:NO"]["change"]
    assert change["low"] < change["value"] < change["high"]


def test_a_user_representative_sees_the_small_group_hidden() -> None:
    # given the same programme
    frame, memberships = tiny_programme()
    # when the breakdown is made for a user representative
    rows = {r["scope"]: r for r in comparisons(frame, "who5", memberships)["disclosed"]}
    # then Sweden's three people are hidden, and the shown groups' n are rounded
    assert rows["country:SE"]["n"] is None and rows["country:SE"]["change"] is None
    assert all(r["n"] is None or r["n"] % 5 == 0 for r in rows.values())


def test_no_group_of_one_to_four_can_be_worked_out_by_subtracting_shown_groups() -> None:
    # given the breakdown a user representative sees, and an attacker who knows who is in
    # which country, subproject and measure
    frame, memberships = tiny_programme()
    disclosed = comparisons(frame, "who5", memberships)["disclosed"]
    shown = [r["scope"] for r in disclosed if r["n"] is not None]
    work = {f"P{i:02d}" for i in range(20)}
    members = {
        scope: {k for k, own in memberships.items() if scope in own}
        | (work if scope == "measure:work" else set())
        for scope in shown
    }
    members[PROGRAMME] = set(memberships)
    # when they add and subtract any of the shown groups (every set the groups' members can
    # be split into by the shown tables: in or out of each shown group)
    for inside in itertools.product((True, False), repeat=len(shown)):
        people = set(memberships)
        for scope, is_in in zip(shown, inside, strict=True):
            people = people & members[scope] if is_in else people - members[scope]
        # then no such set (whose n and mean change would follow) holds 1–4 people
        assert not 0 < len(people) < 5, (shown, inside, sorted(people))
    # and Norway, which with the programme total would give Sweden away, is hidden too
    assert "country:NO" not in shown
