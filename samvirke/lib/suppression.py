"""Small-cell suppression for counts of people shown beyond a participant's own team.

A count of 1 to 4 people is never shown (primary suppression). Where the cells of a table add
up to a total that is shown (a partition: every person in exactly one cell), hiding the small
cells alone is not enough — the total minus the shown cells gives them back — so further cells
are hidden too (secondary suppression), largest first, until no hidden small cell can be worked
out. Every hidden cell then looks the same, so a reader cannot tell which were small.
No Django here: the rules are tested on their own (tests/lib/test_suppression.py).
"""

from __future__ import annotations

from collections.abc import Sequence

THRESHOLD = 5


def is_small(count: int) -> bool:
    return 0 < count < THRESHOLD


def suppress_counts(counts: Sequence[int]) -> list[int | None]:
    """Counts that need no total to protect them (a person may be in several cells)."""
    return [None if is_small(count) else count for count in counts]


def suppress_partition(counts: Sequence[int]) -> list[int | None]:
    """Counts of a partition whose total is published.

    Hides every small cell, then keeps hiding the largest remaining cells until the hidden small
    cells could add up to more than one total, even for a reader who knows this rule.
    """
    hidden = {i for i, count in enumerate(counts) if is_small(count)}
    if hidden:
        # The largest cells first, so a hidden cell has no upper bound a reader could use to
        # narrow down the small ones. Empty cells only when nothing else is left.
        rest = sorted(
            (i for i in range(len(counts)) if i not in hidden),
            key=lambda i: (counts[i] == 0, -counts[i], i),
        )
        for i in rest:
            if _protected(counts, hidden):
                break
            hidden.add(i)
    return [None if i in hidden else count for i, count in enumerate(counts)]


def _protected(counts: Sequence[int], hidden: set[int]) -> bool:
    """Whether the hidden cells leave room for the small ones to vary.

    A reader knows each hidden larger cell is at least as large as every shown cell (and at
    least the threshold), so the hidden small cells hold at most what remains of the hidden
    total; that must be more than one person per small cell, or they would all be 1.
    """
    small = [i for i in hidden if is_small(counts[i])]
    larger = [i for i in hidden if not is_small(counts[i])]
    if len(hidden) < 2 or not larger:
        return False
    floor = max([THRESHOLD, *(c for i, c in enumerate(counts) if i not in hidden)])
    room = sum(counts[i] for i in hidden) - floor * len(larger)
    return room >= len(small) + 1
