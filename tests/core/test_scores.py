"""Decimal scores, how criteria combine, deductions, rounding and tie-break chains
(``core.scores``). Every expected value is worked out by hand in the comments."""

from decimal import Context, localcontext
from decimal import Decimal as D

import pytest

from laurel.core.ranking import trimmed_kept, weighted_score
from laurel.core.scores import (
    Criterion,
    Decision,
    Deduction,
    Placed,
    ScoreRefused,
    Standing,
    criteria_check,
    criterion_problems,
    deducted,
    entry_points,
    kept,
    rank_with_ties,
    review_combine,
    rounded,
    score_parse,
    tie_break_check,
    total_maximum,
)

TENTHS = Criterion("tech", "技术", D(0), D(10), D("0.1"))
TWENTIETHS = Criterion("exec", "完成", D(0), D(10), D("0.05"))
HALVES_FROM_5 = Criterion("art", "艺术", D(5), D(10), D("0.5"))

# The 100-point total of issue 23: maxima 40 + 30 + 20 + 10, every one on a 0.5 step.
DRILL = [
    Criterion("form", "动作规范", D(0), D(40), D("0.5")),
    Criterion("unison", "整齐划一", D(0), D(30), D("0.5")),
    Criterion("spirit", "精神风貌", D(0), D(20), D("0.5")),
    Criterion("dress", "队形与服装", D(0), D(10), D("0.5")),
]


def refusal(value, criterion) -> str:
    with pytest.raises(ScoreRefused) as refused:
        score_parse(value, criterion)
    assert refused.value.criterion is criterion
    return refused.value.code


# --- parsing --------------------------------------------------------------------------------


def test_a_tenth_step_takes_tenths_and_refuses_hundredths():
    # 9.3 = 0 + 93 × 0.1: on the step. Kept at the step's one place, so 7 reads 7.0.
    assert str(score_parse("9.3", TENTHS)) == "9.3"
    assert str(score_parse(7, TENTHS)) == "7.0"
    assert str(score_parse(D("9.30"), TENTHS)) == "9.3"
    assert score_parse("0", TENTHS) == 0  # both ends are scores
    assert score_parse("10", TENTHS) == 10
    # 9.35 = 93.5 steps; 10.1 is past the maximum 10; -0.1 below the minimum 0.
    assert refusal("9.35", TENTHS) == "off_step"
    assert refusal("10.1", TENTHS) == "out_of_range"
    assert refusal("-0.1", TENTHS) == "out_of_range"


def test_a_twentieth_step_refuses_9_37_and_11_with_their_codes():
    # 9.35 = 187 × 0.05 and 9.4 = 188 × 0.05; 9.37 = 187.4 steps.
    assert str(score_parse("9.35", TWENTIETHS)) == "9.35"
    assert str(score_parse("9.4", TWENTIETHS)) == "9.40"
    assert str(score_parse("9.350", TWENTIETHS)) == "9.35"
    assert refusal("9.37", TWENTIETHS) == "off_step"
    assert refusal(D("9.37"), TWENTIETHS) == "off_step"
    # 11 on a 0–10 criterion: out of range (whatever the step).
    assert refusal(11, TWENTIETHS) == "out_of_range"
    assert refusal("11", TWENTIETHS) == "out_of_range"


def test_the_step_counts_from_the_minimum():
    # On 5–10 by 0.5 the scores are 5, 5.5, 6, ...: 6.5 = 5 + 3 × 0.5; 6.25 = 5 + 2.5 × 0.5;
    # 4.5 is a half step but below the minimum.
    assert str(score_parse("6.5", HALVES_FROM_5)) == "6.5"
    assert refusal("6.25", HALVES_FROM_5) == "off_step"
    assert refusal("4.5", HALVES_FROM_5) == "out_of_range"
    # On 1–9 by 2 the scores are the odd numbers: 4 is 1.5 steps from 1 (though 2 × 2).
    odd = Criterion("odd", "奇数", D(1), D(9), D(2))
    assert score_parse(3, odd) == 3
    assert refusal(4, odd) == "off_step"


