"""The judge-assignment core, checked on random instances against an independent oracle.

The oracle is networkx's min-cost flow over the same costs, with eligibility worked out
here from the rules (not with the solver's code): every answer must respect K, caps,
categories and both kinds of conflict; be exactly as even and then as high in affinity as
the oracle's; and an instance is reported infeasible exactly when the oracle finds no full
flow.
"""

from collections import Counter, defaultdict

import networkx as nx
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from laurel.core.assignment import (
    AssignmentProblem,
    Entry,
    InfeasibleAssignment,
    Judge,
    assign,
    reassign,
    units_conflict,
)

UNITS = ["", "cq", "cq/a", "cq/a/x", "cq/ab", "cq/b", "fj"]
CATEGORIES = ["", "山水", "城市"]


def related(a: str, b: str) -> bool:
    """The rule, written out again: equal, or one is the other's ancestor by segments."""
    if not a or not b:
        return False
    left, right = a.split("/"), b.split("/")
    shorter = min(len(left), len(right))
    return left[:shorter] == right[:shorter]


def eligible(problem: AssignmentProblem, judge: Judge, entry: Entry) -> bool:
    if entry.category and judge.categories and entry.category not in judge.categories:
        return False
    if (judge.id, entry.id) in problem.conflicts:
        return False
    return not related(judge.unit, entry.unit)


