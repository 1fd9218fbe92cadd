"""The team-formation engine: which candidates to propose for which venture.

No Django here, so that it can be tested and benchmarked on generated instances. The pages feed
it plain values (``Candidate``, ``VentureSpec``) and store what it proposes; nothing is assigned.

The model. A proposal ``x[c, v]`` puts candidate ``c`` on venture ``v``; a need ``(v, n)`` is
covered (``y[v, n]``) when somebody on the team has the skill. We maximise

    sum of importance(v, n) * y[v, n]  +  interest_weight * sum of |interests(c) & interests(v)| * x

subject to: each person on at most ``max_ventures_per_person`` ventures (members already on a
team use up their share and stay where they are); a venture that takes new people ends between its
minimum and maximum team size (``z[v]`` says whether it takes any); a person is only proposed
for a venture in their own municipality or one that works remotely.

Small instances are solved exactly as a MILP by HiGHS (warm-started from the heuristic). Large
ones get a lazy greedy (coverage is submodular, so gains only shrink) and a local search of moves
and swaps, and their bound comes from the LP relaxation without the minimum sizes (dropping
constraints keeps the bound valid). A time limit returns the best solution found and its bound.
The seed breaks ties; the same data and seed give the same proposals.
"""

from __future__ import annotations

import heapq
import random
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

import highspy
import numpy as np

Progress = Callable[[float, str], None]

EXACT = "exact"
INTEREST_POOL = 40  # the local search tries this many people per venture for interest fit
GREEDY_POOL = 100  # the first greedy pass considers this many people per venture
REFILL_POOL = 60  # ... and this many to take the place of someone it moves
KICKS = 40  # at most this many perturbations once the local search is stuck with a gap
HEURISTIC = "heuristic"


@dataclass(frozen=True)
class Candidate:
    key: str
    skills: frozenset[str]
    interests: frozenset[str] = frozenset()
    municipality: str = ""


@dataclass(frozen=True)
class Need:
    skill: str
    importance: int


@dataclass(frozen=True)
class VentureSpec:
    key: str
    needs: tuple[Need, ...]
    interests: frozenset[str] = frozenset()
    min_size: int = 1
    max_size: int = 6
    municipality: str = ""
    remote_friendly: bool = False
    members: tuple[str, ...] = ()  # candidates already on the team: kept
    covered: frozenset[str] = frozenset()  # skills of members who are not candidates


@dataclass(frozen=True)
class Settings:
    interest_weight: float = 0.25
    max_ventures_per_person: int = 1
    time_limit: float = 10.0
    seed: int = 0
    exact_max_pairs: int = 60_000  # past this many possible proposals, the heuristic


@dataclass(frozen=True)
class Explanation:
    candidate: str
    venture: str
    covers: tuple[str, ...]  # needed skills this person brings
    only_one: tuple[str, ...]  # ... of which nobody else on the team has
    interests: tuple[str, ...]  # shared interests
    alternative: str  # the venture where the person would have added most otherwise ("": none)
    alternative_gain: float
    gain: float  # what the person adds here (their share of the objective)


@dataclass
class Solution:
    teams: dict[str, tuple[str, ...]]  # venture → newly proposed candidates, sorted
    objective: float
    bound: float | None
    method: str
    optimal: bool
    seconds: float
    explanations: list[Explanation] = field(default_factory=list)
    coverage: float = 0.0  # share of the coverable importance that is covered

    @property
    def gap(self) -> float | None:
        if self.bound is None:
            return None
        if self.bound <= 1e-9:
            return 0.0
        return max(0.0, (self.bound - self.objective) / self.bound)


