"""Assigning judges to entries, optimally, as a min-cost flow (OR-Tools).

Hard constraints: every entry gets exactly ``per_entry`` distinct judges; a judge takes at
most their ``max_load``; judges only judge their categories; no judge sees an entry they
conflict with — an explicit conflict, or a unit conflict (one unit path is a prefix of the
other on ``/`` boundaries: a judge from ``cq/yongchuan`` conflicts with an entry from
``cq/yongchuan/factory3`` and the other way round).

Objectives, in this order: the hard constraints; loads as even as they allow; the greatest
total affinity. The flow network is source → entry (supply = reviews needed) → judge (one
arc per eligible pair, cost −affinity) → sink, where a judge's arcs to the sink cost
``BIG · t`` for their t-th review. That convex cost makes the cheapest flow the most even
one (least sum of squared loads); ``BIG`` exceeds any total-affinity difference, so affinity
only decides among equally even assignments. Ties are broken by the seed, which only
permutes the order the solver meets judges and entries in.

Large instances are pruned: each entry keeps its best candidates (highest affinity first,
then judges spread evenly) — but a pruned answer is kept only when it is feasible and as
even as any answer could be; otherwise the candidate lists grow, up to the full problem.

Bridges. Judges who name categories form one *panel* per category: the judges whose
``categories`` include it (a judge with none belongs to no panel and never bridges). Panels
that share no judge cannot be compared: a harsh panel looks like a weak category. With
``bridges`` = N, at least N judges of every panel also review another category — *bridging
reviews*, of an entry outside the judge's categories (``core.design``). Before the flow,
each chosen judge is given ``bridge_reviews`` entries of the next category in name order
(the last category's judges take the first's: a ring, so the categories are joined and
every panel bridges), fewer if their cap would leave no review for their own categories
or the category has too few entries for every bridging judge to have ``bridge_reviews``.
They are fixed pairs, so they count towards K and the judge's load (they replace reviews,
never add any); they go to distinct entries while there are enough, never take an entry's
last review from its own panel, and respect conflicts and caps. The flow then fills the
rest as always. Every panel gives as many bridging reviews as it takes, so loads stay as
even as the unbridged design's — unless conflicts, caps or a small category cut some
bridges short: a panel then works the difference more or less. Last, if the entry–judge
graph still falls into parts (the flow may split a panel in two), pairs of reviews are
swapped between parts — loads unchanged, the swap losing the least affinity for its two
judges — until it is one whole. What cannot be bridged (a panel of fewer than N judges,
one judge per entry, conflicts or caps leaving no room, parts no swap can join) raises
``InfeasibleAssignment`` with shortfalls of kind ``bridges``; a problem that cannot be
solved without bridges either gives that reason instead.
"""

import dataclasses
import math
import time
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
from ortools.graph.python import min_cost_flow

from laurel.core.design import bridging_review, design_parts

AFFINITY_SCALE = 1000  # affinities are compared to three decimals
FULL_PROBLEM_PAIRS = 4_000_000  # up to this many eligible pairs, no pruning
INT64_HEADROOM = 2**62
BRIDGE_REVIEWS = 20  # reviews each bridging judge gives in another category, by default


@dataclass(frozen=True)
class Entry:
    id: str
    category: str = ""
    unit: str = ""


@dataclass(frozen=True)
class Judge:
    id: str
    categories: frozenset[str] = frozenset()  # empty: every category
    unit: str = ""
    max_load: int | None = None  # None: no cap


@dataclass
class AssignmentProblem:
    entries: list[Entry]
    judges: list[Judge]
    per_entry: int
    conflicts: set[tuple[str, str]] = field(default_factory=set)  # (judge, entry)
    affinity: dict[tuple[str, str], float] = field(default_factory=dict)  # (judge, entry)
    bridges: int = 0  # judges of every category panel who also review another category
    bridge_reviews: int = BRIDGE_REVIEWS  # reviews each of them gives there


@dataclass
class Assignment:
    pairs: list[tuple[str, str]]  # (entry, judge): entries in input order, K judges each
    loads: dict[str, int]  # every judge, including those with no review
    total_affinity: float
    pruned: bool = False
    seconds: float = 0.0

    @property
    def load_range(self) -> tuple[int, int]:
        loads = list(self.loads.values()) or [0]
        return min(loads), max(loads)


@dataclass(frozen=True)
class Shortfall:
    """One reason the problem cannot be solved, for people: ``message`` says it whole."""

    kind: str  # entry | category | capacity | flow | bridges
    message: str
    entries: tuple[str, ...] = ()


