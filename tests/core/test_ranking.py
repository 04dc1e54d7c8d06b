"""The ranking core, against answers worked out by hand and designs whose answer is known.

The reference inputs live in ``ranking_cases/`` beside their expected rankings
(``expected_*.csv``, in the command's own ``rank,entry,score,low,high,reviews`` format).
The hand computations behind them are written out next to each test below.
"""

import csv
import math
import random
from pathlib import Path

import pytest

from laurel.core.ranking import (
    Comparison,
    Review,
    rank_pairs,
    rank_scores,
    trimmed_mean,
    weighted_score,
)
from laurel.core.ranking_files import scores_read

CASES = Path(__file__).parent / "ranking_cases"


# --- helpers -------------------------------------------------------------------------------


def reviews(rows) -> list[Review]:
    return [Review(entry, judge, float(score)) for entry, judge, score in rows]


def expected(name: str) -> list[dict[str, str]]:
    with (CASES / name).open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert rows, name
    return rows


def assert_matches(ranking, name: str) -> None:
    """The ranking equals ``name``: same entries in the same order, ranks, review counts,
    scores to the 4 decimals written, and no interval (these methods have none)."""
    want = expected(name)
    got = ranking.entries
    assert [row.entry for row in got] == [row["entry"] for row in want]
    assert [row.rank for row in got] == [int(row["rank"]) for row in want]
    assert [row.reviews for row in got] == [int(row["reviews"]) for row in want]
    assert [row.score for row in got] == pytest.approx(
        [float(row["score"]) for row in want], abs=1e-3
    )
    assert all(row["low"] == row["high"] == "" for row in want)
    assert all(row.low is None and row.high is None for row in got)


def by_entry(ranking) -> dict:
    return {row.entry: row for row in ranking.entries}


def by_judge(ranking) -> dict:
    return {report.judge: report for report in ranking.judges}


def assert_ranks_one_to_n(ranking) -> None:
    assert [row.rank for row in ranking.entries] == list(range(1, len(ranking.entries) + 1))
    assert len({row.entry for row in ranking.entries}) == len(ranking.entries)


# --- mean ----------------------------------------------------------------------------------


def test_mean_reference_case():
    # E1: 7 8 9 → 24/3 = 8.0 (3)     E2: 6 9 → 7.5 (2; J2 missing)   E3: 10 4 7 → 7.0 (3)
    # E4: 8 8 8 → 8.0 (3)            E5: 8 8 → 8.0 (2; J1 missing)
    # 8.0 three times: E1 and E4 (3 reviews, raw mean 8 both → id "E1" < "E4"), then E5.
    ranking = rank_scores(scores_read(CASES / "mean.csv"), "mean")
    assert_matches(ranking, "expected_mean.csv")
    assert ranking.judges == []
    assert ranking.parts == []
    assert ranking.flagged == []


# --- trimmed -------------------------------------------------------------------------------

# trimmed_3.csv   T1: 5 9 6 → 6 (drop 5, 9)     T2: 7 7 4 → 7 (drop 4, 7)
#                 T3: 8 2 (J3 missing: 2 scores, nothing dropped) → 5.0
#                 trim=2 with 3 scores still drops one each side: the same answer.
# trimmed_5.csv   F1: 2 6 7 9 10   trim=1 → (6+7+9)/3 = 7.3333   trim=2 → 7
#                 F2: 1 7 8 8 9    trim=1 → (7+8+8)/3 = 7.6667   trim=2 → 8
#                 F3: 3 5 6 9 (J5 missing, 4 scores: 1 each side even with trim=2) → 5.5
# trimmed_7.csv   S1: 5 6 7 7 8 9 10   trim=1 → 37/5 = 7.4      trim=2 → (7+7+8)/3 = 7.3333
#                 S3: 6 6 6 7 10 10 10 trim=1 → 39/5 = 7.8      trim=2 → (6+7+10)/3 = 7.6667
#                 S4: 3 5 8 8 8 9 9    trim=1 → 38/5 = 7.6      trim=2 → 8
#                 S6: 2 5 7 8 9 9 (6)  trim=1 → 29/4 = 7.25     trim=2 → (7+8)/2 = 7.5
#                 S5: 9 4 (2 scores)   → 6.5 either way
#                 (S3/S4 and S1/S6 swap places between trim=1 and trim=2.)
# trimmed_9.csv   N1: 1 4 5 6 6 7 8 9 10  trim=1 → 45/7 = 6.4286  trim=2 → 32/5 = 6.4
#                 N2: 2 3 6 6 6 6 7 9 9   trim=1 → 43/7 = 6.1429  trim=2 → 31/5 = 6.2
#                 N3: 10 3 6 (3 scores)   → 6 either way