class _Instance:
    """The instance in index form, shared by the exact model and the heuristic."""

    def __init__(
        self, candidates: Sequence[Candidate], ventures: Sequence[VentureSpec], settings: Settings
    ) -> None:
        self.candidates = list(candidates)
        self.ventures = list(ventures)
        self.settings = settings
        index = {c.key: i for i, c in enumerate(self.candidates)}
        self.capacity = [settings.max_ventures_per_person] * len(self.candidates)
        self.members: list[list[int]] = []
        for venture in self.ventures:
            kept = [index[key] for key in venture.members if key in index]
            for i in kept:
                self.capacity[i] -= 1
            self.members.append(kept)
        # Needs still open after the kept members: importance per skill, per venture.
        self.open_needs: list[dict[str, int]] = []
        self.room: list[int] = []
        self.minimum: list[int] = []
        for v, venture in enumerate(self.ventures):
            have = set(venture.covered)
            for i in self.members[v]:
                have |= self.candidates[i].skills
            needs: dict[str, int] = {}
            for need in venture.needs:
                if need.skill not in have:
                    needs[need.skill] = max(needs.get(need.skill, 0), need.importance)
            self.open_needs.append(needs)
            size = len(self.members[v])
            self.room.append(max(0, venture.max_size - size))
            self.minimum.append(max(0, venture.min_size - size))
        by_place: dict[str, list[int]] = {}
        remote: list[int] = []
        for v, venture in enumerate(self.ventures):
            if self.room[v] == 0:
                continue
            if venture.remote_friendly:
                remote.append(v)
            else:
                by_place.setdefault(venture.municipality, []).append(v)
        # Every possible proposal (c, v) with the person's gain there on an empty team.
        self.pairs: list[tuple[int, int]] = []
        self.pair_interest: list[float] = []
        self.pair_covers: list[tuple[str, ...]] = []
        self.pair_gain: list[float] = []  # on an empty team
        weight = settings.interest_weight
        for c, candidate in enumerate(self.candidates):
            if self.capacity[c] <= 0:
                continue
            reachable = remote + by_place.get(candidate.municipality, [])
            for v in sorted(reachable):
                if c in self.members[v]:
                    continue
                needs = self.open_needs[v]
                covers = tuple(sorted(s for s in candidate.skills if s in needs))
                shared = len(candidate.interests & self.ventures[v].interests)
                self.pairs.append((c, v))
                self.pair_interest.append(weight * shared)
                self.pair_covers.append(covers)
                self.pair_gain.append(weight * shared + sum(needs[s] for s in covers))

    @property
    def coverable(self) -> float:
        """The importance that any reachable candidate could cover (an easy upper bound)."""
        seen: set[tuple[int, str]] = set()
        for (_c, v), covers in zip(self.pairs, self.pair_covers, strict=True):
            seen.update((v, skill) for skill in covers)
        return float(sum(self.open_needs[v][skill] for v, skill in seen))


# --- The exact model -------------------------------------------------------------------------


@dataclass
class Model:
    """The MILP in HiGHS form, kept apart so the benchmark can time the bare solver."""

    lp: highspy.HighsLp
    pair_columns: int
    z_columns: dict[int, int]  # venture → column of z


