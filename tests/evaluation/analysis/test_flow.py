"""Flow counts: who was enrolled, answered at each time point, and was lost."""

from __future__ import annotations

import pandas as pd

from samvirke.evaluation.analysis import flow


def frame() -> pd.DataFrame:
    rows = []
    # a: all four; b: baseline and first follow-up; c: baseline only; d: only later.
    for who, times, work in (
        ("a", [0, 1, 2, 3], 1),
        ("b", [0, 1], 1),
        ("c", [0], 0),
        ("d", [2], 0),
    ):
        for t in times:
            rows.append(
                {"participant": who, "time": t, "months": 6.0 * t, "instrument": "WHO5"}
                | {"score": 50.0, "exp_work": float(work and t > 0)}
            )
    return pd.DataFrame(rows)


def test_programme_flow_counts_people_at_each_time_point() -> None:
    result = flow.flow(frame(), time_points=4)[0]
    assert (result.enrolled, result.baseline, result.followups, result.lost) == (4, 3, (2, 2, 1), 3)


def test_people_who_never_answered_still_count_as_enrolled_and_lost() -> None:
    result = flow.flow(frame(), enrolled=["a", "b", "c", "d", "e"], time_points=4)[0]
    assert result.enrolled == 5 and result.lost == 4


def test_each_measure_gets_the_flow_of_the_people_who_took_it() -> None:
    work = flow.flow(frame(), time_points=4)[1]
    assert work.group == "work"
    assert (work.enrolled, work.baseline, work.followups) == (2, 2, (2, 1, 1))


def test_small_cells_are_suppressed_and_marked() -> None:
    shown = flow.suppress([flow.Flow("programme", 40, 38, (30, 20, 3), 37)])[0]
    assert (shown.enrolled, shown.baseline, shown.followups[:2]) == (40, 38, (30, 20))
    assert shown.followups[2] is None and shown.suppressed


def test_lost_is_hidden_too_when_it_would_give_away_a_small_last_follow_up() -> None:
    shown = flow.suppress([flow.Flow("programme", 40, 38, (30, 20, 3), 37)])[0]
    assert shown.lost is None


def test_large_cells_are_left_as_they_are() -> None:
    counts = [flow.Flow("programme", 400, 380, (300, 200, 150), 250)]
    assert flow.suppress(counts) == counts