@pytest.mark.parametrize("judges", [3, 5, 7, 9])
@pytest.mark.parametrize("trim", [1, 2])
def test_trimmed_reference_cases(judges, trim):
    ranking = rank_scores(scores_read(CASES / f"trimmed_{judges}.csv"), "trimmed", trim=trim)
    assert_matches(ranking, f"expected_trimmed_{judges}_trim{trim}.csv")
    assert ranking.flagged == []  # no tolerance given


def test_trimmed_mean_of_seven_scores_by_hand():
    scores = [5, 6, 7, 7, 8, 9, 10]
    assert trimmed_mean(scores, 1) == pytest.approx((6 + 7 + 7 + 8 + 9) / 5)  # 7.4
    assert trimmed_mean(scores, 2) == pytest.approx((7 + 7 + 8) / 3)  # 7.333…
    assert trimmed_mean(list(reversed(scores)), 2) == pytest.approx(22 / 3)  # order-free


@pytest.mark.parametrize(
    ("scores", "trim", "answer"),
    [
        ([4.0], 1, 4.0),  # one score: itself
        ([2.0, 9.0], 1, 5.5),  # two: nothing dropped
        ([2.0, 9.0], 2, 5.5),
        ([1.0, 5.0, 9.5], 1, 5.0),  # three: one each side
        ([1.0, 5.0, 9.5], 2, 5.0),  # three with trim=2: still one each side
        ([1.0, 4.0, 6.0, 10.0], 2, 5.0),  # four with trim=2: one each side
        ([1.0, 4.0, 5.0, 6.0, 10.0], 2, 5.0),  # five with trim=2: two each side
        ([1.0, 4.0, 5.0, 7.0, 10.0], 1, 16 / 3),
    ],
)
def test_trimmed_mean_drops_by_its_own_count(scores, trim, answer):
    assert trimmed_mean(scores, trim) == pytest.approx(answer)


def test_trimmed_tolerance_flags_the_kept_spread_only():
    # trimmed_7.csv, kept scores and their spread:
    #   trim=1: S1 6..9 (3)  S3 6..10 (4)  S4 5..9 (4)  S6 5..9 (4)  S5 4..9 (5, none dropped)
    #   trim=2: S1 7..8 (1)  S3 6..10 (4)  S4 8..8 (0)  S6 7..8 (1)  S5 4..9 (5)
    # tolerance 3 flags a spread above 3 (a spread of exactly 3 is within it).
    reviews_7 = scores_read(CASES / "trimmed_7.csv")
    one = rank_scores(reviews_7, "trimmed", trim=1, tolerance=3)
    assert sorted(one.flagged) == ["S3", "S4", "S5", "S6"]
    two = rank_scores(reviews_7, "trimmed", trim=2, tolerance=3)
    assert sorted(two.flagged) == ["S3", "S5"]
    assert rank_scores(reviews_7, "trimmed", trim=1, tolerance=5).flagged == []
    assert rank_scores(reviews_7, "trimmed", trim=1, tolerance=4.9).flagged == ["S5"]
    # The flag does not change the ranking.
    assert [row.entry for row in one.entries] == ["S3", "S4", "S1", "S6", "S5"]


# --- zscore --------------------------------------------------------------------------------


def test_zscore_reference_case():
    # Per judge, mean and population sd:
    #   J1: A8 B6 C5 D4 E2   mean 5  deviations 3 1 0 -1 -3   sd √(20/5) = 2
    #       z: A 1.5  B 0.5  C 0  D -0.5  E -1.5
    #   J2: A8 B10 C6 D7 E4  mean 7  deviations 1 3 -1 0 -3   sd 2
    #       z: A 0.5  B 1.5  C -0.5  D 0  E -1.5
    #   J3: A5 B3 C5 D3 (E missing)  mean 4  deviations ±1   sd 1
    #       z: A 1  B -1  C 1  D -1
    # Mean z: A (1.5+0.5+1)/3 = 1   B (0.5+1.5-1)/3 = 1/3   C (0-0.5+1)/3 = 1/6
    #         D (-0.5+0-1)/3 = -1/2   E (-1.5-1.5)/2 = -3/2
    # All 14 scores: sum 76, sum of squares 478 → mean 76/14 = 5.428571,
    #   population variance 478/14 - (76/14)² = 916/196 = 229/49 → sd √229/7 = 2.161821
    # Score = 5.428571 + 2.161821·z:  A 7.5904  B 6.1492  C 5.7889  D 4.3477  E 2.1858
    ranking = rank_scores(scores_read(CASES / "zscore.csv"), "zscore")
    assert_matches(ranking, "expected_zscore.csv")
    assert by_entry(ranking)["A"].score == pytest.approx(76 / 14 + math.sqrt(229) / 7, abs=1e-9)