def build_model(instance: _Instance, *, relax_minimum: bool = False, integer: bool = True) -> Model:
    """The MILP (or, with ``integer=False``, its LP relaxation). Without the minimum sizes a
    proposal that adds nothing can never raise the objective, so those columns are left out."""
    chosen = list(range(len(instance.pairs)))
    if relax_minimum:
        chosen = [p for p in chosen if instance.pair_covers[p] or instance.pair_interest[p] > 0]
    pairs = [instance.pairs[p] for p in chosen]
    n_pairs = len(pairs)
    n_people = len(instance.candidates)
    n_ventures = len(instance.ventures)
    # Rows: people, then the upper size of each venture, then the lower size, then coverage.
    cover_rows: dict[tuple[int, str], int] = {}
    row = n_people + n_ventures
    lower_rows: dict[int, int] = {}
    if not relax_minimum:
        for v in range(n_ventures):
            if instance.minimum[v] > 0 and instance.room[v] > 0:
                lower_rows[v] = row
                row += 1
    for v, needs in enumerate(instance.open_needs):
        for skill in sorted(needs):
            cover_rows[(v, skill)] = row
            row += 1
    z_columns: dict[int, int] = {}
    col = n_pairs + len(cover_rows)
    for v in sorted(lower_rows):
        z_columns[v] = col
        col += 1
    n_cols = col
    starts = [0]
    indices: list[int] = []
    values: list[float] = []
    costs: list[float] = []
    for p, (c, v) in zip(chosen, pairs, strict=True):
        indices.append(c)
        values.append(1.0)
        indices.append(n_people + v)
        values.append(1.0)
        if v in lower_rows:
            indices.append(lower_rows[v])
            values.append(1.0)
        for skill in instance.pair_covers[p]:
            indices.append(cover_rows[(v, skill)])
            values.append(-1.0)
        starts.append(len(indices))
        costs.append(instance.pair_interest[p])
    for (v, skill), r in cover_rows.items():
        indices.append(r)
        values.append(1.0)
        starts.append(len(indices))
        costs.append(float(instance.open_needs[v][skill]))
    for v, zc in z_columns.items():
        indices.append(n_people + v)
        values.append(-float(instance.room[v]))
        indices.append(lower_rows[v])
        values.append(-float(instance.minimum[v]))
        starts.append(len(indices))
        costs.append(0.0)
        assert zc == len(starts) - 2  # noqa: S101 - columns are laid out in this order
    row_lower = [-highspy.kHighsInf] * row
    row_upper = [0.0] * row
    for c in range(n_people):
        row_upper[c] = float(max(0, instance.capacity[c]))
    for v in range(n_ventures):
        row_upper[n_people + v] = 0.0 if v in z_columns else float(instance.room[v])
    for r in lower_rows.values():
        row_lower[r] = 0.0
        row_upper[r] = highspy.kHighsInf
    for r in cover_rows.values():
        row_upper[r] = 0.0
    lp = highspy.HighsLp()
    lp.num_col_ = n_cols
    lp.num_row_ = row
    lp.col_cost_ = np.array(costs, dtype=np.float64)
    lp.col_lower_ = np.zeros(n_cols)
    lp.col_upper_ = np.ones(n_cols)
    lp.row_lower_ = np.array(row_lower, dtype=np.float64)
    lp.row_upper_ = np.array(row_upper, dtype=np.float64)
    lp.sense_ = highspy.ObjSense.kMaximize
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = np.array(starts, dtype=np.int32)
    lp.a_matrix_.index_ = np.array(indices, dtype=np.int32)
    lp.a_matrix_.value_ = np.array(values, dtype=np.float64)
    if integer:
        kinds = [highspy.HighsVarType.kInteger] * n_pairs
        kinds += [highspy.HighsVarType.kContinuous] * len(cover_rows)
        kinds += [highspy.HighsVarType.kInteger] * len(z_columns)
        lp.integrality_ = kinds
    return Model(lp=lp, pair_columns=n_pairs, z_columns=z_columns)


def new_solver(*, time_limit: float, seed: int) -> highspy.Highs:
    solver = highspy.Highs()  # type: ignore[no-untyped-call]
    solver.setOptionValue("output_flag", False)
    solver.setOptionValue("time_limit", max(0.1, float(time_limit)))
    solver.setOptionValue("random_seed", int(seed) % 2_147_483_647)
    solver.setOptionValue("threads", 1)  # the same answer every time
    solver.setOptionValue("mip_rel_gap", 1e-6)
    return solver


def _run(solver: highspy.Highs) -> None:
    """Run on a thread of its own: HiGHS keeps one task scheduler per calling thread, sized by
    the first run on it, and refuses a later run that asks for another number of threads. A
    solver elsewhere in the process (the disclosure check, a test) must not turn our exact
    search into an error, so each run starts a fresh scheduler of one thread and ends it."""
    failure: list[BaseException] = []

    def target() -> None:
        try:
            solver.run()
        except BaseException as error:  # handed back to the caller below
            failure.append(error)

    worker = threading.Thread(target=target, name="samvirke-highs")
    worker.start()
    worker.join()
    if failure:
        raise failure[0]