def test_a_digit_too_fine_for_decimal_arithmetic_is_still_off_the_step():
    # 9.35 plus 10^-52: 54 significant digits, more than any decimal context here carries,
    # where 9.35000…01 − 0 would round to 9.35 and pass the step check.
    assert refusal("9.35" + "0" * 50 + "1", TWENTIETHS) == "off_step"


def test_typed_text_is_folded_the_way_chinese_keyboards_type_it():
    # Full-width digits and point (an IME in full-width mode), the ideographic full stop
    # 。 (an IME in Chinese punctuation mode) and spaces around the number.
    assert str(score_parse("９．３５", TWENTIETHS)) == "9.35"
    assert str(score_parse("9。35", TWENTIETHS)) == "9.35"
    assert str(score_parse(" 9.35\u3000", TWENTIETHS)) == "9.35"
    assert str(score_parse("+9.35", TWENTIETHS)) == "9.35"


@pytest.mark.parametrize(
    "typed",
    ["", "  ", "abc", "9,35", "9，35", "1e1", "NaN", "Infinity", "9.3.5", "9 .35", "九"],
)
def test_what_is_not_a_plain_decimal_is_not_a_number(typed):
    # A comma is refused, not guessed: 9,35 could be 9.35 or (a thousands separator) 935.
    assert refusal(typed, TWENTIETHS) == "not_a_number"


def test_a_decimal_nan_or_infinity_is_not_a_number():
    assert refusal(D("NaN"), TWENTIETHS) == "not_a_number"
    assert refusal(D("Infinity"), TWENTIETHS) == "not_a_number"


def test_floats_and_bools_are_a_callers_bug():
    with pytest.raises(TypeError):
        score_parse(9.35, TWENTIETHS)
    with pytest.raises(TypeError):
        score_parse(True, TWENTIETHS)
    with pytest.raises(TypeError):
        Criterion("k", "k", 0.0, D(10), D(1))


def test_a_refusal_is_a_value_error():
    with pytest.raises(ValueError, match="exec: off_step"):
        score_parse("9.37", TWENTIETHS)


def test_criteria_problems_as_codes():
    assert criteria_check(DRILL) == []
    assert criteria_check([]) == ["no_criteria"]
    # 10 − 0 = 3.333… steps of 3: the maximum itself could not be given.
    assert criterion_problems(Criterion("a", "a", D(0), D(10), D(3))) == ["range_off_step"]
    assert criterion_problems(Criterion("a", "a", D(10), D(10), D(1))) == ["low_not_below_high"]
    assert criterion_problems(Criterion("a", "a", D(0), D(10), D(0))) == ["step_not_positive"]
    assert criterion_problems(Criterion("a", "a", D(0), D(10), D(1), D(0))) == [
        "weight_not_positive"
    ]
    assert criterion_problems(Criterion("a", "a", D("NaN"), D(10), D(1))) == ["not_a_number"]
    twice = [TENTHS, Criterion("tech", "技术", D(5), D(1), D(-1))]
    assert criteria_check(twice) == ["key_repeated", "low_not_below_high", "step_not_positive"]


# --- combining and deductions ---------------------------------------------------------------


def test_a_total_of_four_criteria_with_two_deductions():
    assert total_maximum(DRILL) == 100  # 40 + 30 + 20 + 10
    judges = [
        {"form": "36.5", "unison": "27", "spirit": "18.5", "dress": "9"},  # 91.0
        {"form": "36", "unison": "26.5", "spirit": "18", "dress": "9"},  # 89.5
        {"form": "37", "unison": "26", "spirit": "18.5", "dress": "9.5"},  # 91.0
    ]
    criteria = {c.key: c for c in DRILL}
    reviews = [
        review_combine({k: score_parse(v, criteria[k]) for k, v in typed.items()}, DRILL, "total")
        for typed in judges
    ]
    assert reviews == [D("91.0"), D("89.5"), D("91.0")]
    # Overtime 0.5 and one member absent 1: 1.5 off. Mean (91 + 89.5 + 91) / 3 = 271.5 / 3 =
    # 90.5; 90.5 − 1.5 = 89.
    deductions = [Deduction(D("0.5"), "超时"), Deduction(D(1), "缺1人")]
    assert deducted(deductions) == D("1.5")
    assert entry_points(reviews, deductions) == 89


