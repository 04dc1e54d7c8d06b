"""A live round's arithmetic, worked by hand: panels of 3, 5, 7 and 9 judges, one or two
struck at each end, a judge missing, deductions, half-up rounding where a float rounds the
other way, a tolerance breached, ties parted by the round's chain, and the running order
drawn from a seed."""

import hashlib
from decimal import Decimal

import pytest

from laurel.core.live import (
    draw_key,
    panel_score,
    panel_score_per_criterion,
    running_order,
    struck_judges,
)
from laurel.core.scores import Decision, Standing, rank_with_ties


def panel(*scores: str) -> dict[str, Decimal]:
    """Judges 1, 2, … in the panel's order, each with their score."""
    return {f"judge{n}": Decimal(score) for n, score in enumerate(scores, 1)}


@pytest.mark.parametrize(
    ("scores", "drop", "struck", "kept", "score"),
    [
        # 3 judges, 1 struck each end: 9.00 alone is kept
        (("9.0", "9.5", "8.0"), 1, {"judge2", "judge3"}, ["9.0"], "9.00"),
        # 5 judges (the example): (9.1 + 9.2 + 9.35) / 3 = 9.2166… → 9.22
        (
            ("9.1", "9.35", "9.2", "9.4", "8.8"),
            1,
            {"judge4", "judge5"},
            ["9.1", "9.35", "9.2"],
            "9.22",
        ),
        # the same 5 with 2 struck each end: 9.2 alone
        (
            ("9.1", "9.35", "9.2", "9.4", "8.8"),
            2,
            {"judge1", "judge2", "judge4", "judge5"},
            ["9.2"],
            "9.20",
        ),
        # 7 judges, 2 struck each end: (9.2 + 9.3 + 9.4) / 3 = 9.3
        (
            ("9.9", "8.5", "9.2", "9.6", "9.3", "9.0", "9.4"),
            2,
            {"judge1", "judge2", "judge4", "judge6"},
            ["9.2", "9.3", "9.4"],
            "9.30",
        ),
        # 9 judges, 1 struck each end: 61.0 / 7 = 8.7142… → 8.71
        (
            ("7.0", "8.0", "8.5", "8.6", "8.7", "8.8", "8.9", "9.5", "10"),
            1,
            {"judge1", "judge9"},
            ["8.0", "8.5", "8.6", "8.7", "8.8", "8.9", "9.5"],
            "8.71",
        ),
        # 9 judges, 2 struck each end: (8.5 + 8.6 + 8.7 + 8.8 + 8.9) / 5 = 8.7
        (
            ("7.0", "8.0", "8.5", "8.6", "8.7", "8.8", "8.9", "9.5", "10"),
            2,
            {"judge1", "judge2", "judge8", "judge9"},
            ["8.5", "8.6", "8.7", "8.8", "8.9"],
            "8.70",
        ),
    ],
)
def test_panels_of_three_to_nine_strike_the_extremes(scores, drop, struck, kept, score):
    result = panel_score(panel(*scores), drop=drop, places=2)
    assert set(result.struck) == struck
    assert list(result.kept.values()) == [Decimal(value) for value in kept]
    assert result.dropped is True
    assert str(result.score) == score


def test_a_missing_judge_is_left_out_and_too_few_scores_give_the_plain_mean():
    # five on the panel, one sat the team out (回避): four scores
    four = panel("9.0", "9.1", "9.4", "9.9")
    once = panel_score(four, drop=1)  # 4 ≥ 3: 9.0 and 9.9 struck, (9.1 + 9.4) / 2
    assert (str(once.score), once.dropped, set(once.struck)) == ("9.25", True, {"judge1", "judge4"})
    twice = panel_score(four, drop=2)  # 4 < 5: none struck, 37.4 / 4 = 9.35
    assert (str(twice.score), twice.dropped, twice.struck) == ("9.35", False, {})
    assert panel_score(panel("8"), drop=1).score == Decimal("8.00")  # one judge alone