def _solve_exact(
    instance: _Instance, start: list[list[int]], deadline: float, seed: int
) -> tuple[list[list[int]], float, bool] | None:
    model = build_model(instance)
    solver = new_solver(time_limit=deadline - time.perf_counter(), seed=seed)
    solver.passModel(model.lp)
    warm = np.zeros(model.lp.num_col_)
    position = {pair: p for p, pair in enumerate(instance.pairs)}
    for v, team in enumerate(start):
        for c in team:
            warm[position[(c, v)]] = 1.0
        if v in model.z_columns and team:
            warm[model.z_columns[v]] = 1.0
    covered = _coverage_of(instance, start)
    for r, key in enumerate(
        (v, skill) for v, needs in enumerate(instance.open_needs) for skill in sorted(needs)
    ):
        warm[model.pair_columns + r] = 1.0 if key in covered else 0.0
    solution = highspy.HighsSolution()
    solution.col_value = list(warm)
    solver.setSolution(solution)
    _run(solver)
    status = solver.getModelStatus()
    info = solver.getInfo()
    if info.primal_solution_status == 0:
        return None
    values = solver.getSolution().col_value
    teams: list[list[int]] = [[] for _ in instance.ventures]
    for p in range(model.pair_columns):
        if values[p] > 0.5:
            c, v = instance.pairs[p]
            teams[v].append(c)
    optimal = status == highspy.HighsModelStatus.kOptimal
    bound = float(info.mip_dual_bound)
    return teams, bound, optimal


def lp_bound(instance: _Instance, *, time_limit: float, seed: int) -> float | None:
    """The LP relaxation without the minimum sizes: an upper bound on any proposal set."""
    if not instance.pairs:
        return 0.0
    model = build_model(instance, relax_minimum=True, integer=False)
    solver = new_solver(time_limit=time_limit, seed=seed)
    solver.passModel(model.lp)
    _run(solver)
    if solver.getModelStatus() != highspy.HighsModelStatus.kOptimal:
        return None
    return float(solver.getInfo().objective_function_value)


# --- The heuristic ---------------------------------------------------------------------------


def _coverage_of(instance: _Instance, teams: list[list[int]]) -> set[tuple[int, str]]:
    covered: set[tuple[int, str]] = set()
    for v, team in enumerate(teams):
        needs = instance.open_needs[v]
        for c in team:
            covered.update((v, s) for s in instance.candidates[c].skills if s in needs)
    return covered


def objective_of(instance: _Instance, teams: list[list[int]]) -> float:
    weight = instance.settings.interest_weight
    total = float(sum(instance.open_needs[v][s] for v, s in _coverage_of(instance, teams)))
    for v, team in enumerate(teams):
        interests = instance.ventures[v].interests
        total += weight * sum(len(instance.candidates[c].interests & interests) for c in team)
    return float(total)


class _State:
    """Teams with a count of how many members cover each open need, for quick deltas."""

    def __init__(self, instance: _Instance) -> None:
        self.instance = instance
        self.teams: list[set[int]] = [set() for _ in instance.ventures]
        self.count: list[dict[str, int]] = [dict.fromkeys(n, 0) for n in instance.open_needs]
        self.load = list(instance.capacity)  # what each person still has room for
        self.on: list[set[int]] = [set() for _ in instance.candidates]
        weight = instance.settings.interest_weight
        self.interest: dict[tuple[int, int], float] = {}
        for p, pair in enumerate(instance.pairs):
            self.interest[pair] = instance.pair_interest[p]
        self.weight = weight

    def gain(self, c: int, v: int) -> float:
        needs = self.instance.open_needs[v]
        count = self.count[v]
        total = self.interest[(c, v)]
        for skill in self.instance.candidates[c].skills:
            if skill in needs and count[skill] == 0:
                total += needs[skill]
        return total

    def loss(self, c: int, v: int) -> float:
        needs = self.instance.open_needs[v]
        count = self.count[v]
        total = self.interest[(c, v)]
        for skill in self.instance.candidates[c].skills:
            if skill in needs and count[skill] == 1:
                total += needs[skill]
        return total

    def add(self, c: int, v: int) -> None:
        self.teams[v].add(c)
        self.on[c].add(v)
        self.load[c] -= 1
        count = self.count[v]
        for skill in self.instance.candidates[c].skills:
            if skill in count:
                count[skill] += 1

    def remove(self, c: int, v: int) -> None:
        self.teams[v].discard(c)
        self.on[c].discard(v)
        self.load[c] += 1
        count = self.count[v]
        for skill in self.instance.candidates[c].skills:
            if skill in count:
                count[skill] -= 1

    def full(self, v: int) -> bool:
        return len(self.teams[v]) >= self.instance.room[v]