class InfeasibleAssignment(ValueError):
    def __init__(self, shortfalls: list[Shortfall]):
        self.shortfalls = shortfalls
        super().__init__("; ".join(s.message for s in shortfalls))


def units_conflict(a: str, b: str) -> bool:
    """One unit path is the other or lies below it, on ``/`` boundaries."""
    if not a or not b:
        return False
    a, b = a.strip("/"), b.strip("/")
    return a == b or a.startswith(b + "/") or b.startswith(a + "/")


def assign(
    problem: AssignmentProblem,
    *,
    seed: int = 0,
    fixed: Iterable[tuple[str, str]] = (),
    full_problem_pairs: int = FULL_PROBLEM_PAIRS,
) -> Assignment:
    """Solve ``problem``; ``fixed`` (entry, judge) pairs are kept and count towards K and
    loads. Raises ``InfeasibleAssignment`` naming what cannot be satisfied."""
    started = time.perf_counter()
    if problem.bridges > 0:
        result = _Bridged(problem, seed=seed, fixed=list(fixed)).solve(full_problem_pairs)
    else:
        result = _Solver(problem, seed=seed, fixed=list(fixed)).solve(full_problem_pairs)
    result.seconds = time.perf_counter() - started
    return result


def reassign(
    problem: AssignmentProblem,
    previous: Iterable[tuple[str, str]],
    *,
    drop_judges: Iterable[str] = (),
    new_conflicts: Iterable[tuple[str, str]] = (),
    seed: int = 0,
) -> tuple[AssignmentProblem, Assignment]:
    """After judges drop out or declare (judge, entry) conflicts: keep every untouched
    (entry, judge) pair of ``previous`` and move only the freed slots.

    Returns the changed problem and the new assignment.
    """
    dropped = set(drop_judges)
    conflicts = set(problem.conflicts) | set(new_conflicts)
    changed = dataclasses.replace(
        problem, judges=[j for j in problem.judges if j.id not in dropped], conflicts=conflicts
    )
    kept = [(e, j) for e, j in previous if j not in dropped and (j, e) not in conflicts]
    return changed, assign(changed, seed=seed, fixed=kept)