def test_zscore_is_back_on_the_input_scale():
    """Adding 10 points to every score moves every result by 10; doubling them doubles."""
    base = scores_read(CASES / "zscore.csv")
    plain = by_entry(rank_scores(base, "zscore"))
    shifted = rank_scores([Review(r.entry, r.judge, r.score + 10) for r in base], "zscore")
    doubled = rank_scores([Review(r.entry, r.judge, r.score * 2) for r in base], "zscore")
    for row in shifted.entries:
        assert row.score == pytest.approx(plain[row.entry].score + 10, abs=1e-9)
    for row in doubled.entries:
        assert row.score == pytest.approx(plain[row.entry].score * 2, abs=1e-9)


def test_zscore_removes_a_lenient_judges_bonus():
    # Judge L gives every entry it sees exactly 3 more than judge H would; X and Y are
    # equal in H's eyes, and only X was also seen by L: the mean favours X, zscore does not.
    rows = [
        ("X", "H", 6),
        ("Y", "H", 6),
        ("Z", "H", 4),
        ("W", "H", 8),
        ("X", "L", 9),
        ("Z", "L", 7),
        ("W", "L", 11),
    ]
    mean = by_entry(rank_scores(reviews(rows), "mean"))
    assert mean["X"].score == pytest.approx(7.5)
    assert mean["Y"].score == pytest.approx(6.0)
    z = by_entry(rank_scores(reviews(rows), "zscore"))
    # H: mean 6, sd √2 → z(X) = z(Y) = 0; L: mean 9, sd √(8/3) → z(X) = 0.
    # Both entries are exactly at the overall mean.
    overall = sum(score for *_, score in rows) / len(rows)
    assert z["X"].score == pytest.approx(overall, abs=1e-9)
    assert z["Y"].score == pytest.approx(overall, abs=1e-9)


# --- calibrated ----------------------------------------------------------------------------

A_SCORES = {"E0": 4, "E1": 5, "E2": 6, "E3": 7}


def test_calibrated_a_judge_two_points_more_lenient_is_an_offset():
    rows = [(entry, "A", s) for entry, s in A_SCORES.items()]
    rows += [(entry, "B", s + 2) for entry, s in A_SCORES.items()]
    ranking = rank_scores(reviews(rows), "calibrated")
    assert [row.entry for row in ranking.entries] == ["E3", "E2", "E1", "E0"]
    scores = [row.score for row in ranking.entries]
    # A's spacing (1 point), equal steps: exactly what both judges agree on.
    assert [high - low for high, low in zip(scores, scores[1:], strict=False)] == pytest.approx(
        [1.0, 1.0, 1.0], abs=1e-3
    )
    judges = by_judge(ranking)
    assert judges["A"].scale == pytest.approx(judges["B"].scale, abs=1e-3)
    assert judges["A"].scale == pytest.approx(1.0, abs=1e-3)
    assert judges["B"].offset - judges["A"].offset == pytest.approx(2.0, abs=0.1)


def test_calibrated_a_stretched_judge_is_a_scale():
    rows = [(entry, "A", s) for entry, s in A_SCORES.items()]
    rows += [(entry, "B", 2 * (s - 5) + 5) for entry, s in A_SCORES.items()]  # 3 5 7 9
    ranking = rank_scores(reviews(rows), "calibrated")
    assert [row.entry for row in ranking.entries] == ["E3", "E2", "E1", "E0"]
    scores = [row.score for row in ranking.entries]
    steps = [high - low for high, low in zip(scores, scores[1:], strict=False)]
    assert steps == pytest.approx([steps[0]] * 3, abs=1e-2)  # still equal steps
    judges = by_judge(ranking)
    assert judges["B"].scale / judges["A"].scale == pytest.approx(2.0, rel=0.1)
    assert judges["A"].note == judges["B"].note == ""


