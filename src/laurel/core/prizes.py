"""Prizes from a ranking: tiers proposed in rank order under per-entrant caps, the near
ties an organiser should look at before publishing, and the units' own prizes.

A *ranked* list is entries in rank order, each with its entrant, score and 90% interval. The
entrant is an opaque key (``Ranked.author`` keeps its name: a member, a team or a unit — two
members of one name are two keys, a team is one). ``tiers_propose`` fills the tiers in order
(一等奖 × 5, then 二等奖 × 15, ...) down the ranking, passing over an entry whose entrant
already holds ``per_author`` prizes; the place goes to the next entry.
``boundary_warnings`` finds, at each boundary between two tiers (and between the last prize
and no prize), the entries whose interval reaches across the score that
separates them: the boundary score is the midpoint between the last entry above it and the
first below; an entry above whose ``low`` is under it, or below whose ``high`` is over it,
might belong on the other side.

``unit_tiers_propose`` gives the units' tiers (优秀组织奖) by the rule in its docstring.
"""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Ranked:
    entry: str
    author: str  # the entrant's key, whatever kind of entrant
    score: float | None
    low: float | None = None
    high: float | None = None


@dataclass(frozen=True)
class Tier:
    name: str
    count: int


@dataclass
class BoundaryWarning:
    """Entries on either side of a boundary whose intervals cross its score."""

    above: str  # the tier above the boundary
    below: str  # the tier below ("" : no prize)
    score: float  # the midpoint between the last entry above and the first below
    entries_above: list[str] = field(default_factory=list)
    entries_below: list[str] = field(default_factory=list)


def tiers_propose(
    ranked: list[Ranked], tiers: list[Tier], per_author: int | None = None
) -> dict[str, str]:
    """Entry → tier name for the prize-winners, in rank order, under the per-entrant cap
    (``per_author`` prizes at most for each entrant key)."""
    slots = [tier.name for tier in tiers for _ in range(tier.count)]
    held: dict[str, int] = {}  # entrant key → prizes given so far
    prizes: dict[str, str] = {}
    for entry in ranked:
        if len(prizes) == len(slots):
            break
        if per_author is not None and held.get(entry.author, 0) >= per_author:
            continue
        prizes[entry.entry] = slots[len(prizes)]
        held[entry.author] = held.get(entry.author, 0) + 1
    return prizes


def prizes_over_cap(
    prizes: dict[str, str], entrants: dict[str, str], per_entrant: int | None
) -> dict[str, list[str]]:
    """Entrant key → their prize-winning entries, for the entrants holding more than the cap
    (``entrants``: entry → its entrant's key)."""
    if per_entrant is None:
        return {}
    by_entrant: dict[str, list[str]] = {}
    for entry in prizes:
        by_entrant.setdefault(entrants[entry], []).append(entry)
    return {key: entries for key, entries in by_entrant.items() if len(entries) > per_entrant}


@dataclass(frozen=True)
class UnitStanding:
    """A unit as the units' prizes rank it: how many of each prize its entries hold (tier
    name → count) and how many of its entries were accepted (still in the contest)."""

    unit: str  # an opaque key
    name: str
    prizes: dict[str, int]
    accepted: int


def unit_tiers_propose(
    standings: list[UnitStanding], prize_order: list[str], tiers: list[Tier]
) -> dict[str, str]:
    """Unit → tier name for the units' prizes, by this rule: units are ranked by the prizes
    their entries hold — more of the highest prize (``prize_order[0]``) first, then more of
    the next, and so on; ties by more accepted entries, then by name. A unit with no accepted
    entry takes no prize. The tiers (in order, ``count`` places each) go down that ranking."""
    slots = [tier.name for tier in tiers for _ in range(tier.count)]
    taking_part = [s for s in standings if s.accepted > 0]
    taking_part.sort(
        key=lambda s: (
            tuple(-s.prizes.get(name, 0) for name in prize_order),
            -s.accepted,
            s.name,
            s.unit,
        )
    )
    return {s.unit: slot for s, slot in zip(taking_part, slots, strict=False)}


def boundary_warnings(
    ranked: list[Ranked], prizes: dict[str, str], tier_order: list[str]
) -> list[BoundaryWarning]:
    """At each boundary between consecutive tiers present in the ranking (and below the last
    prize), the entries whose 90% interval crosses the boundary's score.

    Entries are taken in rank order; an entry's tier is ``prizes.get(entry, "")``. Entries
    without a score are ignored. Only boundaries with at least one crossing are returned.
    """
    position = {name: k for k, name in enumerate(tier_order)}
    position[""] = len(tier_order)
    scored = [r for r in ranked if r.score is not None]
    by_tier: dict[int, list[Ranked]] = {}
    for r in scored:
        by_tier.setdefault(position.get(prizes.get(r.entry, ""), len(tier_order)), []).append(r)
    levels = sorted(by_tier)
    warnings = []
    for upper, lower in zip(levels, levels[1:], strict=False):
        above, below = by_tier[upper], by_tier[lower]
        cut = (min(r.score for r in above) + max(r.score for r in below)) / 2
        crossing_above = [r.entry for r in above if r.low is not None and r.low < cut]
        crossing_below = [r.entry for r in below if r.high is not None and r.high > cut]
        if crossing_above or crossing_below:
            warnings.append(
                BoundaryWarning(
                    above=tier_order[upper],
                    below=tier_order[lower] if lower < len(tier_order) else "",
                    score=cut,
                    entries_above=crossing_above,
                    entries_below=crossing_below,
                )
            )
    return warnings
