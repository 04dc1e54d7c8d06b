"""Bridging judges across category panels (``core.assignment``) and the connectivity check
(``core.design``).

The rules are written out again here, not taken from the solver: a review is *bridging*
when its entry's category is outside its judge's categories; a design is connected when
shared judges join every entry to every other.
"""

from collections import Counter, defaultdict

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from laurel.core.assignment import (
    FULL_PROBLEM_PAIRS,
    AssignmentProblem,
    Entry,
    InfeasibleAssignment,
    Judge,
    _Bridged,
    _Solver,
    assign,
    reassign,
)
from laurel.core.design import bridging_review, design_check

CATEGORIES = ["人文", "城市", "山水", "生活"]  # in name (code point) order: the ring's order


def panels(
    entries: int = 80,
    per_panel: int = 4,
    categories=CATEGORIES,
    *,
    sizes: list[int] | None = None,
    max_load: int | None = None,
) -> tuple[list[Entry], list[Judge]]:
    """Entries spread over ``categories`` (or ``sizes`` entries each); ``per_panel`` judges
    of each category only."""
    sizes = sizes or [entries // len(categories)] * len(categories)
    entry_list = [
        Entry(f"{category}-{i}", category)
        for category, size in zip(categories, sizes, strict=True)
        for i in range(size)
    ]
    judge_list = [
        Judge(f"J{category}{j}", frozenset({category}), max_load=max_load)
        for category in categories
        for j in range(per_panel)
    ]
    return entry_list, judge_list


def related(a: str, b: str) -> bool:
    if not a or not b:
        return False
    left, right = a.split("/"), b.split("/")
    shorter = min(len(left), len(right))
    return left[:shorter] == right[:shorter]


def crosses(entry: Entry, judge: Judge) -> bool:
    return bool(entry.category and judge.categories and entry.category not in judge.categories)


def connected(pairs) -> bool:
    """One whole, by a plain search over entries and judges."""
    neighbours = defaultdict(set)
    for entry, judge in pairs:
        neighbours[("e", entry)].add(("j", judge))
        neighbours[("j", judge)].add(("e", entry))
    start = next(iter(neighbours))
    seen, stack = {start}, [start]
    while stack:
        for other in neighbours[stack.pop()] - seen:
            seen.add(other)
            stack.append(other)
    return len(seen) == len(neighbours)


def assert_valid(problem: AssignmentProblem, pairs) -> None:
    """K distinct judges each, caps, both kinds of conflict; every review in the judge's
    categories except bridging ones."""
    entries = {e.id: e for e in problem.entries}
    judges = {j.id: j for j in problem.judges}
    per_entry = defaultdict(list)
    for entry, judge in pairs:
        per_entry[entry].append(judge)
        assert (judge, entry) not in problem.conflicts
        assert not related(judges[judge].unit, entries[entry].unit), (entry, judge)
    assert sorted(per_entry) == sorted(entries)
    for judges_of in per_entry.values():
        assert len(judges_of) == len(set(judges_of)) == problem.per_entry
    for judge, load in Counter(judge for _entry, judge in pairs).items():
        cap = judges[judge].max_load
        assert cap is None or load <= cap, (judge, load, cap)


def bridging(problem: AssignmentProblem, pairs) -> list[tuple[str, str]]:
    entries = {e.id: e for e in problem.entries}
    judges = {j.id: j for j in problem.judges}
    return [(e, j) for e, j in pairs if crosses(entries[e], judges[j])]


def bridging_judges_by_panel(problem: AssignmentProblem, pairs) -> dict[str, set[str]]:
    judges = {j.id: j for j in problem.judges}
    result = defaultdict(set)
    for _entry, judge in bridging(problem, pairs):
        for category in judges[judge].categories:
            result[category].add(judge)
    return result


def sorted_loads(problem: AssignmentProblem, pairs) -> list[int]:
    counts = Counter(judge for _entry, judge in pairs)
    return sorted(counts[j.id] for j in problem.judges)


# --- bridged designs ---------------------------------------------------------------------


@pytest.mark.parametrize("seed", range(6))
def test_a_bridged_design_is_one_whole_with_n_bridging_judges_per_panel(seed):
    entries, judges = panels()
    plain = assign(AssignmentProblem(entries, judges, 2), seed=seed)
    assert not connected(plain.pairs)  # four panels, no judge in common

    problem = AssignmentProblem(entries, judges, 2, bridges=2, bridge_reviews=3)
    result = assign(problem, seed=seed)

    assert_valid(problem, result.pairs)
    assert connected(result.pairs)
    by_panel = bridging_judges_by_panel(problem, result.pairs)
    assert {category: len(by_panel[category]) for category in CATEGORIES} == dict.fromkeys(
        CATEGORIES, 2
    )
    # As few as asked: 2 judges × 3 reviews per panel, to the next category of the ring.
    crossing = bridging(problem, result.pairs)
    assert len(crossing) == 4 * 2 * 3
    entry_category = {e.id: e.category for e in entries}
    judge_category = {j.id: next(iter(j.categories)) for j in judges}
    ring = {c: CATEGORIES[(i + 1) % 4] for i, c in enumerate(CATEGORIES)}
    for entry, judge in crossing:
        assert entry_category[entry] == ring[judge_category[judge]]
    # Spread over entries: 6 bridging reviews into 20 entries, never two on one.
    assert max(Counter(entry for entry, _judge in crossing).values()) == 1


@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_a_panel_the_flow_splits_is_joined_without_changing_any_load(seed):
    entries, judges = panels(entries=400, per_panel=8)
    problem = AssignmentProblem(entries, judges, 2, bridges=1, bridge_reviews=1)
    # The flow alone, around the bridging reviews, leaves the design in parts here.
    fixed = _Bridged(problem, seed=seed, fixed=[]).bridging_pairs()
    flow_only = _Solver(problem, seed=seed, fixed=fixed).solve(FULL_PROBLEM_PAIRS)
    assert not connected(flow_only.pairs)

    result = assign(problem, seed=seed)

    assert_valid(problem, result.pairs)
    assert connected(result.pairs)
    assert set(fixed) <= set(result.pairs)
    assert result.loads == flow_only.loads  # swaps move no load
    plain = assign(AssignmentProblem(entries, judges, 2), seed=seed)
    assert sorted_loads(problem, result.pairs) == sorted_loads(problem, plain.pairs)
    order = {e.id: i for i, e in enumerate(entries)}
    positions = [order[entry] for entry, _judge in result.pairs]
    assert positions == sorted(positions)  # entries in input order, as without bridges


@pytest.mark.parametrize(
    ("sizes", "per_panel"),
    [([20, 20, 20, 20], 4), ([30, 12, 25, 13], 3), ([9, 40, 17, 14], 5)],
    ids=["equal", "unequal", "unequal-more-judges"],
)
def test_bridging_keeps_loads_as_even_as_the_unbridged_design(sizes, per_panel):
    entries, judges = panels(sizes=sizes, per_panel=per_panel)
    plain = assign(AssignmentProblem(entries, judges, 3), seed=2)
    problem = AssignmentProblem(entries, judges, 3, bridges=2, bridge_reviews=4)
    result = assign(problem, seed=2)
    assert connected(result.pairs)
    # Each panel takes as many bridging reviews as it gives: its work is unchanged.
    assert sorted_loads(problem, result.pairs) == sorted_loads(problem, plain.pairs)
    assert result.load_range == plain.load_range


def test_bridging_respects_unit_and_explicit_conflicts_and_caps():
    entries, judges = panels()
    # 人文's judges are from cq/a; most of 城市 (the next category) comes from below it.
    entries = [
        Entry(e.id, e.category, "cq/a/x" if e.category == "城市" and i % 5 else "cq/b")
        for i, e in enumerate(entries)
    ]
    judges = [
        Judge(j.id, j.categories, "cq/a" if "人文" in j.categories else "fj", max_load=11)
        for j in judges
    ]
    reachable = [e.id for e in entries if e.category == "城市" and e.unit == "cq/b"]
    assert len(reachable) == 4
    conflicts = {("J人文0", reachable[0]), ("J人文1", reachable[1])}
    problem = AssignmentProblem(entries, judges, 2, conflicts, bridges=2, bridge_reviews=3)
    result = assign(problem, seed=0)

    assert_valid(problem, result.pairs)  # units, explicit conflicts, caps of 11 (160 / 16 = 10)
    assert connected(result.pairs)
    crossing_from_renwen = [
        (e, j) for e, j in bridging(problem, result.pairs) if j.startswith("J人文")
    ]
    assert {e for e, _j in crossing_from_renwen} <= set(reachable)
    assert len({j for _e, j in crossing_from_renwen}) == 2


def test_a_bridging_judge_gives_no_more_than_their_cap_allows():
    entries, judges = panels(max_load=10)  # 160 reviews, 16 judges: every cap is reached
    problem = AssignmentProblem(entries, judges, 2, bridges=2, bridge_reviews=15)
    result = assign(problem, seed=0)
    assert_valid(problem, result.pairs)
    assert connected(result.pairs)
    given = Counter(judge for _entry, judge in bridging(problem, result.pairs))
    assert len(given) == 4 * 2
    assert set(given.values()) == {9}  # 15 asked, 10 allowed, one kept for their own


def test_too_few_entries_are_shared_out_and_each_keeps_a_review_of_its_own_panel():
    entries, judges = panels(sizes=[7, 7, 7, 7], per_panel=4)
    problem = AssignmentProblem(entries, judges, 3, bridges=3, bridge_reviews=4)
    result = assign(problem, seed=0)
    assert_valid(problem, result.pairs)
    per_judge = Counter(judge for _entry, judge in bridging(problem, result.pairs))
    assert sorted(per_judge.values()) == [2] * 8 + [3] * 4  # 7 entries for 3, not 4 + 3 + 0
    per_entry = Counter(entry for entry, _judge in bridging(problem, result.pairs))
    assert set(per_entry.values()) == {1}

    entries, judges = panels(sizes=[2, 2, 2, 2], per_panel=4)
    problem = AssignmentProblem(entries, judges, 3, bridges=3, bridge_reviews=4)
    result = assign(problem, seed=0)
    assert_valid(problem, result.pairs)
    per_entry = Counter(entry for entry, _judge in bridging(problem, result.pairs))
    assert sorted(per_entry.values()) == [1] * 4 + [2] * 4  # shared only when too few, never 3


def test_every_entry_keeps_a_review_of_its_own_panel():
    entries, judges = panels(sizes=[3, 3, 3, 3], per_panel=3)
    problem = AssignmentProblem(entries, judges, 2, bridges=2, bridge_reviews=4)
    result = assign(problem, seed=0)
    assert_valid(problem, result.pairs)
    assert connected(result.pairs)
    per_entry = Counter(entry for entry, _judge in bridging(problem, result.pairs))
    assert per_entry == dict.fromkeys((e.id for e in entries), 1)
    # Two entries per category: a third bridging judge would leave one without its panel.
    entries, judges = panels(sizes=[2, 2, 2, 2], per_panel=4)
    found = shortfalls(AssignmentProblem(entries, judges, 2, bridges=3))
    assert {s.message.split(":")[0] for s in found} == {f"category {c}" for c in CATEGORIES}
    assert "only 2 of its 4 judges can take an entry of category 城市" in found[0].message


def test_judges_of_every_category_never_bridge_and_generalists_join_anyway():
    entries, judges = panels(entries=40, per_panel=2)
    judges = [*judges, Judge("Jall", frozenset(CATEGORIES)), Judge("Jany")]
    problem = AssignmentProblem(entries, judges, 2, bridges=2, bridge_reviews=2)
    result = assign(problem, seed=0)
    assert_valid(problem, result.pairs)
    assert connected(result.pairs)
    crossing = bridging(problem, result.pairs)
    assert {j for _e, j in crossing}.isdisjoint({"Jall", "Jany"})
    assert len(crossing) == 4 * 2 * 2


def test_a_kept_bridging_review_counts_towards_the_bridges():
    entries, judges = panels(entries=40, per_panel=3)
    problem = AssignmentProblem(entries, judges, 2, bridges=1, bridge_reviews=2)
    kept = ("生活-0", "J山水0")  # 山水 → 生活: 山水's panel already bridges
    result = assign(problem, seed=0, fixed=[kept])
    assert kept in result.pairs
    by_panel = bridging_judges_by_panel(problem, result.pairs)
    assert by_panel["山水"] == {"J山水0"}
    assert [pair for pair in bridging(problem, result.pairs) if pair[1].startswith("J山水")] == [
        kept
    ]
    assert connected(result.pairs)


def test_when_a_bridging_judge_drops_out_another_of_the_panel_bridges():
    entries, judges = panels(entries=40, per_panel=3)
    problem = AssignmentProblem(entries, judges, 2, bridges=1, bridge_reviews=2)
    first = assign(problem, seed=0)
    leaving = next(j for _e, j in bridging(problem, first.pairs) if j.startswith("J城市"))
    changed, second = reassign(problem, first.pairs, drop_judges=[leaving], seed=0)
    assert (changed.bridges, changed.bridge_reviews) == (1, 2)
    assert_valid(changed, second.pairs)
    assert connected(second.pairs)
    by_panel = bridging_judges_by_panel(changed, second.pairs)
    assert len(by_panel["城市"]) == 1
    assert leaving not in by_panel["城市"]
    assert {p for p in first.pairs if p[1] != leaving} <= set(second.pairs)


def test_one_category_has_nothing_to_bridge_but_is_still_joined():
    entries, judges = panels(entries=20, per_panel=4, categories=["山水"])
    problem = AssignmentProblem(entries, judges, 2, bridges=2)
    plain = assign(AssignmentProblem(entries, judges, 2), seed=3)
    result = assign(problem, seed=3)
    assert bridging(problem, result.pairs) == []
    assert connected(result.pairs)
    assert sorted_loads(problem, result.pairs) == sorted_loads(problem, plain.pairs)


# --- what cannot be bridged ---------------------------------------------------------------


def shortfalls(problem: AssignmentProblem) -> list:
    with pytest.raises(InfeasibleAssignment) as refused:
        assign(problem, seed=0)
    return refused.value.shortfalls


def test_a_panel_with_fewer_judges_than_bridges_is_named():
    entries, judges = panels(entries=40, per_panel=3)
    judges = [j for j in judges if j.id != "J山水2"]
    found = shortfalls(AssignmentProblem(entries, judges, 2, bridges=3))
    assert [(s.kind, s.message) for s in found] == [
        ("bridges", "category 山水: 3 bridging judges asked, its panel has 2")
    ]
    assign(AssignmentProblem(entries, judges, 2, bridges=2), seed=0)  # two are possible


def test_a_panel_whose_judges_all_conflict_with_the_next_category_is_named():
    entries, judges = panels(entries=40, per_panel=3)
    entries = [Entry(e.id, e.category, "cq/a" if e.category != "人文" else "") for e in entries]
    judges = [Judge(j.id, j.categories, "cq" if "人文" in j.categories else "") for j in judges]
    assign(AssignmentProblem(entries, judges, 2), seed=0)  # solvable without bridges
    found = shortfalls(AssignmentProblem(entries, judges, 2, bridges=1))
    assert [(s.kind, s.message) for s in found] == [
        (
            "bridges",
            "category 人文: 1 bridging judges asked, only 0 of its 3 judges can take an entry "
            "of category 城市 (conflicts, caps and the review every entry keeps for its own "
            "panel leave no room)",
        )
    ]


def test_caps_that_leave_no_room_for_bridging_are_named():
    # 城市's two judges, capped at 3, can just give its 3 entries 2 reviews each. Bridged,
    # one of them spends 2 on 人文 (one kept for 城市), and 人文's bridging judge (from cq)
    # may take only 城市-0 (the others are from cq/a): 5 reviews are left for 1 + 3.
    entries, judges = panels(categories=["人文", "城市"], sizes=[40, 3], per_panel=2)
    far = {"城市-1", "城市-2"}
    entries = [Entry(e.id, e.category, "cq/a" if e.id in far else "") for e in entries]
    judges = [
        Judge(j.id, j.categories, max_load=3)
        if "城市" in j.categories
        else Judge(j.id, j.categories, "cq")
        for j in judges
    ]
    assign(AssignmentProblem(entries, judges, 2), seed=0)  # solvable without bridges
    found = shortfalls(AssignmentProblem(entries, judges, 2, bridges=1, bridge_reviews=10))
    assert [(s.kind, s.message) for s in found] == [
        (
            "bridges",
            "with bridges (1 judges per category panel, 10 reviews each): category 城市: "
            "the caps of its judges allow 4 reviews, 5 needed",
        )
    ]


def test_one_judge_per_entry_cannot_be_bridged():
    entries, judges = panels(entries=8, per_panel=2)
    found = shortfalls(AssignmentProblem(entries, judges, 1, bridges=1))
    assert [s.kind for s in found] == ["bridges"]
    assert "at least 2 judges per entry" in found[0].message


@pytest.mark.parametrize(
    ("entries", "max_load", "expected"),
    [
        (8, 1, "caps too low by 8 reviews in total (8 available, 16 needed)"),  # none bridges
        (16, 3, "caps too low by 8 reviews in total (24 available, 32 needed)"),  # the flow
    ],
)
def test_a_problem_infeasible_without_bridges_gives_its_own_reason(entries, max_load, expected):
    entries, judges = panels(entries=entries, per_panel=2, max_load=max_load)
    found = shortfalls(AssignmentProblem(entries, judges, 2, bridges=1))
    assert found == shortfalls(AssignmentProblem(entries, judges, 2))
    assert found[0].message == expected


def test_parts_no_swap_can_join_are_named():
    # Conflicts split the one panel: J1, J2 may only judge a1, a2; J3, J4 only a3, a4.
    entries = [Entry(f"a{i}", "山水", "cq/x" if i < 3 else "cq/y") for i in range(1, 5)]
    judges = [Judge(f"J{i}", frozenset({"山水"}), "cq/y" if i < 3 else "cq/x") for i in range(1, 5)]
    assign(AssignmentProblem(entries, judges, 2), seed=0)  # two parts, but solvable
    found = shortfalls(AssignmentProblem(entries, judges, 2, bridges=1))
    assert [(s.kind, s.message) for s in found] == [
        (
            "bridges",
            "the design stays in 2 parts that share no judge (categories 山水 | 山水): "
            "no swap of two reviews between them respects the conflicts and kept pairs",
        )
    ]


def test_too_few_reviews_to_join_everyone_who_works_are_named():
    entries, judges = panels(sizes=[3, 3, 3, 3], per_panel=4)  # 24 reviews, 16 even loads
    assign(AssignmentProblem(entries, judges, 2), seed=0)
    found = shortfalls(AssignmentProblem(entries, judges, 2, bridges=1))
    assert [s.kind for s in found] == ["bridges"]
    assert found[0].message.endswith(
        "24 reviews cannot join 12 entries and 16 judges (one whole needs at least 27): "
        "fewer judges or more judges per entry would"
    )


# --- random problems -----------------------------------------------------------------------

UNITS = ["", "cq", "cq/a", "cq/b", "fj"]


@st.composite
def bridged_problems(draw):
    categories = CATEGORIES[: draw(st.integers(1, 4))]
    entries = [
        Entry(f"e{i}", draw(st.sampled_from(categories)), draw(st.sampled_from(UNITS)))
        for i in range(draw(st.integers(2, 24)))
    ]
    judges = [
        Judge(
            f"j{i}",
            frozenset(draw(st.sets(st.sampled_from(categories), max_size=2))),
            draw(st.sampled_from(UNITS)),
            draw(st.none() | st.integers(3, 12)),
        )
        for i in range(draw(st.integers(4, 14)))
    ]
    pairs = [(j.id, e.id) for j in judges for e in entries]
    conflicts = draw(st.sets(st.sampled_from(pairs), max_size=len(pairs) // 6))
    scored = draw(st.sets(st.sampled_from(pairs), max_size=len(pairs) // 3))
    affinity = {pair: draw(st.integers(-2, 6)) / 4 for pair in sorted(scored)}
    return AssignmentProblem(
        entries,
        judges,
        draw(st.integers(2, 3)),
        set(conflicts),
        affinity,
        bridges=draw(st.integers(1, 2)),
        bridge_reviews=draw(st.integers(1, 3)),
    )


@settings(max_examples=300)
@given(bridged_problems(), st.integers(0, 3))
def test_every_bridged_answer_is_valid_connected_and_bridges_each_panel(problem, seed):
    unbridged = AssignmentProblem(
        problem.entries, problem.judges, problem.per_entry, problem.conflicts, problem.affinity
    )
    try:
        result = assign(problem, seed=seed)
    except InfeasibleAssignment as refused:
        kinds = {s.kind for s in refused.shortfalls}
        try:
            assign(unbridged, seed=seed)
        except InfeasibleAssignment:
            kinds = {"infeasible either way"}
        assert kinds <= {"bridges", "infeasible either way"}  # else the bridges are why
        return
    assert_valid(problem, result.pairs)
    assert connected(result.pairs)
    assert result.total_affinity == pytest.approx(
        sum(problem.affinity.get((judge, entry), 0) for entry, judge in result.pairs)
    )
    panel_categories = sorted(
        {e.category for e in problem.entries} & {c for j in problem.judges for c in j.categories}
    )
    if len(panel_categories) > 1:
        by_panel = bridging_judges_by_panel(problem, result.pairs)
        for category in panel_categories:
            assert len(by_panel[category]) >= problem.bridges, category


# --- the connectivity check ----------------------------------------------------------------


def test_design_check_names_the_parts_largest_first_and_counts_bridging_reviews():
    entries = [
        Entry("G", "人文"),  # never reviewed: a part of its own
        Entry("F1", "城市"),
        Entry("E1", "山水"),
        Entry("E2", "山水"),
        Entry("F2", "城市"),
    ]
    judges = [Judge("A", frozenset({"山水"})), Judge("B", frozenset({"城市"})), Judge("C")]
    pairs = [("E1", "A"), ("E2", "A"), ("E1", "B"), ("F1", "C"), ("F2", "C")]
    design = design_check(pairs, entries=entries, judges=judges)
    assert not design.connected
    assert [(p.entries, p.judges, p.categories) for p in design.parts] == [
        (("F1", "F2"), ("C",), ("城市",)),  # two entries each: the one met first comes first
        (("E1", "E2"), ("A", "B"), ("山水",)),
        (("G",), (), ("人文",)),
    ]
    assert (design.reviews, design.bridging) == (5, 1)  # B on E1 (山水)
    assert design.bridging_share == pytest.approx(0.2)

    joined = design_check([*pairs, ("F1", "B"), ("G", "C")], entries=entries, judges=judges)
    assert joined.connected
    assert joined.parts[0].categories == ("人文", "城市", "山水")
    assert joined.bridging == 1  # B on F1 is its own category; C judges every category


def test_design_check_without_entries_or_judges_reads_the_pairs_alone():
    design = design_check([("E1", "A"), ("E2", "B")])
    assert [p.entries for p in design.parts] == [("E1",), ("E2",)]
    assert design.bridging == 0
    assert design_check([]).connected


@pytest.mark.parametrize(
    ("category", "categories", "expected"),
    [
        ("山水", {"城市"}, True),
        ("山水", {"山水", "城市"}, False),
        ("山水", set(), False),  # a judge of every category
        ("", {"城市"}, False),  # an entry without a category
    ],
)
def test_bridging_review(category, categories, expected):
    assert bridging_review(category, categories) is expected