def test_deductions_are_taken_off_the_mean_and_the_result_rounded_once():
    # (9.1 + 9.2 + 9.35) / 3 = 9.21666…; less an absentee's 0.5 and 1 for overtime = 7.71666…
    result = panel_score(
        panel("9.1", "9.35", "9.2", "9.4", "8.8"), deductions=[Decimal("0.5"), Decimal(1)]
    )
    assert result.deductions == Decimal("1.5")
    assert str(result.score) == "7.72"
    # rounded once, at the end: 8.333… − 0.125 = 8.2083… → 8.21 (8.33 − 0.125 would be 8.205)
    once = panel_score(panel("8", "8.5", "8.5"), drop=0, deductions=[Decimal("0.125")])
    assert str(once.score) == "8.21"
    with pytest.raises(ValueError, match="more than 0"):
        panel_score(panel("9"), deductions=[Decimal(0)])


def test_half_up_where_a_float_rounds_the_other_way():
    assert round(8.125, 2) == 8.12  # the float (and Python's rounding) goes down
    result = panel_score(panel("8.0", "8.125", "9.0"), drop=1)
    assert result.exact == Decimal("8.125")
    assert str(result.score) == "8.13"
    assert round(1.005, 2) == 1.0  # 1.00499999… as a float
    assert str(panel_score(panel("1.005"), drop=0).score) == "1.01"


def test_a_tolerance_is_breached_when_the_kept_scores_spread_wider():
    scores = panel("9.1", "9.35", "9.2", "9.4", "8.8")  # kept 9.1 … 9.35: spread 0.25
    assert panel_score(scores, tolerance=Decimal("0.25")).tolerance_exceeded is False
    breached = panel_score(scores, tolerance=Decimal("0.2"))
    assert (breached.spread, breached.tolerance_exceeded) == (Decimal("0.25"), True)
    assert panel_score(scores).tolerance_exceeded is False  # no tolerance set


def test_of_equal_scores_the_same_judges_are_struck_every_time():
    # all equal: the lowest struck is the first on the panel, the highest the last
    assert struck_judges(panel("9", "9", "9"), 1) == ({"judge1", "judge3"}, True)
    assert struck_judges(panel("9", "10", "9", "10", "9"), 1) == ({"judge1", "judge4"}, True)
    assert struck_judges(panel("9", "10"), 1) == (set(), False)
    with pytest.raises(ValueError, match="drop 0, 1 or 2"):
        struck_judges(panel("9"), 3)


def test_floats_are_refused():
    with pytest.raises(TypeError):
        panel_score({"judge1": 9.1})


def test_a_round_may_strike_per_criterion():
    # 技术 (max 6) and 艺术 (max 4): each column trimmed on its own, then added up
    scores = {
        "judge1": {"技术": Decimal("5.5"), "艺术": Decimal("3.0")},
        "judge2": {"技术": Decimal("5.0"), "艺术": Decimal("3.8")},
        "judge3": {"技术": Decimal("4.0"), "艺术": Decimal("3.4")},
        "judge4": {"技术": Decimal("5.2"), "艺术": Decimal("3.6")},
        "judge5": {"技术": Decimal("6.0"), "艺术": Decimal("2.0")},
    }
    # 技术: 4.0 and 6.0 struck, (5.5 + 5.0 + 5.2) / 3 = 5.2333…; 艺术: 2.0 and 3.8 struck,
    # (3.0 + 3.4 + 3.6) / 3 = 3.3333…; 8.5666… → 8.57 (the judges' totals would give
    # 8.5, 8.8, 7.4, 8.8, 8.0 → (8.5 + 8.8 + 8.0) / 3 = 8.4333…)
    score, columns = panel_score_per_criterion(scores, drop=1)
    assert str(score) == "8.57"
    assert set(columns["技术"].struck) == {"judge3", "judge5"}
    assert set(columns["艺术"].struck) == {"judge2", "judge5"}
    totals = {judge: sum(given.values()) for judge, given in scores.items()}
    assert str(panel_score(totals, drop=1).score) == "8.43"
    weighted, _columns = panel_score_per_criterion(
        scores, weights={"技术": Decimal(3), "艺术": Decimal(1)}, drop=1
    )
    assert str(weighted) == "4.76"  # (5.2333… × 3 + 3.3333…) / 4 = 4.7583…