@st.composite
def problems(draw, max_entries=10, max_judges=6):
    entries = [
        Entry(f"e{i}", draw(st.sampled_from(CATEGORIES)), draw(st.sampled_from(UNITS)))
        for i in range(draw(st.integers(1, max_entries)))
    ]
    judges = [
        Judge(
            f"j{i}",
            frozenset(draw(st.sets(st.sampled_from(CATEGORIES[1:])))),
            draw(st.sampled_from(UNITS)),
            draw(st.none() | st.integers(0, 8)),
        )
        for i in range(draw(st.integers(1, max_judges)))
    ]
    pairs = [(j.id, e.id) for j in judges for e in entries]
    conflicts = draw(st.sets(st.sampled_from(pairs), max_size=len(pairs) // 4))
    scored = draw(st.sets(st.sampled_from(pairs)))
    affinity = {pair: draw(st.integers(-3, 9)) / 4 for pair in sorted(scored)}
    k = draw(st.integers(1, 3))
    return AssignmentProblem(entries, judges, k, set(conflicts), affinity)


def oracle(problem: AssignmentProblem, fixed=()):
    """networkx's optimum of the same lexicographic objective, or None if infeasible.

    Returns (sum of squared loads, total affinity in thousandths) for the free part.
    """
    k = problem.per_entry
    kept = defaultdict(set)
    load0 = Counter()
    for entry_id, judge_id in fixed:
        kept[entry_id].add(judge_id)
        load0[judge_id] += 1
    need = {e.id: k - len(kept[e.id]) for e in problem.entries}
    total = sum(need.values())
    affinity = {pair: round(v * 1000) for pair, v in problem.affinity.items()}
    spread = max([*affinity.values(), 0]) - min([*affinity.values(), 0])
    big = spread * total + 1
    graph = nx.DiGraph()
    for entry in problem.entries:
        graph.add_edge("source", ("e", entry.id), capacity=need[entry.id], weight=0)
        for judge in problem.judges:
            if judge.id not in kept[entry.id] and eligible(problem, judge, entry):
                cost = -affinity.get((judge.id, entry.id), 0)
                graph.add_edge(("e", entry.id), ("j", judge.id), capacity=1, weight=cost)
    for judge in problem.judges:
        cap = len(problem.entries) if judge.max_load is None else judge.max_load
        for t in range(load0[judge.id] + 1, cap + 1):
            graph.add_edge(("j", judge.id), ("t", judge.id, t), capacity=1, weight=big * t)
            graph.add_edge(("t", judge.id, t), "sink", capacity=1, weight=0)
    graph.add_node("sink")
    flow = nx.max_flow_min_cost(graph, "source", "sink")
    if sum(flow["source"].values()) < total:
        return None
    loads = Counter(load0)
    gained = 0
    for entry in problem.entries:
        for (_kind, judge_id), units in flow[("e", entry.id)].items():
            if units:
                loads[judge_id] += 1
                gained += affinity.get((judge_id, entry.id), 0)
    return sum(v * v for v in loads.values()), gained, loads


def check_valid(problem: AssignmentProblem, result) -> None:
    judges = {j.id: j for j in problem.judges}
    entries = {e.id: e for e in problem.entries}
    by_entry = defaultdict(list)
    for entry_id, judge_id in result.pairs:
        by_entry[entry_id].append(judge_id)
        assert eligible(problem, judges[judge_id], entries[entry_id]), (entry_id, judge_id)
    for entry in problem.entries:
        assert len(by_entry[entry.id]) == problem.per_entry
        assert len(set(by_entry[entry.id])) == problem.per_entry
    loads = Counter(judge_id for _entry, judge_id in result.pairs)
    assert result.loads == {j.id: loads[j.id] for j in problem.judges}
    for judge in problem.judges:
        if judge.max_load is not None:
            assert loads[judge.id] <= judge.max_load


def score(problem, result) -> tuple[int, int]:
    loads = Counter(judge_id for _entry, judge_id in result.pairs)
    affinity = sum(
        round(problem.affinity.get((judge_id, entry_id), 0) * 1000)
        for entry_id, judge_id in result.pairs
    )
    return sum(v * v for v in loads.values()), affinity


def balanced_by_cap(problem, loads) -> bool:
    groups = defaultdict(list)
    for judge in problem.judges:
        groups[judge.max_load].append(loads[judge.id])
    return all(max(v) - min(v) <= 1 for v in groups.values())


@given(problems())
def test_every_answer_is_valid_as_even_as_possible_then_best_in_affinity(problem):
    expected = oracle(problem)
    if expected is None:
        with pytest.raises(InfeasibleAssignment) as caught:
            assign(problem, seed=3)
        assert caught.value.shortfalls
        assert all(shortfall.message for shortfall in caught.value.shortfalls)
        return
    result = assign(problem, seed=3)
    check_valid(problem, result)
    squares, affinity, oracle_loads = expected
    assert score(problem, result) == (squares, affinity)
    if balanced_by_cap(problem, oracle_loads):
        assert balanced_by_cap(problem, result.loads)


@given(problems(max_entries=30, max_judges=8))
def test_pruned_candidates_give_a_valid_answer_as_even_as_the_full_problem(problem):
    expected = oracle(problem)
    assume(expected is not None)
    result = assign(problem, full_problem_pairs=0)  # prune whenever pruning can apply
    check_valid(problem, result)
    assert score(problem, result)[0] == expected[0]


def test_when_the_last_judge_drops_out_the_entries_are_short_not_an_error():
    problem = AssignmentProblem([Entry("e1"), Entry("e2", "山水")], [Judge("j1")], per_entry=1)
    before = assign(problem)
    with pytest.raises(InfeasibleAssignment) as raised:
        reassign(problem, before.pairs, drop_judges=["j1"])
    short = {entry for shortfall in raised.value.shortfalls for entry in shortfall.entries}
    assert short == {"e1", "e2"}


@given(problems(), st.data())
def test_reassignment_keeps_untouched_pairs_and_moves_only_freed_slots(problem, data):
    try:
        before = assign(problem)
    except InfeasibleAssignment:
        assume(False)
    dropped = data.draw(st.sets(st.sampled_from([j.id for j in problem.judges]), max_size=1))
    declared = data.draw(st.sets(st.sampled_from(before.pairs), max_size=2))
    new_conflicts = {(judge_id, entry_id) for entry_id, judge_id in declared}
    untouched = [
        (e, j) for e, j in before.pairs if j not in dropped and (j, e) not in new_conflicts
    ]
    try:
        changed, after = reassign(
            problem, before.pairs, drop_judges=dropped, new_conflicts=new_conflicts
        )
    except InfeasibleAssignment:
        changed = AssignmentProblem(
            problem.entries,
            [j for j in problem.judges if j.id not in dropped],
            problem.per_entry,
            problem.conflicts | new_conflicts,
            problem.affinity,
        )
        assert oracle(changed, fixed=untouched) is None
        return
    check_valid(changed, after)
    assert set(untouched) <= set(after.pairs)
    assert len(set(after.pairs) - set(untouched)) == len(before.pairs) - len(untouched)
    assert not any(j in dropped for _e, j in after.pairs)
    assert score(changed, after)[0] == oracle(changed, fixed=untouched)[0]


def test_the_seed_only_breaks_ties():
    entries = [Entry(f"e{i}") for i in range(40)]
    judges = [Judge(f"j{i}") for i in range(10)]
    problem = AssignmentProblem(entries, judges, 3)
    first, again = assign(problem, seed=1), assign(problem, seed=1)
    other = assign(problem, seed=2)
    assert first.pairs == again.pairs
    assert first.pairs != other.pairs
    assert first.load_range == other.load_range == (12, 12)


def test_without_restrictions_loads_differ_by_at_most_one():
    problem = AssignmentProblem(
        [Entry(f"e{i}") for i in range(101)], [Judge(f"j{i}") for i in range(7)], 2
    )
    assert assign(problem).load_range == (28, 29)


def test_affinity_decides_among_equally_even_answers():
    problem = AssignmentProblem(
        [Entry("e1"), Entry("e2")],
        [Judge("a"), Judge("b")],
        1,
        affinity={("a", "e1"): 5.0, ("b", "e2"): 1.0, ("b", "e1"): 2.0},
    )
    result = assign(problem)
    assert sorted(result.pairs) == [("e1", "a"), ("e2", "b")]
    assert result.total_affinity == 6.0
    # ... but never at the price of evenness: one judge may not take both
    greedy = AssignmentProblem(
        [Entry("e1"), Entry("e2")],
        [Judge("a"), Judge("b")],
        1,
        affinity={("a", "e1"): 100.0, ("a", "e2"): 100.0},
    )
    assert assign(greedy).load_range == (1, 1)


def test_a_category_with_too_few_judges_is_named():
    entries = [Entry(f"c{i}", "都市建设") for i in range(4)] + [Entry("n1", "自然风光")]
    judges = [Judge(f"j{i}", frozenset({"都市建设"} if i < 2 else {"自然风光"})) for i in range(5)]
    with pytest.raises(InfeasibleAssignment) as caught:
        assign(AssignmentProblem(entries, judges, 3))
    messages = [s.message for s in caught.value.shortfalls]
    assert messages[0] == (
        "category 都市建设: 2 eligible judges after conflicts, 3 needed (c0, c1, c2, c3)"
    )
    assert set(caught.value.shortfalls[0].entries) == {"c0", "c1", "c2", "c3"}


def test_caps_too_low_are_counted():
    entries = [Entry(f"e{i}") for i in range(100)]
    judges = [Judge(f"j{i}", max_load=37) for i in range(7)]  # 259 reviews for 300 needed
    with pytest.raises(InfeasibleAssignment) as caught:
        assign(AssignmentProblem(entries, judges, 3))
    assert [s.message for s in caught.value.shortfalls] == [
        "caps too low by 41 reviews in total (259 available, 300 needed)"
    ]


def test_a_shortfall_no_count_explains_is_found_by_the_flow():
    # Per entry and in total there are enough judges, but e1 and e2 both need judge a,
    # who may take one review: one of them is left short.
    entries = [Entry("e1", unit="x"), Entry("e2", unit="x"), Entry("e3", unit="y")]
    entries.append(Entry("e4", unit="y"))
    judges = [
        Judge("a", unit="y", max_load=1),
        Judge("b", unit="x", max_load=10),
        Judge("c", unit="x", max_load=10),
    ]
    with pytest.raises(InfeasibleAssignment) as caught:
        assign(AssignmentProblem(entries, judges, 1))
    [shortfall] = caught.value.shortfalls
    assert shortfall.kind == "flow"
    assert len(shortfall.entries) == 1
    assert shortfall.entries[0] in {"e1", "e2"}
    assert shortfall.message == (
        "entries that cannot get 1 judges because the judges eligible for them are at "
        f"their caps: {shortfall.entries[0]} (got 0)"
    )


@pytest.mark.parametrize(
    ("a", "b", "conflict"),
    [
        ("cq/yongchuan", "cq/yongchuan/factory3", True),
        ("cq/yongchuan/factory3", "cq/yongchuan", True),
        ("cq/yongchuan", "cq/yongchuan", True),
        ("cq/yong", "cq/yongchuan", False),
        ("cq/yongchuan/factory3", "cq/yongchuan/factory30", False),
        ("cq/fengjie", "cq/yongchuan", False),
        ("", "cq", False),
        ("cq/yongchuan/", "cq/yongchuan", True),
    ],
)
def test_unit_conflicts_follow_segment_boundaries(a, b, conflict):
    assert units_conflict(a, b) is conflict
    assert related(a.strip("/"), b.strip("/")) is conflict