def _greedy(
    instance: _Instance, rng: random.Random, state: _State, pool: int | None = None
) -> None:
    """Add the person with the largest gain until no gain is left (gains only shrink, so a
    stale entry is pushed back with its true gain). With ``pool``, each venture starts from its
    ``pool`` most promising people only: a team of six never needs the other thousand."""
    by_venture: dict[int, list[tuple[float, int]]] = {}
    if not any(state.teams):  # on empty teams the gain was worked out with the instance
        for (c, v), gain in zip(instance.pairs, instance.pair_gain, strict=True):
            if gain > 0:
                by_venture.setdefault(v, []).append((-gain, c))
    else:
        for c, v in instance.pairs:
            if state.load[c] > 0 and not state.full(v):
                gain = state.gain(c, v)
                if gain > 0:
                    by_venture.setdefault(v, []).append((-gain, c))
    heap: list[tuple[float, float, int, int]] = []
    for v in sorted(by_venture):
        entries = by_venture[v]
        if pool is not None and len(entries) > pool:
            entries = heapq.nsmallest(pool, entries)
        heap.extend((negative, rng.random(), c, v) for negative, c in entries)
    heapq.heapify(heap)
    while heap:
        negative, tie, c, v = heapq.heappop(heap)
        if state.load[c] <= 0 or state.full(v) or c in state.teams[v]:
            continue
        gain = state.gain(c, v)
        if gain <= 0:
            continue
        if gain < -negative - 1e-12:
            heapq.heappush(heap, (-gain, tie, c, v))  # stale: try again with its true gain
            continue
        state.add(c, v)


def _repair_minimum(instance: _Instance, rng: random.Random, state: _State) -> None:
    """A venture that takes people must reach its minimum size, or take nobody."""
    by_venture: dict[int, list[int]] = {}
    for c, v in instance.pairs:
        by_venture.setdefault(v, []).append(c)
    for v in range(len(instance.ventures)):
        team = state.teams[v]
        if not team or len(team) >= instance.minimum[v]:
            continue
        pool = [c for c in by_venture.get(v, []) if state.load[c] > 0 and c not in team]
        pool.sort(key=lambda c: (-state.gain(c, v), rng.random()))
        while pool and len(team) < instance.minimum[v]:
            state.add(pool.pop(0), v)
        if len(team) < instance.minimum[v]:
            for c in list(team):
                state.remove(c, v)


def _local_search(instance: _Instance, rng: random.Random, state: _State, deadline: float) -> None:
    """Moves and swaps that raise the objective, until none is left or time is up."""
    by_need: dict[tuple[int, str], list[int]] = {}
    liked: dict[int, list[tuple[float, int]]] = {}
    for p, (c, v) in enumerate(instance.pairs):
        for skill in instance.pair_covers[p]:
            by_need.setdefault((v, skill), []).append(c)
        if instance.pair_interest[p] > 0:
            liked.setdefault(v, []).append((-instance.pair_interest[p], c))
    # The people each venture would like most for their interests alone.
    fans = {v: [c for _w, c in sorted(pool)[:INTEREST_POOL]] for v, pool in liked.items()}
    improved = True
    while improved and time.perf_counter() < deadline:
        improved = False
        order = list(range(len(instance.ventures)))
        rng.shuffle(order)
        for v in order:
            if time.perf_counter() >= deadline:
                return
            for skill in sorted(instance.open_needs[v]):
                if state.count[v][skill] > 0:
                    continue
                if _bring_in(instance, state, v, by_need.get((v, skill), []), by_need):
                    improved = True
            if _bring_in(instance, state, v, fans.get(v, []), by_need):
                improved = True