class _Solver:
    def __init__(self, problem: AssignmentProblem, *, seed: int, fixed: list[tuple[str, str]]):
        self.problem = problem
        self.k = problem.per_entry
        if self.k < 1:
            raise ValueError("per_entry must be at least 1")
        self.entries = problem.entries
        self.judges = problem.judges
        self.entry_index = _index([e.id for e in self.entries], "entry")
        self.judge_index = _index([j.id for j in self.judges], "judge")
        self.n, self.m = len(self.entries), len(self.judges)
        self.rng = rng = np.random.default_rng(seed)
        # The seed decides the order the solver meets judges in (its only effect: ties).
        self.judge_rank = np.empty(self.m, dtype=np.int64)
        self.judge_rank[rng.permutation(self.m)] = np.arange(self.m)
        self.entry_order = rng.permutation(self.n)
        self.entry_rank = np.empty(self.n, dtype=np.int64)
        self.entry_rank[self.entry_order] = np.arange(self.n)
        self.caps = np.array(
            [self.n if j.max_load is None else max(0, j.max_load) for j in self.judges],
            dtype=np.int64,
        )
        self._fixed(fixed)
        self._eligibility()
        self._affinities()

    # --- set-up ---------------------------------------------------------------------------

    def _fixed(self, fixed):
        self.fixed_by_entry: dict[int, set[int]] = defaultdict(set)
        self.load0 = np.zeros(self.m, dtype=np.int64)
        for entry_id, judge_id in fixed:
            e, j = self.entry_index.get(entry_id), self.judge_index.get(judge_id)
            if e is None or j is None or j in self.fixed_by_entry[e]:
                continue
            self.fixed_by_entry[e].add(j)
            self.load0[j] += 1
        self.need = np.array(
            [max(0, self.k - len(self.fixed_by_entry.get(e, ()))) for e in range(self.n)],
            dtype=np.int64,
        )
        self.free_cap = np.maximum(self.caps - self.load0, 0)

    def _eligibility(self):
        """Entries sharing (category, unit) share one mask of eligible judges; explicit
        conflicts and kept pairs are per-entry exceptions to it."""
        categories = {e.category for e in self.entries}
        category_ok = {
            c: np.array([not j.categories or not c or c in j.categories for j in self.judges])
            for c in categories
        }
        by_unit: dict[str, list[int]] = defaultdict(list)
        below: dict[str, list[int]] = defaultdict(list)  # prefix → judges strictly below it
        for index, judge in enumerate(self.judges):
            unit = judge.unit.strip("/")
            if unit:
                by_unit[unit].append(index)
                parts = unit.split("/")
                for depth in range(1, len(parts)):
                    below["/".join(parts[:depth])].append(index)
        group_of: dict[tuple[str, str], int] = {}
        self.group_masks: list[np.ndarray] = []
        self.entry_group = np.zeros(self.n, dtype=np.int64)
        for e, entry in enumerate(self.entries):
            key = (entry.category, entry.unit.strip("/"))
            if key not in group_of:
                mask = category_ok[entry.category].copy()
                unit = key[1]
                if unit:
                    parts = unit.split("/")
                    conflicting = by_unit.get(unit, []) + below.get(unit, [])
                    for depth in range(1, len(parts)):
                        conflicting = conflicting + by_unit.get("/".join(parts[:depth]), [])
                    mask[conflicting] = False
                group_of[key] = len(self.group_masks)
                self.group_masks.append(mask)
            self.entry_group[e] = group_of[key]
        # (groups × judges), shaped by both: with no judge left, -1 could not be inferred
        groups = len(self.group_masks)
        self.group_matrix = np.array(self.group_masks, dtype=bool).reshape(groups, self.m)
        self.group_order = self.rng.permutation(len(self.group_masks))
        self.group_counts = self.group_matrix.sum(axis=1)
        excluded: dict[int, set[int]] = defaultdict(set)
        for judge_id, entry_id in self.problem.conflicts:
            e, j = self.entry_index.get(entry_id), self.judge_index.get(judge_id)
            if e is not None and j is not None:
                excluded[e].add(j)
        for e, judges in self.fixed_by_entry.items():
            excluded[e] |= judges
        # Exceptions that matter: judges the entry's group mask would otherwise allow.
        keys = [
            e * self.m + j
            for e, judges in excluded.items()
            for j in judges
            if self.group_masks[self.entry_group[e]][j]
        ]
        self.exception_keys = np.unique(np.array(keys, dtype=np.int64))
        self.eligible_count = self.group_counts[self.entry_group] - np.bincount(
            self.exception_keys // self.m, minlength=self.n
        )

    def _affinities(self):
        """Sorted pair keys (entry · m + judge) and their affinities, for lookups."""
        pairs, count = self.problem.affinity, len(self.problem.affinity)
        entry_of = np.fromiter(
            (self.entry_index.get(e, -1) for _j, e in pairs), dtype=np.int64, count=count
        )
        judge_of = np.fromiter(
            (self.judge_index.get(j, -1) for j, _e in pairs), dtype=np.int64, count=count
        )
        values = np.fromiter(pairs.values(), dtype=np.float64, count=count)
        known = (entry_of >= 0) & (judge_of >= 0)
        keys, values = entry_of[known] * self.m + judge_of[known], values[known]
        order = np.argsort(keys, kind="stable")
        self.affinity_keys, self.affinity_values = keys[order], values[order]

    def affinity_of(self, pair_keys: np.ndarray) -> np.ndarray:
        if not len(self.affinity_keys):
            return np.zeros(len(pair_keys))
        at = np.searchsorted(self.affinity_keys, pair_keys)
        at = np.minimum(at, len(self.affinity_keys) - 1)
        found = self.affinity_keys[at] == pair_keys
        return np.where(found, self.affinity_values[at], 0.0)

    # --- solving --------------------------------------------------------------------------

    def solve(self, full_problem_pairs: int) -> Assignment:
        self._precheck()
        total_pairs = int(self.eligible_count.sum())
        width = 0 if total_pairs <= full_problem_pairs else max(4 * self.k, 12)
        while True:
            pruned = bool(width) and width < int(self.eligible_count.max(initial=0))
            starts, ends = self._pairs(width if pruned else 0)
            outcome = self._flow(starts, ends)
            if outcome is not None and (not pruned or self._evenly_loaded(outcome)):
                return self._result(outcome, pruned)
            if not pruned:
                raise InfeasibleAssignment(self._diagnose(starts, ends))
            width *= 2  # the pruned problem was infeasible or less even: widen

    def _pairs(self, width: int) -> tuple[np.ndarray, np.ndarray]:
        """Entry and judge index arrays of the candidate pairs: all eligible pairs when
        ``width`` is 0; otherwise each entry's highest-affinity judges (half the width at
        most) and judges taken in turn from its pool, so every judge of a pool is offered
        about equally often."""
        needing = self.entry_order[self.need[self.entry_order] > 0]
        starts, ends = [], []
        offered = np.zeros(self.m, dtype=np.int64)  # offers so far, to even them out
        for group in self.group_order:
            members = needing[self.entry_group[needing] == group]
            pool = np.flatnonzero(self.group_masks[group])
            if not len(members) or not len(pool):
                continue
            if not width or len(pool) <= width:
                starts.append(np.repeat(members, len(pool)))
                ends.append(np.tile(pool, len(members)))
                offered[pool] += len(members)
                continue
            take = width - width // 2 if len(self.affinity_keys) else width
            pool = pool[np.argsort(self.judge_rank[pool], kind="stable")]
            shares = _water_fill(offered[pool], len(members) * take, most=len(members))
            # Deal the judges (each repeated by its share) to the members like cards: a
            # member gets every len(members)-th card, so never the same judge twice.
            cards = np.repeat(pool, shares)
            starts.append(members[np.arange(len(cards)) % len(members)])
            ends.append(cards)
            offered[pool] += shares
        if width and len(self.affinity_keys):
            best_entries, best_judges = self._best_pairs(width // 2)
            starts.append(best_entries)
            ends.append(best_judges)
        if not starts:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
        keys = np.unique(np.concatenate(starts) * self.m + np.concatenate(ends))
        if len(self.exception_keys):
            keys = keys[~np.isin(keys, self.exception_keys)]
        return keys // self.m, keys % self.m

    def _best_pairs(self, most: int) -> tuple[np.ndarray, np.ndarray]:
        """Each needing entry's ``most`` highest-affinity eligible judges."""
        entry_of = self.affinity_keys // self.m
        judge_of = self.affinity_keys % self.m
        eligible = self.group_matrix[self.entry_group[entry_of], judge_of]
        eligible &= self.need[entry_of] > 0
        entry_of, judge_of = entry_of[eligible], judge_of[eligible]
        values = self.affinity_values[eligible]
        order = np.lexsort((self.judge_rank[judge_of], -values, entry_of))
        entry_of, judge_of = entry_of[order], judge_of[order]
        first = np.searchsorted(entry_of, entry_of)  # where each entry's run starts
        keep = np.arange(len(entry_of)) - first < most
        return entry_of[keep], judge_of[keep]

    def _flow(self, starts: np.ndarray, ends: np.ndarray):
        """The cheapest flow's (entry, judge) arrays, or None when there is no full flow."""
        total_need = int(self.need.sum())
        if total_need == 0:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
        # Judges' convex costs: unit arcs for loads up to `limit`, then one linear tail arc;
        # if any judge needs the tail, the unit arcs are made longer and it is solved again.
        expected = math.ceil((total_need + int(self.load0.sum())) / max(1, self.m))
        limit = expected + expected // 4 + int(self.load0.max(initial=0)) + self.k
        while True:
            outcome, tail_used = self._flow_once(starts, ends, total_need, limit)
            if not tail_used:
                return outcome
            limit *= 2

    def _flow_once(self, starts, ends, total_need: int, limit: int):
        n, m = self.n, self.m
        affinity = self.affinity_of(starts * m + ends)
        scale = AFFINITY_SCALE
        while True:
            affinity_int = np.rint(affinity * scale).astype(np.int64)
            spread = int(max(affinity_int.max(initial=0), 0) - min(affinity_int.min(initial=0), 0))
            big = spread * total_need + 1  # more than any difference in total affinity
            if big * (limit + 2) * (n + m + 2) < INT64_HEADROOM or scale < 1e-6:
                break
            scale /= 10  # keep the solver's arithmetic inside int64
        order = np.lexsort((self.judge_rank[ends], self.entry_rank[starts]))
        starts, ends, affinity_int = starts[order], ends[order], affinity_int[order]
        network = min_cost_flow.SimpleMinCostFlow()
        pair_arcs = network.add_arcs_with_capacity_and_unit_cost(
            starts, ends + n, np.ones(len(starts), dtype=np.int64), -affinity_int
        )
        tail_arcs = self._load_arcs(network, big, limit, sink=n + m)
        supplies = np.concatenate([self.need, np.zeros(m, dtype=np.int64), [-total_need]])
        network.set_nodes_supplies(np.arange(n + m + 1), supplies.astype(np.int64))
        if network.solve() != network.OPTIMAL:
            return None, False
        if len(tail_arcs) and network.flows(tail_arcs).any():
            return None, True
        used = network.flows(pair_arcs) > 0
        return (starts[used], ends[used]), False

    def _load_arcs(self, network, big: int, limit: int, sink: int) -> np.ndarray:
        """Each judge's arcs to the sink: the t-th review costs big·t (t counts kept ones)."""
        tails, costs, capacities, tail_positions = [], [], [], []
        position = 0
        for j in range(self.m):
            free = int(self.free_cap[j])
            if free <= 0:
                continue
            first = int(self.load0[j]) + 1
            last = min(first + free - 1, max(limit, first))
            count = last - first + 1
            tails.append(np.full(count, self.n + j, dtype=np.int64))
            costs.append(big * np.arange(first, last + 1, dtype=np.int64))
            capacities.append(np.ones(count, dtype=np.int64))
            position += count
            if free > count:
                tails.append(np.array([self.n + j], dtype=np.int64))
                costs.append(np.array([big * (last + 1)], dtype=np.int64))
                capacities.append(np.array([free - count], dtype=np.int64))
                tail_positions.append(position)
                position += 1
        if not tails:
            return np.zeros(0, dtype=np.int64)
        tail_nodes = np.concatenate(tails)
        arcs = network.add_arcs_with_capacity_and_unit_cost(
            tail_nodes,
            np.full(len(tail_nodes), sink, dtype=np.int64),
            np.concatenate(capacities),
            np.concatenate(costs),
        )
        return arcs[np.array(tail_positions, dtype=np.int64)]

    def _evenly_loaded(self, outcome) -> bool:
        """Loads as even as any answer could be: within 1 among judges with equal caps
        (judges already at their cap excepted)."""
        loads = self.load0 + np.bincount(outcome[1], minlength=self.m)
        by_cap: dict[int, list[int]] = defaultdict(list)
        for j in range(self.m):
            if loads[j] < self.caps[j]:
                by_cap[int(self.caps[j])].append(int(loads[j]))
        below_cap_max = {cap: max(values) for cap, values in by_cap.items()}
        for j in range(self.m):
            cap = int(self.caps[j])
            if cap in below_cap_max and loads[j] > below_cap_max[cap] + 1:
                return False
        return all(max(v) - min(v) <= 1 for v in by_cap.values())

    def _result(self, outcome, pruned: bool) -> Assignment:
        fixed = [(e, j) for e, judges in self.fixed_by_entry.items() for j in judges]
        fixed_e = np.array([e for e, _j in fixed], dtype=np.int64)
        fixed_j = np.array([j for _e, j in fixed], dtype=np.int64)
        entry_of = np.concatenate([outcome[0], fixed_e])
        judge_of = np.concatenate([outcome[1], fixed_j])
        order = np.lexsort((judge_of, entry_of))
        entry_of, judge_of = entry_of[order], judge_of[order]
        entry_ids = [e.id for e in self.entries]
        judge_ids = [j.id for j in self.judges]
        pairs = [
            (entry_ids[e], judge_ids[j])
            for e, j in zip(entry_of.tolist(), judge_of.tolist(), strict=True)
        ]
        counts = np.bincount(judge_of, minlength=self.m).tolist()
        total = float(self.affinity_of(entry_of * self.m + judge_of).sum())
        return Assignment(
            pairs=pairs,
            loads=dict(zip(judge_ids, counts, strict=True)),
            total_affinity=total,
            pruned=pruned,
        )

    # --- explaining infeasibility -----------------------------------------------------------

    def _precheck(self):
        shortfalls = []
        short = np.flatnonzero(self.eligible_count < self.need)
        groups: dict[tuple[str, int], list[str]] = defaultdict(list)
        for e in short:
            groups[(self.entries[e].category, int(self.eligible_count[e]))].append(
                self.entries[e].id
            )
        for (category, eligible), entry_ids in sorted(groups.items()):
            where = f"category {category}" if category else "entries without a category"
            shortfalls.append(
                Shortfall(
                    "entry",
                    f"{where}: {eligible} eligible judges after conflicts, {self.k} needed "
                    f"({_listing(entry_ids)})",
                    tuple(entry_ids),
                )
            )
        available = self._capacity(np.ones(self.n, dtype=bool))
        needed = int(self.need.sum())
        if available < needed:
            shortfalls.append(
                Shortfall(
                    "capacity",
                    f"caps too low by {needed - available} reviews in total "
                    f"({available} available, {needed} needed)",
                )
            )
        for category in sorted({e.category for e in self.entries if e.category}):
            members = np.array([e.category == category for e in self.entries])
            needed_c = int(self.need[members].sum())
            available_c = self._capacity(members)
            if available_c < needed_c and not any(s.kind == "entry" for s in shortfalls):
                shortfalls.append(
                    Shortfall(
                        "category",
                        f"category {category}: the caps of its judges allow {available_c} "
                        f"reviews, {needed_c} needed",
                    )
                )
        if shortfalls:
            raise InfeasibleAssignment(shortfalls)

    def _capacity(self, entries: np.ndarray) -> int:
        """Reviews the judges could give ``entries`` (a boolean mask): each judge's free
        cap, but at most one review per entry they are eligible for."""
        chosen = np.flatnonzero(entries & (self.need > 0))
        if not len(chosen):
            return 0
        per_group = np.bincount(self.entry_group[chosen], minlength=len(self.group_masks))
        eligible_for = per_group @ self.group_matrix  # bool rows count as 0/1
        in_chosen = np.isin(self.exception_keys // self.m, chosen)
        eligible_for -= np.bincount(self.exception_keys[in_chosen] % self.m, minlength=self.m)
        return int(np.minimum(self.free_cap, eligible_for).sum())

    def _diagnose(self, starts, ends) -> list[Shortfall]:
        """The network has no full flow: find, with a maximum flow, who is left short."""
        n, m = self.n, self.m
        network = min_cost_flow.SimpleMinCostFlow()
        arcs = network.add_arcs_with_capacity_and_unit_cost(
            starts, ends + n, np.ones(len(starts), dtype=np.int64), np.zeros(len(starts), np.int64)
        )
        source, sink = n + m, n + m + 1
        network.add_arcs_with_capacity_and_unit_cost(
            np.full(n, source), np.arange(n), self.need, np.zeros(n, dtype=np.int64)
        )
        network.add_arcs_with_capacity_and_unit_cost(
            np.arange(m) + n, np.full(m, sink), self.free_cap, np.zeros(m, dtype=np.int64)
        )
        network.set_node_supply(source, int(self.need.sum()))
        network.set_node_supply(sink, -int(self.need.sum()))
        network.solve_max_flow_with_min_cost()
        got = np.bincount(starts[network.flows(arcs) > 0], minlength=n)
        short = np.flatnonzero(got < self.need)
        listing = _listing(
            [f"{self.entries[e].id} (got {got[e] + self.k - self.need[e]})" for e in short]
        )
        return [
            Shortfall(
                "flow",
                f"entries that cannot get {self.k} judges because the judges eligible for "
                f"them are at their caps: {listing}",
                tuple(self.entries[e].id for e in short),
            )
        ]


class _Bridged:
    """A bridged design: bridging reviews chosen and fixed, the rest solved by the flow,
    then the parts the flow left joined by swaps."""

    def __init__(self, problem: AssignmentProblem, *, seed: int, fixed: list[tuple[str, str]]):
        if problem.bridge_reviews < 1:
            raise ValueError("bridge_reviews must be at least 1")
        if problem.per_entry < 2:
            raise InfeasibleAssignment(
                [
                    Shortfall(
                        "bridges",
                        "bridges need at least 2 judges per entry: with one, no two judges "
                        "ever share an entry",
                    )
                ]
            )
        self.problem = problem
        self.seed = seed
        self.fixed = fixed
        rng = np.random.default_rng(seed)
        self.judges = [problem.judges[i] for i in rng.permutation(len(problem.judges))]
        self.entries = [problem.entries[i] for i in rng.permutation(len(problem.entries))]
        self.judge_by_id = {judge.id: judge for judge in problem.judges}
        self.entry_by_id = {entry.id: entry for entry in problem.entries}

    def may_review(self, judge: Judge, entry: Entry, *, across: bool = False) -> bool:
        """No conflict; and the entry in the judge's categories, unless ``across``."""
        if (judge.id, entry.id) in self.problem.conflicts or units_conflict(judge.unit, entry.unit):
            return False
        return across or not bridging_review(entry.category, judge.categories)

    def solve(self, full_problem_pairs: int) -> Assignment:
        # Whatever fails, a problem infeasible without bridges too gives that reason.
        unbridged = _Solver(self.problem, seed=self.seed, fixed=self.fixed)
        try:
            bridging = self.bridging_pairs()
        except InfeasibleAssignment:
            unbridged.solve(full_problem_pairs)
            raise
        fixed = [*self.fixed, *bridging]
        try:
            result = _Solver(self.problem, seed=self.seed, fixed=fixed).solve(full_problem_pairs)
        except InfeasibleAssignment as error:
            unbridged.solve(full_problem_pairs)
            problem = self.problem
            raise InfeasibleAssignment(
                [
                    Shortfall(
                        "bridges",
                        f"with bridges ({problem.bridges} judges per category panel, "
                        f"{problem.bridge_reviews} reviews each): {shortfall.message}",
                        shortfall.entries,
                    )
                    for shortfall in error.shortfalls
                ]
            ) from None
        return self.joined(result, kept={*fixed})

    def bridging_pairs(self) -> list[tuple[str, str]]:
        """(entry, judge) bridging reviews: N judges of each panel (those bridging in the
        kept pairs count), each with up to ``bridge_reviews`` entries of the next category
        outside their own, the entries with the fewest bridging reviews first."""
        problem, wanted = self.problem, self.problem.bridges
        panels: dict[str, list[Judge]] = defaultdict(list)
        for judge in self.judges:
            for category in judge.categories:
                panels[category].append(judge)
        entries_of: dict[str, list[Entry]] = defaultdict(list)
        for entry in self.entries:
            if entry.category:
                entries_of[entry.category].append(entry)
        ring = sorted(category for category in entries_of if panels[category])
        if len(ring) < 2:
            return []  # one panel or none: nothing to bridge
        reviews, bridged, load = Counter(), Counter(), Counter()
        taken, bridging_judges = set(), set()
        for entry_id, judge_id in self.fixed:
            entry, judge = self.entry_by_id.get(entry_id), self.judge_by_id.get(judge_id)
            if entry is None or judge is None or (entry_id, judge_id) in taken:
                continue
            taken.add((entry_id, judge_id))
            reviews[entry_id] += 1
            load[judge_id] += 1
            if bridging_review(entry.category, judge.categories):
                bridged[entry_id] += 1
                bridging_judges.add(judge_id)
        chosen, shortfalls = [], []
        for position, category in enumerate(ring):
            panel = panels[category]
            if len(panel) < wanted:
                shortfalls.append(
                    Shortfall(
                        "bridges",
                        f"category {category}: {wanted} bridging judges asked, "
                        f"its panel has {len(panel)}",
                    )
                )
                continue
            have = sum(judge.id in bridging_judges for judge in panel)
            targets = set()
            for judge in sorted(panel, key=lambda judge: len(judge.categories)):
                if have >= wanted:
                    break
                if judge.id in bridging_judges:
                    continue
                following = (ring[(position + step) % len(ring)] for step in range(1, len(ring)))
                target = next((c for c in following if c not in judge.categories), None)
                if target is None:
                    continue  # the judge's categories are every category
                targets.add(target)
                cap = len(self.entries) if judge.max_load is None else judge.max_load
                room = cap - load[judge.id] - 1  # one review at least is left for their own
                pool = [
                    entry
                    for entry in entries_of[target]
                    if reviews[entry.id] < problem.per_entry
                    and bridged[entry.id] < problem.per_entry - 1  # one left for its panel
                    and (entry.id, judge.id) not in taken
                    and self.may_review(judge, entry, across=True)
                ]
                pool.sort(key=lambda entry: bridged[entry.id])  # stable: seeded order within
                # Too few fresh entries for R each: the judges still to come get a share.
                fresh = sum(bridged[entry.id] == 0 for entry in pool)
                share = max(1, fresh // (wanted - have))
                picks = pool[: max(0, min(problem.bridge_reviews, room, share))]
                if not picks:
                    continue
                for entry in picks:
                    chosen.append((entry.id, judge.id))
                    taken.add((entry.id, judge.id))
                    reviews[entry.id] += 1
                    bridged[entry.id] += 1
                    load[judge.id] += 1
                bridging_judges.add(judge.id)
                have += 1
            if have < wanted:
                shortfalls.append(
                    Shortfall(
                        "bridges",
                        f"category {category}: {wanted} bridging judges asked, only {have} of "
                        f"its {len(panel)} judges can take an entry of category "
                        f"{' or '.join(sorted(targets)) or 'another'} (conflicts, caps and the "
                        "review every entry keeps for its own panel leave no room)",
                    )
                )
        if shortfalls:
            raise InfeasibleAssignment(shortfalls)
        return chosen

    def joined(self, result: Assignment, *, kept: set[tuple[str, str]]) -> Assignment:
        """``result`` with its parts joined into one by swaps; ``kept`` pairs never move."""
        pairs = list(result.pairs)
        entry_ids = [entry.id for entry in self.problem.entries]
        parts = design_parts(pairs, entry_ids)
        while len(parts) > 1:
            joined = self._swap(pairs, parts, entry_ids, kept)
            if joined is None:
                raise InfeasibleAssignment([self._unjoinable(parts, pairs, entry_ids)])
            pairs, parts = joined
        entry_index = {entry_id: position for position, entry_id in enumerate(entry_ids)}
        judge_index = {judge.id: position for position, judge in enumerate(self.problem.judges)}
        result.pairs = sorted(pairs, key=lambda pair: (entry_index[pair[0]], judge_index[pair[1]]))
        affinity = self.problem.affinity
        result.total_affinity = float(sum(affinity.get((j, e), 0.0) for e, j in result.pairs))
        return result

    def _swap(self, pairs, parts, entry_ids, kept):
        """The pairs after one swap between the smallest part and a larger one, and their
        parts; None when no swap joins them. Swaps within the judges' categories are tried
        first; swaps across them (two bridging reviews) only when none joins the parts."""
        judge_ids = list(dict.fromkeys(judge for _entry, judge in pairs))
        on: dict[str, set[str]] = defaultdict(set)
        movable: dict[str, list[str]] = defaultdict(list)  # judge → entries that may move
        for entry_id, judge_id in pairs:
            on[entry_id].add(judge_id)
            if (entry_id, judge_id) not in kept:
                movable[judge_id].append(entry_id)
        smallest = [self.judge_by_id[judge_ids[j]] for j in parts[-1][1]]
        for across in (False, True):
            for _entries, others in parts[:-1]:
                for a in smallest:
                    for b in (self.judge_by_id[judge_ids[j]] for j in others):
                        e = self._best_move(a, b, movable, on, across=across)
                        f = None if e is None else self._best_move(b, a, movable, on, across=across)
                        if f is None:
                            continue
                        moved = {(e, a.id): (e, b.id), (f, b.id): (f, a.id)}
                        swapped = [moved.get(pair, pair) for pair in pairs]
                        swapped_parts = design_parts(swapped, entry_ids)
                        if len(swapped_parts) < len(parts):
                            return swapped, swapped_parts
        return None

    def _best_move(self, giver: Judge, taker: Judge, movable, on, *, across: bool) -> str | None:
        """The entry of ``giver`` that ``taker`` may take and would gain most affinity on."""
        affinity = self.problem.affinity
        moves = [
            entry_id
            for entry_id in movable[giver.id]
            if taker.id not in on[entry_id]
            and self.may_review(taker, self.entry_by_id[entry_id], across=across)
        ]
        return max(
            moves,
            key=lambda e: affinity.get((taker.id, e), 0) - affinity.get((giver.id, e), 0),
            default=None,
        )

    def _unjoinable(self, parts, pairs, entry_ids) -> Shortfall:
        """Why the parts stay apart: too few reviews to join everyone who works (a whole of
        V entries and judges needs V − 1 reviews), or else no swap allowed joins them."""
        categories = [
            "/".join(sorted({self.entry_by_id[entry_ids[e]].category or "-" for e in entries}))
            for entries, _judges in parts
        ]
        working = len({judge for _entry, judge in pairs})
        needed = len(entry_ids) + working - 1
        if len(pairs) < needed:
            why = (
                f"{len(pairs)} reviews cannot join {len(entry_ids)} entries and {working} "
                f"judges (one whole needs at least {needed}): fewer judges or more judges "
                "per entry would"
            )
        else:
            why = "no swap of two reviews between them respects the conflicts and kept pairs"
        return Shortfall(
            "bridges",
            f"the design stays in {len(parts)} parts that share no judge "
            f"(categories {' | '.join(categories)}): {why}",
            tuple(entry_ids[e] for e in parts[-1][0]),
        )


def _water_fill(counts: np.ndarray, total: int, most: int) -> np.ndarray:
    """Shares summing to ``total`` (at most ``most`` each) that lift the lowest ``counts``
    first, as water fills the lowest ground: the result leaves counts + shares most even."""
    total = min(total, most * len(counts))
    low, high = int(counts.min()), int(counts.max()) + total + 1
    while low < high:  # the highest level whose fill does not exceed total
        level = (low + high + 1) // 2
        if np.minimum(np.maximum(level - counts, 0), most).sum() <= total:
            low = level
        else:
            high = level - 1
    shares = np.minimum(np.maximum(low - counts, 0), most)
    left = total - int(shares.sum())
    if left:  # one more each for the lowest of those still below the cap
        room = np.flatnonzero(shares < most)
        lowest = room[np.argsort(counts[room] + shares[room], kind="stable")[:left]]
        shares[lowest] += 1
    return shares


def _index(ids: list[str], what: str) -> dict[str, int]:
    index = {}
    for position, identifier in enumerate(ids):
        if identifier in index:
            raise ValueError(f"duplicate {what} id {identifier!r}")
        index[identifier] = position
    return index


def _listing(items: list[str], most: int = 5) -> str:
    shown = ", ".join(items[:most])
    return f"{shown} and {len(items) - most} more" if len(items) > most else shown
