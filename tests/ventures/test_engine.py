"""The team-formation engine on its own: plain values in, proposals out."""

from __future__ import annotations

import pytest

from samvirke.ventures.engine import (
    EXACT,
    HEURISTIC,
    Candidate,
    Need,
    Settings,
    VentureSpec,
    generated_instance,
    propose_teams,
)


def cafe(**changes: object) -> VentureSpec:
    values: dict[str, object] = {
        "key": "cafe",
        "needs": (Need("cooking", 3), Need("cash-handling", 2)),
        "interests": frozenset({"cooking"}),
        "min_size": 1,
        "max_size": 3,
        "municipality": "5001",
    }
    values.update(changes)
    return VentureSpec(**values)  # type: ignore[arg-type]


def test_a_planted_perfect_team_for_every_venture_is_found_in_full() -> None:
    # given
    people, ventures = generated_instance(candidates=120, ventures=12, seed=7)
    # when
    solution = propose_teams(people, ventures, Settings(seed=7, time_limit=20))
    # then
    assert solution.coverage == 1.0
    assert solution.method == EXACT
    assert solution.optimal


@pytest.mark.parametrize("seed", range(5))
def test_the_heuristic_also_covers_every_need_of_a_planted_instance(seed: int) -> None:
    # given (seed 2 needs two people to change places at once: the kicks find it)
    people, ventures = generated_instance(candidates=300, ventures=30, seed=seed)
    # when
    solution = propose_teams(people, ventures, Settings(seed=seed, exact_max_pairs=0))
    # then
    assert solution.method == HEURISTIC
    assert solution.coverage == 1.0
    assert solution.bound is not None and solution.gap is not None and solution.gap < 0.05


def test_the_same_data_and_seed_give_the_same_proposals() -> None:
    # given
    people, ventures = generated_instance(candidates=200, ventures=20, seed=5)
    settings = Settings(seed=11, exact_max_pairs=0)
    # when
    first = propose_teams(people, ventures, settings)
    second = propose_teams(list(reversed(people)), list(reversed(ventures)), settings)
    # then
    assert first.teams == second.teams
    assert first.explanations == second.explanations


def test_a_person_is_proposed_for_one_venture_only_unless_told_otherwise() -> None:
    # given
    cook = Candidate("cook", frozenset({"cooking", "cash-handling"}), municipality="5001")
    ventures = [cafe(), cafe(key="bakery")]
    # when
    once = propose_teams([cook], ventures)
    twice = propose_teams([cook], ventures, Settings(max_ventures_per_person=2))
    # then
    assert sum("cook" in team for team in once.teams.values()) == 1
    assert sum("cook" in team for team in twice.teams.values()) == 2


def test_nobody_is_proposed_for_a_venture_they_cannot_reach() -> None:
    # given
    far_away = Candidate("far", frozenset({"cooking"}), municipality="1804")
    # when
    local = propose_teams([far_away], [cafe()])
    remote = propose_teams([far_away], [cafe(remote_friendly=True)])
    # then
    assert local.teams["cafe"] == ()
    assert remote.teams["cafe"] == ("far",)


def test_members_already_on_a_team_stay_and_are_not_proposed_elsewhere() -> None:
    # given
    cook = Candidate("cook", frozenset({"cooking"}), municipality="5001")
    cashier = Candidate("cashier", frozenset({"cash-handling"}), municipality="5001")
    ventures = [cafe(members=("cook",)), cafe(key="bakery")]
    # when
    solution = propose_teams([cook, cashier], ventures)
    # then
    assert solution.teams == {"bakery": (), "cafe": ("cashier",)}


def test_a_venture_that_cannot_reach_its_smallest_team_gets_nobody() -> None:
    # given
    cook = Candidate("cook", frozenset({"cooking"}), municipality="5001")
    # when
    solution = propose_teams([cook], [cafe(min_size=2)])
    # then
    assert solution.teams["cafe"] == ()


def test_each_proposal_says_which_needs_and_interests_it_covers() -> None:
    # given
    cook = Candidate(
        "cook", frozenset({"cooking"}), interests=frozenset({"cooking"}), municipality="5001"
    )
    # when
    solution = propose_teams([cook], [cafe()])
    # then
    (why,) = solution.explanations
    assert why.covers == ("cooking",)
    assert why.only_one == ("cooking",)
    assert why.interests == ("cooking",)


def test_a_tight_time_limit_still_returns_the_best_found_and_a_bound() -> None:
    # given
    people, ventures = generated_instance(candidates=400, ventures=40, seed=2)
    # when
    solution = propose_teams(people, ventures, Settings(time_limit=0.5, exact_max_pairs=0))
    # then
    assert solution.objective > 0
    assert solution.bound is not None and solution.bound >= solution.objective


def test_a_solver_run_elsewhere_in_the_process_does_not_stop_the_exact_search() -> None:
    # given: another HiGHS user on this thread has sized its scheduler with the default threads
    import highspy

    other = highspy.Highs()
    other.silent()
    other.addVar(0, 1)
    other.run()
    people, ventures = generated_instance(candidates=60, ventures=6, seed=2)
    # when
    solution = propose_teams(people, ventures, Settings(seed=2, time_limit=20))
    # then
    assert solution.method == EXACT
    assert solution.optimal
