"""Disclosure control across overlapping scopes, without Django."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from samvirke.lib.disclosure import atoms_of, protect, rounded_total

ROOT = "programme"


def test_a_subproject_that_leaves_one_person_outside_is_refused() -> None:
    # given 26 people in a subproject and one outside it
    people = [([ROOT, "rsmh"], ["cooking"]) for _ in range(26)] + [([ROOT], ["baking"])]
    # when
    published = protect(atoms_of(people), scopes={ROOT, "rsmh"}, root=ROOT)
    # then
    assert published.refused == {"rsmh"}
    assert published.counts[ROOT]["cooking"] == 26


def test_a_cell_whose_difference_between_two_scopes_is_small_is_hidden_in_one_of_them() -> None:
    # given 12 cooks in the programme, 9 of them in a subproject of 20 and 3 in the 10 outside
    people = [([ROOT, "a"], ["cooking"] if i < 9 else []) for i in range(20)]
    people += [([ROOT], ["cooking"] if i < 3 else []) for i in range(10)]
    # when
    counts = protect(atoms_of(people), scopes={ROOT, "a"}, root=ROOT).counts
    # then
    assert None in (counts[ROOT]["cooking"], counts["a"]["cooking"])


def test_a_cell_that_holds_everyone_in_a_scope_is_hidden() -> None:
    people = [([ROOT], ["licence"]) for _ in range(8)]
    published = protect(atoms_of(people), scopes={ROOT}, root=ROOT)
    assert published.counts[ROOT]["licence"] is None


def test_totals_are_published_to_the_nearest_five() -> None:
    assert [rounded_total(n) for n in (5, 7, 8, 26, 27)] == [5, 5, 10, 25, 25]


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(st.sampled_from(["", "a", "b", "ab"]), st.booleans()),
        min_size=5,
        max_size=40,
    )
)
def test_no_difference_of_two_shown_counts_is_one_to_four(rows: list[tuple[str, bool]]) -> None:
    # given people in subprojects a and b (or both, or neither), some with the cell
    people = [([ROOT, *scopes], ["x"] if has else []) for scopes, has in rows]
    # when
    published = protect(atoms_of(people), scopes={ROOT, "a", "b"}, root=ROOT)
    # then no shown count, nor the programme's minus a subproject's, is 1-4
    shown = {scope: row.get("x", 0) for scope, row in published.counts.items()}
    whole = shown.get(ROOT)
    for count in shown.values():
        assert count is None or not 0 < count < 5
        if whole is not None and count is not None:
            assert not 0 < whole - count < 5
