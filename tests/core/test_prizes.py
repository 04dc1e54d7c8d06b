"""Prizes from a ranking: tiers proposed down the ranking under a per-author cap, the
authors over the cap, and the near ties across a prize boundary (``core.prizes``)."""

from collections import Counter

import pytest
from hypothesis import given
from hypothesis import strategies as st

from laurel.core.prizes import (
    BoundaryWarning,
    Ranked,
    Tier,
    boundary_warnings,
    prizes_over_cap,
    tiers_propose,
)

TIERS = [Tier("一等奖", 1), Tier("二等奖", 2), Tier("三等奖", 3)]
ORDER = [tier.name for tier in TIERS]


def ranking(*authors: str) -> list[Ranked]:
    """Entries e1, e2, ... in rank order by the given authors, scores falling."""
    return [
        Ranked(entry=f"e{k}", author=author, score=10.0 - k)
        for k, author in enumerate(authors, start=1)
    ]


# --- tiers_propose -------------------------------------------------------------------------


def test_tiers_are_filled_in_rank_order():
    ranked = ranking("a", "b", "c", "d", "e", "f", "g", "h")

    prizes = tiers_propose(ranked, TIERS)

    assert prizes == {
        "e1": "一等奖",
        "e2": "二等奖",
        "e3": "二等奖",
        "e4": "三等奖",
        "e5": "三等奖",
        "e6": "三等奖",
    }
    assert list(prizes) == ["e1", "e2", "e3", "e4", "e5", "e6"]  # in rank order


def test_the_cap_passes_over_an_entry_and_the_place_goes_to_the_next():
    # a holds the first prize; a's second entry (e2) is passed over; e3 takes 二等奖
    ranked = ranking("a", "a", "b", "c", "a", "d", "e", "f")

    prizes = tiers_propose(ranked, TIERS, per_author=1)

    assert prizes == {
        "e1": "一等奖",
        "e3": "二等奖",
        "e4": "二等奖",
        "e6": "三等奖",
        "e7": "三等奖",
        "e8": "三等奖",
    }


def test_a_cap_of_two_lets_the_second_entry_through_but_not_the_third():
    ranked = ranking("a", "a", "a", "b", "c", "d", "e")

    prizes = tiers_propose(ranked, TIERS, per_author=2)

    assert prizes == {
        "e1": "一等奖",
        "e2": "二等奖",
        "e4": "二等奖",
        "e5": "三等奖",
        "e6": "三等奖",
        "e7": "三等奖",
    }


def test_without_a_cap_one_author_may_take_every_prize():
    ranked = ranking(*"aaaaaa")

    assert tiers_propose(ranked, TIERS) == {
        "e1": "一等奖",
        "e2": "二等奖",
        "e3": "二等奖",
        "e4": "三等奖",
        "e5": "三等奖",
        "e6": "三等奖",
    }


def test_fewer_entries_than_places_leaves_the_lower_places_empty():
    ranked = ranking("a", "b")

    assert tiers_propose(ranked, TIERS) == {"e1": "一等奖", "e2": "二等奖"}
    assert tiers_propose([], TIERS) == {}


def test_a_capped_author_can_leave_places_empty():
    ranked = ranking("a", "a", "a", "b")

    assert tiers_propose(ranked, TIERS, per_author=1) == {"e1": "一等奖", "e4": "二等奖"}


def test_a_tier_of_no_places_is_skipped():
    ranked = ranking("a", "b", "c")

    prizes = tiers_propose(ranked, [Tier("一等奖", 0), Tier("二等奖", 2)])

    assert prizes == {"e1": "二等奖", "e2": "二等奖"}


# --- prizes_over_cap -----------------------------------------------------------------------


def test_prizes_over_cap_names_the_authors_above_it():
    prizes = {"e1": "一等奖", "e2": "二等奖", "e3": "二等奖", "e4": "三等奖"}
    authors = {"e1": "a", "e2": "a", "e3": "b", "e4": "a"}

    assert prizes_over_cap(prizes, authors, 2) == {"a": ["e1", "e2", "e4"]}
    assert prizes_over_cap(prizes, authors, 1) == {"a": ["e1", "e2", "e4"]}
    assert prizes_over_cap(prizes, authors, 3) == {}
    assert prizes_over_cap(prizes, authors, None) == {}


# --- boundary_warnings ---------------------------------------------------------------------


def test_entries_crossing_a_boundary_are_found_on_each_side():
    ranked = [
        Ranked("e1", "a", 10.0, low=8.8, high=11.0),  # 一等奖; low under the cut (9.0)
        Ranked("e2", "b", 8.0, low=7.5, high=9.2),  # 二等奖; high over the cut (9.0)
        Ranked("e3", "c", 7.8, low=7.0, high=8.9),  # 二等奖; crosses nothing
        Ranked("e4", "d", 6.0, low=5.9, high=7.0),  # no prize; high over the cut (6.9)
        Ranked("e5", "e", 3.0, low=2.0, high=6.8),  # no prize; under the cut
    ]
    prizes = {"e1": "一等奖", "e2": "二等奖", "e3": "二等奖"}

    warnings = boundary_warnings(ranked, prizes, ORDER)

    assert len(warnings) == 2
    first, second = warnings
    assert (first.above, first.below) == ("一等奖", "二等奖")
    assert first.score == pytest.approx(9.0)  # (10.0 + 8.0) / 2
    assert first.entries_above == ["e1"]
    assert first.entries_below == ["e2"]
    assert (second.above, second.below) == ("二等奖", "")
    assert second.score == pytest.approx(6.9)  # (7.8 + 6.0) / 2
    assert second.entries_above == []
    assert second.entries_below == ["e4"]