def test_every_criterion_is_required_and_no_other():
    scores = {"form": D(30), "unison": D(20), "spirit": D(10)}
    with pytest.raises(ValueError, match="dress"):
        review_combine(scores, DRILL, "total")
    with pytest.raises(ValueError, match="extra"):
        review_combine({**scores, "dress": D(5), "extra": D(1)}, DRILL, "total")
    with pytest.raises(TypeError):
        review_combine({**scores, "dress": 5.0}, DRILL, "total")


def test_weighted_is_the_mean_by_weight_in_decimal():
    # 主题 30, 构图 30, 技术 40: (8·30 + 7·30 + 9·40) / 100 = (240 + 210 + 360) / 100 = 8.1,
    # exactly (a float sum gives 8.1 only to within rounding).
    criteria = [
        Criterion("theme", "主题", D(0), D(10), D(1), D(30)),
        Criterion("frame", "构图", D(0), D(10), D(1), D(30)),
        Criterion("craft", "技术", D(0), D(10), D(1), D(40)),
    ]
    combined = review_combine({"theme": D(8), "frame": D(7), "craft": D(9)}, criteria)
    assert combined == D("8.1")


@pytest.mark.parametrize(
    ("scores", "weights"),
    [
        ({"a": 8, "b": 7, "c": 9}, {"a": 30, "b": 30, "c": 40}),  # 8.1
        ({"a": 7, "b": 8, "c": 8}, {"a": 1, "b": 1, "c": 1}),  # 23 / 3 = 7.666…
        ({"a": 10, "b": 3}, {"a": 2, "b": 5}),  # (20 + 15) / 7 = 5
        ({"a": 0, "b": 1, "c": 6}, {"a": 3, "b": 3, "c": 1}),  # (0 + 3 + 6) / 7 = 1.2857…
    ],
)
def test_weighted_matches_todays_weighted_score_on_integers(scores, weights):
    criteria = [Criterion(k, k, D(0), D(10), D(1), D(w)) for k, w in weights.items()]
    combined = review_combine({k: D(v) for k, v in scores.items()}, criteria, "weighted")
    today = weighted_score(scores, weights)
    assert abs(combined - D(today)) < D("1e-9")


def test_dropping_the_extremes_follows_trimmed_kept():
    # 9.1 9.3 9.4 9.2 8.0 with one of each dropped: 8.0 and 9.4 go; (9.1 + 9.2 + 9.3) / 3 = 9.2.
    five = [D("9.1"), D("9.3"), D("9.4"), D("9.2"), D("8.0")]
    assert entry_points(five, drop_extremes=1) == D("9.2")
    # Without dropping: 45.0 / 5 = 9.0.
    assert entry_points(five) == 9
    # Two scores: nothing dropped, (8 + 9) / 2 = 8.5.
    assert entry_points([D(8), D(9)], drop_extremes=1) == D("8.5")
    for scores in ([5], [5, 1], [5, 1, 3], [5, 1, 3, 9], [5, 1, 3, 9, 7], [2, 8, 4, 6, 1, 9, 5]):
        for drop in (0, 1, 2):
            expected = [D(s) for s in trimmed_kept([float(s) for s in scores], drop)]
            assert kept([D(s) for s in scores], drop) == expected


def test_deductions_need_points_and_a_reason():
    with pytest.raises(ValueError, match="more than 0"):
        Deduction(D(0), "超时")
    with pytest.raises(ValueError, match="reason"):
        Deduction(D(1), "  ")
    with pytest.raises(TypeError):
        Deduction(0.5, "超时")


# --- rounding -------------------------------------------------------------------------------


def test_half_up_where_float_rounding_goes_the_other_way():
    # The mean of 8.00 and 8.25 is 16.25 / 2 = 8.125 exactly; half-up reads 8.13.
    mean = entry_points([D("8.00"), D("8.25")])
    assert mean == D("8.125")
    assert str(rounded(mean)) == "8.13"
    # The float 8.125 is exact too, yet round() rounds half to even: 8.12.
    assert round(8.125, 2) == 8.12
    assert rounded(mean, 2, "half_even") == D("8.12")
    # Half-even differs from half-up only on an even last digit kept: 8.135 → 8.14 both ways.
    assert rounded(D("8.135"), 2, "half_even") == D("8.14")