def test_the_running_order_is_the_seeds_and_anyone_can_recompute_it():
    labels = [f"{n:04d}" for n in range(1, 42)]  # 41 teams
    order = running_order(labels, "2024-04-20 奉节县广播体操比赛")
    assert sorted(order) == labels
    assert order == running_order(list(reversed(labels)), "2024-04-20 奉节县广播体操比赛")
    assert order != running_order(labels, "another seed")
    # the documented key: SHA-256 of the seed, a line feed and the label, in UTF-8
    key = hashlib.sha256("2024-04-20 奉节县广播体操比赛\n0007".encode()).hexdigest()
    assert draw_key("2024-04-20 奉节县广播体操比赛", "0007") == key
    assert order == sorted(
        labels, key=lambda label: draw_key("2024-04-20 奉节县广播体操比赛", label)
    )
    with pytest.raises(ValueError, match="its own"):
        running_order(["0001", "0001"], "seed")


def test_teams_equal_on_the_score_shown_are_parted_by_the_rounds_chain():
    def team(action: tuple[str, str, str], spirit: tuple[str, str, str], deducted: str = "0"):
        """Three judges' 动作规范 and 精神面貌 scores, trimmed per criterion (the middle one of
        each is kept), less the deductions: the team's standing."""
        scores = {
            judge: {"动作规范": Decimal(a), "精神面貌": Decimal(s)}
            for judge, a, s in zip(("j1", "j2", "j3"), action, spirit, strict=True)
        }
        deductions = [Decimal(deducted)] if Decimal(deducted) else []
        _score, columns = panel_score_per_criterion(scores, drop=1, deductions=deductions)
        means = {criterion: column.exact for criterion, column in columns.items()}
        points = sum(means.values()) - sum(deductions, Decimal(0))
        return means, points, Decimal(deducted)

    teams = {
        "A": team(("6.0", "6.2", "5.8"), ("3.2", "3.3", "3.1")),  # 6.0 + 3.2 = 9.2
        "B": team(("5.8", "5.9", "5.7"), ("3.4", "3.5", "3.3")),  # 5.8 + 3.4 = 9.2
        "C": team(("6.1", "6.3", "5.9"), ("3.6", "3.7", "3.5"), "0.5"),  # 9.7 − 0.5 = 9.2
        "D": team(("6.0", "6.1", "5.9"), ("3.7", "3.8", "3.6"), "0.5"),  # 9.7 − 0.5 = 9.2
        "E": team(("6.0", "6.4", "5.6"), ("3.2", "3.4", "3.0")),  # as A: 9.2
        "F": team(("6.5", "6.6", "6.4"), ("3.3", "3.4", "3.2")),  # 9.8: first
    }
    standings = [
        Standing(name, points, means, deducted) for name, (means, points, deducted) in teams.items()
    ]
    chain = [("criterion", "动作规范"), ("fewer_deductions",), ("decision",)]
    placed = rank_with_ties(standings, chain)
    assert [(p.entry, p.place, p.tied_with, p.decided_by) for p in placed] == [
        ("F", 1, (), None),
        ("C", 2, (), "criterion:动作规范"),  # 6.1 on 动作规范
        ("A", 3, ("E",), None),  # 6.0, no deduction, and E the same: tied still
        ("E", 3, ("A",), None),
        ("D", 5, (), "fewer_deductions"),  # 6.0, but 0.5 taken off
        ("B", 6, (), "criterion:动作规范"),  # 5.8
    ]
    decided = rank_with_ties(
        standings, chain, decisions=[Decision(("E", "A"), "抽签决定 (drawn by lot)")]
    )
    assert [(p.entry, p.place, p.decided_by) for p in decided][2:4] == [
        ("E", 3, "decision"),
        ("A", 4, "decision"),
    ]
