"""Prizes from a ranking: tiers proposed in rank order under per-entrant caps, and the near
ties an organiser should look at before publishing.

A *ranked* list is entries in rank order, each with its author, score and 90% interval.
``tiers_propose`` fills the tiers in order (一等奖 × 5, then 二等奖 × 15, ...) down the ranking,
passing over an entry whose author already holds ``per_author`` prizes; the place goes to
the next entry. ``boundary_warnings`` finds, at each boundary between two tiers (and between
the last prize and no prize), the entries whose interval reaches across the score that
separates them: the boundary score is the midpoint between the last entry above it and the
first below; an entry above whose ``low`` is under it, or below whose ``high`` is over it,
might belong on the other side.
"""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Ranked:
    entry: str
    author: str
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
    """Entry → tier name for the prize-winners, in rank order, under the per-author cap."""
    slots = [tier.name for tier in tiers for _ in range(tier.count)]
    held: dict[str, int] = {}
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
    prizes: dict[str, str], authors: dict[str, str], per_author: int | None
) -> dict[str, list[str]]:
    """Author → their prize-winning entries, for the authors holding more than the cap."""
    if per_author is None:
        return {}
    by_author: dict[str, list[str]] = {}
    for entry in prizes:
        by_author.setdefault(authors[entry], []).append(entry)
    return {a: entries for a, entries in by_author.items() if len(entries) > per_author}


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