def test_calibrated_a_judge_giving_everything_the_same_score_is_noted_and_ignored():
    honest_1 = {"E0": 3, "E1": 4, "E2": 5, "E3": 6, "E4": 7, "E5": 8}
    rows = [(entry, "H1", s) for entry, s in honest_1.items()]
    rows += [(entry, "H2", s + 1) for entry, s in honest_1.items()]
    honest_only = rank_scores(reviews(rows), "calibrated")
    rows += [(entry, "C", 6) for entry in honest_1]
    ranking = rank_scores(reviews(rows), "calibrated")
    order = ["E5", "E4", "E3", "E2", "E1", "E0"]
    assert [row.entry for row in honest_only.entries] == order
    assert [row.entry for row in ranking.entries] == order
    judges = by_judge(ranking)
    assert judges["C"].note == "same score for everything"
    assert judges["H1"].note == judges["H2"].note == ""
    assert abs(judges["C"].scale) < 0.25  # the flat judge's scores stop counting
    assert judges["H1"].scale == pytest.approx(1.0, abs=0.05)


def test_calibrated_parts_without_a_common_judge_keep_their_raw_means():
    rows = [
        ("E1", "A", 5),
        ("E2", "A", 7),
        ("E1", "B", 6),
        ("E2", "B", 8),
        ("F1", "C", 3),
        ("F2", "C", 9),
        ("F1", "D", 4),
        ("F2", "D", 8),
        ("F1", "E", 7),  # E: 3 points more lenient, so the part's median judge is not
        ("F2", "E", 11),  # its mean judge: only the raw mean places the part
    ]
    ranking = rank_scores(reviews(rows), "calibrated")
    assert len(ranking.parts) == 2
    assert sorted(sorted(part.judges) for part in ranking.parts) == [["A", "B"], ["C", "D", "E"]]
    assert sorted(part.entries for part in ranking.parts) == [2, 2]
    scores = by_entry(ranking)
    # Raw means of the parts: (5+7+6+8)/4 = 6.5 and (3+9+4+8+7+11)/6 = 7.
    assert (scores["E1"].score + scores["E2"].score) / 2 == pytest.approx(6.5, abs=1e-6)
    assert (scores["F1"].score + scores["F2"].score) / 2 == pytest.approx(7.0, abs=1e-6)
    assert scores["E2"].score > scores["E1"].score
    assert scores["F2"].score > scores["F1"].score
    # A single judge bridging the two parts joins them.
    joined = rank_scores(reviews([*rows, ("F1", "A", 4)]), "calibrated")
    assert joined.parts == []


def test_calibrated_intervals_hold_the_estimate_and_narrow_with_more_reviews():
    # J1..J6 score each entry as its quality plus their own fixed offset. P, R and S are
    # seen by all six; Q only by J1 and J2.
    offsets = {"J1": 0, "J2": 1, "J3": -1, "J4": 0.5, "J5": 0, "J6": -0.5}
    quality = {"P": 7, "Q": 6, "R": 5, "S": 8}
    rows = [
        (entry, judge, quality[entry] + offset)
        for judge, offset in offsets.items()
        for entry in ("P", "R", "S")
    ]
    rows += [("Q", judge, quality["Q"] + offsets[judge]) for judge in ("J1", "J2")]
    ranking = rank_scores(reviews(rows), "calibrated")
    assert [row.entry for row in ranking.entries] == ["S", "P", "Q", "R"]
    for row in ranking.entries:
        assert row.low is not None
        assert row.high is not None
        assert row.low <= row.score <= row.high
    entries = by_entry(ranking)
    assert entries["P"].reviews == 6
    assert entries["Q"].reviews == 2
    width = {name: row.high - row.low for name, row in entries.items()}
    assert width["P"] < width["Q"]


def test_calibrated_estimates_and_intervals_stay_inside_the_scale():
    rows = [(entry, judge, 10) for entry in ("A", "B") for judge in ("J1", "J2", "J3")]
    rows += [("C", judge, s) for judge, s in (("J1", 1), ("J2", 2), ("J3", 1))]
    ranking = rank_scores(reviews(rows), "calibrated", scale=(1, 10))
    for row in ranking.entries:
        assert 1 <= row.low <= row.score <= row.high <= 10


# --- bt ------------------------------------------------------------------------------------

TRANSITIVE = [("A", "B"), ("B", "C"), ("A", "C")]