def test_the_callers_decimal_context_changes_nothing():
    # With 3 significant digits 16.25 / 2 would come out 8.12 (8.125 to even); the module
    # computes in its own context, so the mean stays 8.125 and reads 8.13.
    with localcontext(Context(prec=3)):
        mean = entry_points([D("8.00"), D("8.25")])
        assert mean == D("8.125")
        assert rounded(mean) == D("8.13")


def test_rounding_down_goes_towards_zero():
    assert rounded(D("8.129"), 2, "down") == D("8.12")
    assert rounded(D("-1.239"), 2, "down") == D("-1.23")
    assert str(rounded(D("7.25"), 1)) == "7.3"  # half-up at one place
    with pytest.raises(ValueError, match="unknown"):
        rounded(D(1), 2, "nearest")


# --- ties -----------------------------------------------------------------------------------


def standing(entry, points, tech="9", deducted_points="0"):
    return Standing(entry, D(points), {"tech": D(tech)}, D(deducted_points))


CHAIN = [("criterion", "tech"), ("fewer_deductions",), ("decision",)]


def test_no_tie_places_by_points():
    placed = rank_with_ties([standing("b", "8.5"), standing("a", "9.1")], CHAIN)
    assert placed == [Placed("a", 1), Placed("b", 2)]


def test_a_tie_on_the_shown_points_broken_by_a_criterion():
    # A 9.125 and B 9.134 both read 9.13 (half-up): tied, though B's exact points are higher.
    # Technique: A 9.2 > B 9.1, so A is placed first. C 9.50 is ahead of both.
    placed = rank_with_ties(
        [
            standing("B", "9.134", tech="9.1"),
            standing("A", "9.125", tech="9.2"),
            standing("C", "9.5"),
        ],
        CHAIN,
    )
    assert placed == [
        Placed("C", 1),
        Placed("A", 2, (), "criterion:tech"),
        Placed("B", 3, (), "criterion:tech"),
    ]


def test_the_round_rule_decides_what_is_shown_and_so_what_ties():
    # Rounded down to one place, 9.19 and 9.11 both read 9.1: tied; technique 9.0 vs 9.5
    # puts the second first. Half-up at two places they read 9.19 and 9.11: not tied.
    entries = [standing("X", "9.19", tech="9.0"), standing("Y", "9.11", tech="9.5")]
    assert [p.entry for p in rank_with_ties(entries, CHAIN, places=1, rule="down")] == ["Y", "X"]
    assert [p.entry for p in rank_with_ties(entries, CHAIN)] == ["X", "Y"]


def test_criterion_means_are_compared_as_shown_too():
    # Technique means 9.134 and 9.125 both read 9.13: tied there as well, so deductions
    # decide — K (0) before J (0.5), though J's exact technique mean is higher.
    placed = rank_with_ties(
        [
            standing("J", "9", tech="9.134", deducted_points="0.5"),
            standing("K", "9", tech="9.125"),
        ],
        CHAIN,
    )
    assert [(p.entry, p.decided_by) for p in placed] == [
        ("K", "fewer_deductions"),
        ("J", "fewer_deductions"),
    ]


def test_a_tie_broken_by_fewer_deductions():
    # Equal points 8.70 and technique 9; P lost 1.0, Q 0.5: Q has fewer deductions.
    placed = rank_with_ties(
        [standing("P", "8.7", deducted_points="1.0"), standing("Q", "8.70", deducted_points="0.5")],
        CHAIN,
    )
    assert placed == [
        Placed("Q", 1, (), "fewer_deductions"),
        Placed("P", 2, (), "fewer_deductions"),
    ]