def _kick_out_of_gaps(
    instance: _Instance, rng: random.Random, state: _State, deadline: float
) -> None:
    """Iterated local search: the moves above get stuck when covering a gap needs two people to
    change places at once. While a need someone could cover is still open, move one person who
    could cover it into the venture (taking a member out if it is full), refill what they left,
    search again, and keep the result only if it is better. A fixed number of kicks from the
    seeded ``rng``, so the same data and seed give the same proposals (unless the time limit
    stops it first)."""
    by_need: dict[tuple[int, str], list[int]] = {}
    for p, (c, v) in enumerate(instance.pairs):
        for skill in instance.pair_covers[p]:
            by_need.setdefault((v, skill), []).append(c)
    best_teams = [sorted(team) for team in state.teams]
    best = objective_of(instance, best_teams)
    for _kick in range(KICKS):
        if time.perf_counter() >= deadline:
            break
        gaps = [
            (v, skill)
            for v in range(len(instance.ventures))
            for skill in sorted(instance.open_needs[v])
            if state.count[v][skill] == 0 and by_need.get((v, skill))
        ]
        if not gaps:
            break
        v, skill = gaps[rng.randrange(len(gaps))]
        holder = by_need[(v, skill)][rng.randrange(len(by_need[(v, skill)]))]
        for w in sorted(state.on[holder]):
            state.remove(holder, w)
        if state.full(v) and state.teams[v]:
            state.remove(rng.choice(sorted(state.teams[v])), v)
        state.add(holder, v)  # the gap is covered; the rest of the search makes room for it
        _greedy(instance, rng, state)
        _repair_minimum(instance, rng, state)
        _local_search(instance, rng, state, deadline)
        _greedy(instance, rng, state)
        _repair_minimum(instance, rng, state)
        teams = [sorted(team) for team in state.teams]
        now = objective_of(instance, teams)
        if now > best + 1e-9:
            best, best_teams = now, teams
            continue
        for w, members in enumerate(state.teams):  # back to the best found
            for c in sorted(members):
                state.remove(c, w)
        for w, chosen in enumerate(best_teams):
            for c in chosen:
                state.add(c, w)


def _bring_in(
    instance: _Instance,
    state: _State,
    v: int,
    people: list[int],
    by_need: dict[tuple[int, str], list[int]],
) -> bool:
    """Bring one person who covers an open need of ``v``: free, or moved from another venture
    (which a free person may then refill), or swapped for a member of a full team."""
    # (delta, person, from venture, refill of that venture, out member)
    best: tuple[float, int, int, int, int] | None = None
    for c in people:
        if c in state.teams[v]:
            continue
        gain = state.gain(c, v)
        # Where the person comes from: nowhere (free), or a venture they would leave.
        sources = [-1] if state.load[c] > 0 else sorted(state.on[c])
        for source in sources:
            cost, refill = 0.0, -1
            if source >= 0:
                cost, refill = _leaving_cost(instance, state, c, source, by_need)
                if refill < 0 and len(state.teams[source]) - 1 < instance.minimum[source]:
                    continue
            if not state.full(v):
                options = [(-1, 0.0)]
            else:
                options = [(m, _loss_without(state, m, v, c)) for m in sorted(state.teams[v])]
            for out, out_cost in options:
                delta = gain - cost - out_cost
                if delta > 1e-9 and (best is None or delta > best[0]):
                    best = (delta, c, source, refill, out)
    if best is None:
        return False
    _delta, c, source, refill, out = best
    if source >= 0:
        state.remove(c, source)
        if refill >= 0 and state.load[refill] > 0 and refill not in state.teams[source]:
            state.add(refill, source)
    if out >= 0:
        state.remove(out, v)
    state.add(c, v)
    return True


