"""The units' own prizes (优秀组织奖) proposed by the stated rule (``core.prizes``): more of the
highest prize first, then of the next; ties by more accepted entries, then by name; no
accepted entry, no prize."""

from laurel.core.prizes import Tier, UnitStanding, unit_tiers_propose

ORDER = ["一等奖", "二等奖", "三等奖"]
ORGANISATION = [Tier("优秀组织奖", 2)]


def standing(unit: str, accepted: int, **prizes: int) -> UnitStanding:
    names = {"first": "一等奖", "second": "二等奖", "third": "三等奖"}
    return UnitStanding(unit, f"区{unit}", {names[k]: v for k, v in prizes.items()}, accepted)


def test_one_higher_prize_beats_any_number_of_lower_ones():
    standings = [
        standing("a", 30, second=9, third=20),
        standing("b", 5, first=1),
        standing("c", 10, first=1, third=1),
    ]
    assert unit_tiers_propose(standings, ORDER, ORGANISATION) == {
        "c": "优秀组织奖",  # one 一等奖 and a 三等奖 beat one 一等奖 alone
        "b": "优秀组织奖",
    }


def test_equal_prizes_go_to_more_accepted_entries_then_to_the_name():
    standings = [
        standing("z", 8, second=1),
        standing("y", 9, second=1),
        standing("x", 8, second=1),
    ]
    assert unit_tiers_propose(standings, ORDER, ORGANISATION) == {
        "y": "优秀组织奖",
        "x": "优秀组织奖",
    }


def test_tiers_go_down_the_ranking_in_order_and_a_unit_with_no_entry_takes_none():
    standings = [standing("a", 3, first=1), standing("b", 2), standing("c", 0), standing("d", 1)]
    tiers = [Tier("特别组织奖", 1), Tier("优秀组织奖", 5)]
    assert unit_tiers_propose(standings, ORDER, tiers) == {
        "a": "特别组织奖",
        "b": "优秀组织奖",  # no prize, but more accepted entries than d
        "d": "优秀组织奖",
    }