def test_an_entry_above_reaching_down_is_found_alone():
    ranked = [
        Ranked("e1", "a", 9.0, low=8.9, high=9.1),
        Ranked("e2", "b", 8.0, low=7.0, high=8.2),  # 一等奖 ends here; low 7.0 < 7.6
        Ranked("e3", "c", 7.2, low=7.1, high=7.3),
    ]
    warnings = boundary_warnings(ranked, {"e1": "一等奖", "e2": "一等奖"}, ORDER)

    assert warnings == [
        BoundaryWarning(
            above="一等奖",
            below="",
            score=pytest.approx(7.6),
            entries_above=["e2"],
            entries_below=[],
        )
    ]


def test_no_warning_when_the_intervals_are_tight():
    ranked = [
        Ranked("e1", "a", 10.0, low=9.9, high=10.1),
        Ranked("e2", "b", 8.0, low=7.9, high=8.1),
        Ranked("e3", "c", 7.8, low=7.7, high=7.9),
        Ranked("e4", "d", 6.0, low=5.9, high=6.1),
    ]
    prizes = {"e1": "一等奖", "e2": "二等奖", "e3": "二等奖"}

    assert boundary_warnings(ranked, prizes, ORDER) == []


def test_entries_without_a_score_are_ignored():
    ranked = [
        Ranked("e1", "a", 10.0, low=9.9, high=10.1),
        Ranked("e2", "b", None, low=0.0, high=100.0),  # no score: neither a side nor a cut
        Ranked("e3", "c", 6.0, low=5.9, high=6.1),
    ]
    prizes = {"e1": "一等奖", "e2": "一等奖"}

    assert boundary_warnings(ranked, prizes, ORDER) == []

    # and with a crossing, the cut is still the midpoint of the scored neighbours
    ranked[2] = Ranked("e3", "c", 6.0, low=5.0, high=8.5)
    (warning,) = boundary_warnings(ranked, prizes, ORDER)
    assert warning.score == pytest.approx(8.0)
    assert warning.entries_above == []
    assert warning.entries_below == ["e3"]


def test_entries_without_an_interval_never_cross():
    # the mean method: a score, no interval; however close the scores, no warning
    ranked = [
        Ranked("e1", "a", 8.0),
        Ranked("e2", "b", 7.999),
        Ranked("e3", "c", 7.998),
    ]
    prizes = {"e1": "一等奖", "e2": "二等奖"}

    assert boundary_warnings(ranked, prizes, ORDER) == []


def test_a_missing_tier_joins_the_tiers_on_either_side():
    # nobody holds 二等奖: the boundary runs from 一等奖 straight to 三等奖
    ranked = [
        Ranked("e1", "a", 9.0, low=7.0, high=9.5),
        Ranked("e2", "b", 8.0, low=7.5, high=8.5),
    ]
    (warning,) = boundary_warnings(ranked, {"e1": "一等奖", "e2": "三等奖"}, ORDER)

    assert (warning.above, warning.below) == ("一等奖", "三等奖")
    assert warning.score == pytest.approx(8.5)
    assert warning.entries_above == ["e1"]
    assert warning.entries_below == []


# --- the proposal's properties -------------------------------------------------------------


@st.composite
def proposals(draw):
    n = draw(st.integers(min_value=0, max_value=25))
    authors = draw(st.lists(st.sampled_from("abcdef"), min_size=n, max_size=n))
    ranked = [Ranked(f"e{k}", author, float(100 - k)) for k, author in enumerate(authors)]
    counts = draw(st.lists(st.integers(min_value=0, max_value=5), min_size=1, max_size=4))
    tiers = [Tier(f"T{k}", count) for k, count in enumerate(counts)]
    per_author = draw(st.none() | st.integers(min_value=1, max_value=3))
    return ranked, tiers, per_author


@given(proposals())
def test_the_proposal_respects_cap_counts_and_rank_order(case):
    ranked, tiers, per_author = case
    slots = [tier.name for tier in tiers for _ in range(tier.count)]

    prizes = tiers_propose(ranked, tiers, per_author)

    author_of = {r.entry: r.author for r in ranked}
    assert set(prizes) <= set(author_of)
    # never more than the cap per author
    if per_author is not None:
        assert max(Counter(author_of[e] for e in prizes).values(), default=0) <= per_author
    # never more than a tier's places
    given_per_tier = Counter(prizes.values())
    for tier in tiers:
        assert given_per_tier[tier.name] <= tier.count
    # the winners, in rank order, take the places in tier order
    winners = [r.entry for r in ranked if r.entry in prizes]
    assert [prizes[e] for e in winners] == slots[: len(winners)]
    # an entry is passed over only when its author already holds the cap (from entries
    # ranked above it), or when every place is gone
    held: Counter = Counter()
    given_so_far = 0
    for r in ranked:
        if r.entry in prizes:
            held[r.author] += 1
            given_so_far += 1
        elif given_so_far < len(slots):
            assert per_author is not None
            assert held[r.author] >= per_author
    # places stay empty only when no entry could take them
    if len(prizes) < len(slots):
        for r in ranked:
            if r.entry not in prizes:
                assert per_author is not None
                assert held[r.author] >= per_author