def _leaving_cost(
    instance: _Instance,
    state: _State,
    c: int,
    source: int,
    by_need: dict[tuple[int, str], list[int]],
) -> tuple[float, int]:
    """What ``source`` loses when ``c`` leaves, net of the best free person to take the place."""
    loss = state.loss(c, source)
    needs = instance.open_needs[source]
    lost = [s for s in instance.candidates[c].skills if s in needs and state.count[source][s] == 1]
    state.remove(c, source)
    best_gain, best = 0.0, -1
    for skill in sorted(lost):
        for f in by_need.get((source, skill), [])[:REFILL_POOL]:
            if f == c or state.load[f] <= 0 or f in state.teams[source]:
                continue
            gain = state.gain(f, source)
            if gain > best_gain + 1e-12:
                best_gain, best = gain, f
    state.add(c, source)
    return loss - best_gain, best


def _loss_without(state: _State, member: int, v: int, incoming: int) -> float:
    """What ``v`` loses when ``member`` leaves and ``incoming`` joins (the incoming person's own
    gain is counted by the caller, so skills they also have are no loss)."""
    needs = state.instance.open_needs[v]
    count = state.count[v]
    incoming_skills = state.instance.candidates[incoming].skills
    total = state.interest[(member, v)]
    for skill in state.instance.candidates[member].skills:
        if skill in needs and count[skill] == 1:
            total += needs[skill]
            if skill in incoming_skills:
                total -= needs[skill]
    return total


# --- Running it --------------------------------------------------------------------------------


def propose_teams(
    candidates: Iterable[Candidate],
    ventures: Iterable[VentureSpec],
    settings: Settings | None = None,
    progress: Progress | None = None,
) -> Solution:
    """Proposals for every venture, with the objective, its bound and an explanation each."""
    settings = settings or Settings()
    report: Progress = progress or (lambda _share, _message: None)
    started = time.perf_counter()
    deadline = started + settings.time_limit
    # A fixed order: the same data give the same instance whatever order it came in.
    people = sorted(candidates, key=lambda c: c.key)
    projects = sorted(ventures, key=lambda v: v.key)
    report(0.05, "building")
    instance = _Instance(people, projects, settings)
    rng = random.Random(settings.seed)  # noqa: S311 - tie-breaking, not security
    state = _State(instance)
    report(0.15, "greedy")
    _greedy(instance, rng, state, pool=GREEDY_POOL)
    _repair_minimum(instance, rng, state)
    exact = len(instance.pairs) <= settings.exact_max_pairs
    bound: float | None = None
    if not exact and instance.pairs:
        # The bound first, on a share of the time, so that the search can have the rest.
        report(0.3, "bound")
        budget = max(1.0, 0.6 * (deadline - time.perf_counter()))
        bound = lp_bound(instance, time_limit=budget, seed=settings.seed)
    report(0.5, "local search")
    search_until = (started + settings.time_limit * 0.2) if exact else (deadline - 1.5)
    before = -1.0
    for _round in range(4):  # moves free places; the greedy fills them; until nothing changes
        _local_search(instance, rng, state, search_until)
        _greedy(instance, rng, state)
        _repair_minimum(instance, rng, state)
        now = objective_of(instance, [sorted(team) for team in state.teams])
        if now <= before + 1e-9 or time.perf_counter() >= search_until:
            break
        before = now
    if not exact:
        kicks_until = min(search_until, time.perf_counter() + settings.time_limit * 0.2)
        _kick_out_of_gaps(instance, rng, state, kicks_until)
    teams = [sorted(team) for team in state.teams]
    objective = objective_of(instance, teams)
    optimal = False
    method = HEURISTIC
    if exact and instance.pairs:
        report(0.6, "exact")
        found = _solve_exact(instance, teams, deadline, settings.seed)
        if found is not None:
            exact_teams, bound, optimal = found
            exact_objective = objective_of(instance, exact_teams)
            if exact_objective >= objective - 1e-9:
                teams, objective = [sorted(t) for t in exact_teams], exact_objective
            method = EXACT
    elif instance.pairs:
        if bound is None:
            bound = objective + instance.coverable  # the LP ran out of time: weak, but a bound
    else:
        bound, optimal = 0.0, True
    if bound is not None and bound < objective:
        bound = objective  # numerical noise from the solver
    report(0.95, "explaining")
    solution = Solution(
        teams={
            instance.ventures[v].key: tuple(sorted(instance.candidates[c].key for c in team))
            for v, team in enumerate(teams)
        },
        objective=round(objective, 6),
        bound=None if bound is None else round(bound, 6),
        method=method,
        optimal=optimal or (bound is not None and bound - objective < 1e-6),
        seconds=time.perf_counter() - started,
        explanations=_explain(instance, teams),
    )
    coverable = instance.coverable
    covered = sum(instance.open_needs[v][s] for v, s in _coverage_of(instance, teams))
    solution.coverage = 1.0 if coverable == 0 else covered / coverable
    report(1.0, "done")
    return solution