def test_a_tie_left_after_the_chain_shares_a_place_and_skips_the_next():
    # W 9.6 first; X and Y equal on points, technique and deductions, and no decision: both
    # second, each naming the other; Z 9.0 is fourth (third is skipped).
    entries = [
        standing("Z", "9.0"),
        standing("X", "9.4"),
        standing("W", "9.6"),
        standing("Y", "9.4"),
    ]
    placed = rank_with_ties(entries, CHAIN)
    assert placed == [
        Placed("W", 1),
        Placed("X", 2, ("Y",), None),
        Placed("Y", 2, ("X",), None),
        Placed("Z", 4),
    ]


def test_a_tie_is_never_broken_by_the_entry_or_the_order_given():
    # Tied entries share the place whichever way round they come, and are listed as given
    # (not by their ids).
    a, b = standing("a", "9"), standing("b", "9")
    for chain in (CHAIN, []):
        assert rank_with_ties([b, a], chain) == [Placed("b", 1, ("a",)), Placed("a", 1, ("b",))]
        assert rank_with_ties([a, b], chain) == [Placed("a", 1, ("b",)), Placed("b", 1, ("a",))]


def test_the_chain_goes_on_within_what_a_rule_leaves_tied():
    # Three at 9.0: technique 9.5 puts S first; R and T (9.0 each) go on to deductions,
    # where R (0) beats T (0.5). U (technique 9.5, like S, and no deduction) is outside the tie.
    entries = [
        standing("R", "9", tech="9.0"),
        standing("S", "9", tech="9.5"),
        standing("T", "9", tech="9.0", deducted_points="0.5"),
        standing("U", "8", tech="9.5"),
    ]
    assert rank_with_ties(entries, CHAIN) == [
        Placed("S", 1, (), "criterion:tech"),
        Placed("R", 2, (), "fewer_deductions"),
        Placed("T", 3, (), "fewer_deductions"),
        Placed("U", 4),
    ]
    # With only the criterion rule, R and T stay tied at 2 and U is fourth.
    assert rank_with_ties(entries, [("criterion", "tech")]) == [
        Placed("S", 1, (), "criterion:tech"),
        Placed("R", 2, ("T",), None),
        Placed("T", 2, ("R",), None),
        Placed("U", 4),
    ]


def test_the_organisers_decision_breaks_a_tie_left_by_the_chain():
    # X and Y tie on everything; the organiser put Y first (a recorded reason).
    entries = [standing("X", "9.4"), standing("Y", "9.4"), standing("Z", "9.0")]
    decision = Decision(("Y", "X"), "现场复议：Y 动作完成更完整")
    assert rank_with_ties(entries, CHAIN, decisions=[decision]) == [
        Placed("Y", 1, (), "decision"),
        Placed("X", 2, (), "decision"),
        Placed("Z", 3),
    ]
    # A decision about another group (X, Y and Z) is not this tie's: it shows as a tie again.
    stale = Decision(("Y", "X", "Z"), "旧的决定")
    assert [p.place for p in rank_with_ties(entries, CHAIN, decisions=[stale])] == [1, 1, 3]
    # Without "decision" in the chain the recorded order is not applied.
    placed = rank_with_ties(entries, CHAIN[:2], decisions=[decision])
    assert [p.place for p in placed] == [1, 1, 3]


def test_decisions_and_chains_are_checked():
    with pytest.raises(ValueError, match="reason"):
        Decision(("a", "b"), "")
    with pytest.raises(ValueError, match="each once"):
        Decision(("a", "a"), "因为")
    assert tie_break_check(CHAIN, [TENTHS]) == []
    assert tie_break_check([("criterion", "nope")], [TENTHS]) == ["unknown_criterion"]
    assert tie_break_check([("coin",)], [TENTHS]) == ["unknown_rule"]
    assert tie_break_check([("decision",), ("fewer_deductions",)], [TENTHS]) == [
        "decision_not_last"
    ]
    assert tie_break_check([("fewer_deductions",), ("fewer_deductions",)], []) == ["rule_repeated"]
    with pytest.raises(ValueError, match="unknown tie-break"):
        rank_with_ties([standing("a", "9")], [("coin",)])
    with pytest.raises(ValueError, match="twice"):
        rank_with_ties([standing("a", "9"), standing("a", "8")], CHAIN)