def test_bt_transitive_choices_rank_in_order_with_decreasing_intervals():
    comparisons = [
        Comparison(judge, winner, loser)
        for judge in ("J1", "J2", "J3")
        for winner, loser in TRANSITIVE * 2
    ]
    ranking = rank_pairs(comparisons)
    assert ranking.method == "bt"
    assert [row.entry for row in ranking.entries] == ["A", "B", "C"]
    assert_ranks_one_to_n(ranking)
    a, b, c = ranking.entries
    assert a.score > b.score > c.score
    assert a.low > b.low > c.low
    assert a.high > b.high > c.high
    for row in ranking.entries:
        assert row.low < row.score < row.high
        assert row.reviews == 12  # 3 judges × 2 rounds × 2 pairs each


def test_bt_an_entry_compared_less_often_has_a_wider_interval():
    comparisons = [
        Comparison(judge, winner, loser)
        for judge in ("J1", "J2", "J3")
        for winner, loser in TRANSITIVE * 2
    ]
    comparisons += [Comparison("J1", "B", "D"), Comparison("J2", "D", "B")]  # D: 2 choices
    entries = by_entry(rank_pairs(comparisons))
    assert entries["D"].reviews == 2
    assert entries["B"].reviews == 14
    width = {name: row.high - row.low for name, row in entries.items()}
    assert width["D"] > width["B"]
    assert entries["D"].low < entries["D"].score < entries["D"].high


def test_bt_a_judge_picking_the_opposite_is_less_reliable():
    pairs = [(w, loser) for w, loser in [*TRANSITIVE, ("A", "D"), ("B", "D"), ("C", "D")]]
    comparisons = [
        Comparison(judge, winner, loser) for judge in ("J1", "J2", "J3") for winner, loser in pairs
    ] * 2
    comparisons += [Comparison("X", loser, winner) for winner, loser in pairs] * 2
    ranking = rank_pairs(comparisons)
    assert [row.entry for row in ranking.entries] == ["A", "B", "C", "D"]
    reliability = {report.judge: report.scale for report in ranking.judges}
    assert {report.judge: report.reviews for report in ranking.judges} == {
        "J1": 12,
        "J2": 12,
        "J3": 12,
        "X": 12,
    }
    for honest in ("J1", "J2", "J3"):
        assert reliability["X"] < reliability[honest]


def test_bt_needs_comparisons():
    with pytest.raises(ValueError, match="no comparisons"):
        rank_pairs([])


# --- tie-breaking and ranks ----------------------------------------------------------------


def test_ties_go_to_more_reviews_then_entry_id_as_text():
    rows = [
        ("9", "J1", 8),
        ("9", "J2", 8),
        ("10", "J1", 7),
        ("10", "J2", 9),
        ("E2", "J1", 9),
        ("E2", "J2", 7),
        ("B", "J1", 6),
        ("B", "J2", 8),
        ("B", "J3", 10),
    ]
    # Every entry's mean is 8; B has 3 reviews, the others 2 with raw mean 8: then the id
    # as text, where "10" < "9" < "E2".
    ranking = rank_scores(reviews(rows), "mean")
    assert [row.entry for row in ranking.entries] == ["B", "10", "9", "E2"]
    assert_ranks_one_to_n(ranking)


def test_trimmed_ties_go_to_more_reviews_then_higher_raw_mean():
    rows = [
        ("U", "J1", 6),
        ("U", "J2", 8),  # 2 scores: 7, raw mean 7
        ("T", "J1", 5),
        ("T", "J2", 7),
        ("T", "J3", 9),  # 3 scores: trimmed 7, raw mean 7
        ("X", "J1", 1),
        ("X", "J2", 7),
        ("X", "J3", 7),  # trimmed 7, raw mean 5
        ("Y", "J1", 7),
        ("Y", "J2", 7),
        ("Y", "J3", 10),  # trimmed 7, raw mean 8
    ]
    ranking = rank_scores(reviews(rows), "trimmed")
    assert [row.score for row in ranking.entries] == pytest.approx([7.0] * 4)
    assert [row.entry for row in ranking.entries] == ["Y", "T", "X", "U"]


def test_zscore_ties_go_to_the_higher_raw_mean():
    # J1: X 4, A 6 → mean 5, sd 1;  J2: Y 6, B 10 → mean 8, sd 2.
    # z: A = B = +1 and X = Y = -1 exactly; raw means B 10 > A 6 and Y 6 > X 4.
    rows = [("X", "J1", 4), ("A", "J1", 6), ("Y", "J2", 6), ("B", "J2", 10)]
    ranking = rank_scores(reviews(rows), "zscore")
    assert [row.entry for row in ranking.entries] == ["B", "A", "Y", "X"]
    scores = [row.score for row in ranking.entries]
    assert scores[0] == scores[1]
    assert scores[2] == scores[3]
    # overall mean 6.5, population sd √(19/4)
    assert scores[0] == pytest.approx(6.5 + math.sqrt(19 / 4), abs=1e-9)
    assert_ranks_one_to_n(ranking)