def _explain(instance: _Instance, teams: list[list[int]]) -> list[Explanation]:
    reachable: dict[int, list[int]] = {}
    for c, v in instance.pairs:
        reachable.setdefault(c, []).append(v)
    state = _State(instance)
    for v, team in enumerate(teams):
        for c in team:
            state.add(c, v)
    explanations = []
    for v, team in enumerate(teams):
        venture = instance.ventures[v]
        needs = instance.open_needs[v]
        for c in team:
            person = instance.candidates[c]
            covers = tuple(sorted(s for s in person.skills if s in needs))
            only = tuple(s for s in covers if state.count[v][s] == 1)
            alternative, alternative_gain = "", 0.0
            for other in reachable.get(c, []):
                if other == v:
                    continue
                gain = state.gain(c, other)
                if gain > alternative_gain:
                    alternative, alternative_gain = instance.ventures[other].key, gain
            explanations.append(
                Explanation(
                    candidate=person.key,
                    venture=venture.key,
                    covers=covers,
                    only_one=only,
                    interests=tuple(sorted(person.interests & venture.interests)),
                    alternative=alternative,
                    alternative_gain=round(alternative_gain, 6),
                    gain=round(state.loss(c, v), 6),
                )
            )
    explanations.sort(key=lambda e: (e.venture, e.candidate))
    return explanations


# --- Generated instances (tests and the benchmark) ---------------------------------------------


def generated_instance(
    *,
    candidates: int,
    ventures: int,
    seed: int = 0,
    skills: int = 40,
    municipalities: int = 20,
    remote_share: float = 0.3,
    needs_per_venture: int = 5,
    planted: bool = True,
) -> tuple[list[Candidate], list[VentureSpec]]:
    """A random instance; when ``planted``, each venture has a team that covers every need
    (its first candidates), so full coverage is possible."""
    rng = random.Random(seed)  # noqa: S311
    vocabulary = [f"skill-{i:02d}" for i in range(skills)]
    interests = [f"interest-{i:02d}" for i in range(12)]
    places = [f"m{i:03d}" for i in range(municipalities)]
    specs: list[VentureSpec] = []
    people: list[Candidate] = []
    for v in range(ventures):
        needs = rng.sample(vocabulary, needs_per_venture)
        place = rng.choice(places)
        specs.append(
            VentureSpec(
                key=f"v{v:04d}",
                needs=tuple(Need(s, rng.choice((1, 2, 3))) for s in needs),
                interests=frozenset(rng.sample(interests, 2)),
                min_size=2,
                max_size=5,
                municipality=place,
                remote_friendly=rng.random() < remote_share,
            )
        )
        if planted:
            # Two or three people who between them have every need, in the venture's town.
            size = rng.choice((2, 3))
            for k in range(size):
                own = set(needs[k::size]) | set(rng.sample(vocabulary, 1))
                people.append(
                    Candidate(
                        key=f"c{len(people):05d}",
                        skills=frozenset(own),
                        interests=frozenset(rng.sample(interests, 2)),
                        municipality=place,
                    )
                )
    while len(people) < candidates:
        people.append(
            Candidate(
                key=f"c{len(people):05d}",
                skills=frozenset(rng.sample(vocabulary, rng.randint(1, 4))),
                interests=frozenset(rng.sample(interests, rng.randint(0, 3))),
                municipality=rng.choice(places),
            )
        )
    return people[: max(candidates, len(people))], specs
