"""Disclosure control for counts of people across every scope a reader can open. No Django.

A per-table rule (``lib/suppression.py``) is not enough once a reader can open several
overlapping scopes: the programme map minus a subproject map gives the people outside the
subproject, and any two overlapping scopes do the same. This module therefore works on *atoms*:
the groups of people who are in exactly the same openable scopes. Every scope is a union of
atoms, and so is anything a reader can work out by adding and subtracting scopes.

``protect`` publishes a table ``{scope: {cell: count or None}}`` (None: hidden) such that
1. no atom holds 1–4 people: scopes are refused, smallest first, until each atom is empty or
   has at least ``THRESHOLD`` people, so a difference of two totals is never 1–4;
2. for each cell, the scopes that show it split the people into classes (atoms merged by the
   shown scopes) whose counts are each 0, or at least ``THRESHOLD`` and short of the whole
   class (a cell holding everyone tells each person's cell): a shown count, and any sum or
   difference of shown counts, is then a sum of such classes and never 1–4 (primary and
   complementary suppression at once). Scopes are hidden for that cell, smallest first, until
   this holds; hiding more never breaks it, because merging safe classes keeps them safe;
3. in a partition (each person in exactly one cell, e.g. highest education) the hidden cells of
   a scope must not be recoverable from its total: larger cells, then empty ones, are hidden
   too, as in ``suppression.suppress_partition``; a partition whose cells are all hidden is
   best not shown at all (its rows alone say everyone is in one of them).
Totals are published rounded (``rounded_total``) rather than exact.

The same call serves every aggregate (resource maps, evaluation tables, public results): give
it each person's scopes and cells (``atoms_of``), the scope at the top, and the partitions.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import chain

THRESHOLD = 5

ScopeKey = Hashable
CellKey = Hashable


def is_small(count: int) -> bool:
    return 0 < count < THRESHOLD


def rounded_total(count: int) -> int:
    """A total as published: to the nearest multiple of five, never below five."""
    return max(THRESHOLD, THRESHOLD * ((count + THRESHOLD // 2) // THRESHOLD))


@dataclass(frozen=True)
class Atom:
    """People who are in exactly the same scopes, and how many of them are in each cell."""

    scopes: frozenset[ScopeKey]
    people: int
    counts: Mapping[CellKey, int]


def atoms_of(people: Iterable[tuple[Iterable[ScopeKey], Iterable[CellKey]]]) -> list[Atom]:
    """Atoms from (scopes the person is in, cells the person counts in) for each person."""
    # Each atom's cells are counted in one Counter() over all its people's cells (counted in
    # C), not one update per person: a programme of 50,000 people is worked out in half the time.
    grouped: dict[frozenset[ScopeKey], list[Iterable[CellKey]]] = {}
    for scopes, cells in people:
        grouped.setdefault(frozenset(scopes), []).append(cells)
    return [
        Atom(key, len(cells), Counter(chain.from_iterable(cells))) for key, cells in grouped.items()
    ]


@dataclass
class Published:
    """What may be shown: refused scopes show nothing, a None count is a hidden cell."""

    root: ScopeKey
    refused: frozenset[ScopeKey]
    counts: dict[ScopeKey, dict[CellKey, int | None]] = field(default_factory=dict)
    totals: dict[ScopeKey, int] = field(default_factory=dict)  # exact; publish rounded_total

    def shown(self, scope: ScopeKey) -> bool:
        return scope not in self.refused and self.totals.get(scope, 0) >= THRESHOLD


def _population(atoms: Sequence[Atom], scopes: Collection[ScopeKey]) -> dict[ScopeKey, int]:
    population = dict.fromkeys(scopes, 0)
    for atom in atoms:
        for scope in atom.scopes:
            if scope in population:
                population[scope] += atom.people
    return population


def refuse_small_scopes(
    atoms: Sequence[Atom], scopes: Collection[ScopeKey], root: ScopeKey
) -> frozenset[ScopeKey]:
    """Scopes to refuse so that every atom of the rest holds 0 or at least THRESHOLD people."""
    population = _population(atoms, scopes)
    open_ = set(scopes)
    while True:
        merged: Counter[frozenset[ScopeKey]] = Counter()
        for atom in atoms:
            merged[atom.scopes & open_] += atom.people
        small = sorted(
            (people, sorted(map(repr, sig)), sig)
            for sig, people in merged.items()
            if sig and is_small(people)
        )
        candidates = [s for s in open_ if s != root]
        if not small or not candidates:
            break
        signature = small[0][2]
        inside = [s for s in candidates if s in signature] or candidates
        open_.discard(min(inside, key=lambda s: (population[s], repr(s))))
    return frozenset(set(scopes) - open_)


def protect(
    atoms: Sequence[Atom],
    *,
    scopes: Collection[ScopeKey],
    root: ScopeKey,
    cells: Collection[CellKey] | None = None,
    partitions: Sequence[Collection[CellKey]] = (),
) -> Published:
    """The published table for every scope in ``scopes`` (each person's atom lists theirs)."""
    refused = refuse_small_scopes(atoms, scopes, root)
    open_ = [s for s in scopes if s not in refused]
    population = _population(atoms, scopes)
    if cells is None:
        cells = {cell for atom in atoms for cell in atom.counts}
    cells = set(cells).union(*partitions)
    values: dict[CellKey, dict[ScopeKey, int]] = {}
    for cell in cells:
        per_scope = dict.fromkeys(open_, 0)
        for atom in atoms:
            count = atom.counts.get(cell, 0)
            if count:
                for scope in atom.scopes:
                    if scope in per_scope:
                        per_scope[scope] += count
        values[cell] = per_scope
    shown: dict[CellKey, set[ScopeKey]] = {
        cell: _shown_scopes(atoms, cell, set(open_), population) for cell in cells
    }
    for partition in partitions:
        _protect_partition(atoms, partition, open_, values, shown, population)
    published = Published(root=root, refused=refused, totals=population)
    for scope in open_:
        published.counts[scope] = {
            cell: values[cell][scope] if scope in shown[cell] else None for cell in cells
        }
    return published


def _shown_scopes(
    atoms: Sequence[Atom], cell: CellKey, open_: set[ScopeKey], population: Mapping[ScopeKey, int]
) -> set[ScopeKey]:
    shown = set(open_)
    while True:
        classes: Counter[frozenset[ScopeKey]] = Counter()
        sizes: Counter[frozenset[ScopeKey]] = Counter()
        for atom in atoms:
            signature = atom.scopes & shown
            if signature:
                classes[signature] += atom.counts.get(cell, 0)
                sizes[signature] += atom.people
        # A class where everyone is in the cell gives the cell of each of its people away.
        unsafe = [
            sig
            for sig, count in classes.items()
            if is_small(count) or (count and count == sizes[sig])
        ]
        if not unsafe:
            return shown
        signature = min(unsafe, key=lambda sig: (classes[sig], sorted(map(repr, sig))))
        shown.discard(min(signature, key=lambda s: (population[s], repr(s))))


def _protect_partition(
    atoms: Sequence[Atom],
    partition: Collection[CellKey],
    open_: Sequence[ScopeKey],
    values: Mapping[CellKey, Mapping[ScopeKey, int]],
    shown: dict[CellKey, set[ScopeKey]],
    population: Mapping[ScopeKey, int],
) -> None:
    """Hide more cells of a scope until its hidden cells cannot be told from its total."""
    changed = True
    while changed:
        changed = False
        for scope in open_:
            counts = {cell: values[cell][scope] for cell in partition}
            hidden = {c for c in partition if scope not in shown[c]}
            if not hidden or _room(counts, hidden, population[scope]):
                continue
            # Empty cells last: a hidden empty cell keeps a lone hidden cell from being the
            # total minus the rest. With nothing left to hide the scope shows no cell at all.
            rest = [c for c in partition if c not in hidden]
            if not rest:
                continue
            largest = max(rest, key=lambda c: (counts[c] > 0, counts[c], repr(c)))
            shown[largest].discard(scope)
            changed = True


def _room(counts: Mapping[CellKey, int], hidden: set[CellKey], total: int) -> bool:
    """Whether the hidden cells of a partition could add up more than one way (as in
    ``suppression._protected``): at least two hidden, one of them not small, and room left."""
    if len(hidden) < 2:
        return False
    small = [c for c in hidden if is_small(counts[c])]
    larger = [c for c in hidden if not is_small(counts[c])]
    if not small:
        return True
    if not larger:
        return False
    floor = max([THRESHOLD, *(n for c, n in counts.items() if c not in hidden)])
    room = sum(counts[c] for c in hidden) - floor * len(larger)
    return room >= len(small) + 1