def test_calibrated_ties_go_to_more_reviews_then_entry_id_as_text():
    # Every score is 5: every entry is estimated at 5 exactly.
    rows = [("E1", judge, 5) for judge in ("J1", "J2", "J3")]
    rows += [(entry, judge, 5) for entry in ("E2", "10", "9") for judge in ("J1", "J2")]
    ranking = rank_scores(reviews(rows), "calibrated")
    assert [row.score for row in ranking.entries] == pytest.approx([5.0] * 4, abs=1e-9)
    assert [row.entry for row in ranking.entries] == ["E1", "10", "9", "E2"]
    assert_ranks_one_to_n(ranking)


def test_mean_ties_hidden_by_rounding_still_go_to_more_reviews():
    # A: 8.9 7.3 5.7 → 21.9/3 = 7.3;  B: 9.9 4.7 → 14.6/2 = 7.3. Equal means (both print as
    # 7.3000), so A, with more reviews, comes first — whatever the last bit of the division.
    rows = [
        ("A", "J1", 8.9),
        ("A", "J2", 7.3),
        ("A", "J3", 5.7),
        ("B", "J1", 9.9),
        ("B", "J2", 4.7),
    ]
    ranking = rank_scores(reviews(rows), "mean")
    assert [round(row.score, 4) for row in ranking.entries] == [7.3, 7.3]
    assert [row.entry for row in ranking.entries] == ["A", "B"]


@pytest.mark.parametrize("method", ["mean", "trimmed", "zscore", "calibrated"])
def test_every_method_ranks_exactly_one_to_n_in_the_documented_order(method):
    chance = random.Random(7)
    rows = []
    for number in range(30):
        judges = chance.sample([f"J{k}" for k in range(8)], chance.randint(2, 6))
        rows += [(f"E{number}", judge, chance.randint(1, 10)) for judge in judges]
    ranking = rank_scores(reviews(rows), method, scale=(1, 10))
    assert_ranks_one_to_n(ranking)
    assert {row.entry for row in ranking.entries} == {f"E{n}" for n in range(30)}
    raw = {}
    for entry, _judge, score in rows:
        raw.setdefault(entry, []).append(score)
    for row in ranking.entries:
        assert row.reviews == len(raw[row.entry])

    def key(row):
        scores = raw[row.entry]
        return (-row.score, -len(scores), -sum(scores) / len(scores), row.entry)

    assert ranking.entries == sorted(ranking.entries, key=key)
    if method == "mean":  # integer scores: equal means are equal floats, so ties happen
        assert len({row.score for row in ranking.entries}) < len(ranking.entries)


def test_unknown_method_and_no_scores_are_refused():
    with pytest.raises(ValueError, match="unknown method"):
        rank_scores(reviews([("E1", "J1", 5)]), "median")
    with pytest.raises(ValueError, match="no scores"):
        rank_scores([], "mean")


# --- weighted score ------------------------------------------------------------------------


def test_weighted_score_by_hand():
    # (8·30 + 6·30 + 7·20 + 9·20) / 100 = (240 + 180 + 140 + 180) / 100 = 7.4
    criteria = {"主题": 8, "构图": 6, "技术": 7, "创意": 9}
    weights = {"主题": 30, "构图": 30, "技术": 20, "创意": 20}
    assert weighted_score(criteria, weights) == pytest.approx(7.4)
    # Weights need not sum to 100: 3:3:2:2 is the same.
    assert weighted_score(criteria, {"主题": 3, "构图": 3, "技术": 2, "创意": 2}) == pytest.approx(
        7.4
    )
    # A criterion without a weight does not count.
    assert weighted_score({**criteria, "其他": 1}, weights) == pytest.approx(7.4)


def test_weighted_score_needs_every_weighted_criterion():
    with pytest.raises(ValueError, match="构图"):
        weighted_score({"主题": 8, "技术": 7, "创意": 9}, {"主题": 30, "构图": 30, "技术": 40})


@pytest.mark.parametrize("weights", [{"主题": 0, "构图": 0}, {}])
def test_weighted_score_refuses_weights_adding_to_nothing(weights):
    with pytest.raises(ValueError, match="more than 0"):
        weighted_score({"主题": 8, "构图": 6}, weights)
