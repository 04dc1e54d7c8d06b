"""A prize tier's place and colour. A tier's place is its rank among its contest's tiers in
their order (1: the first prize); each place has a colour in app.css — ``tier-1`` gold,
``tier-2`` silver, ``tier-3`` bronze, ``tier-4`` to ``tier-6`` calm colours, the sixth shared
by any further tier — used wherever a prize is shown (results, exhibition, console, the
member's entry)."""

from collections.abc import Iterable

from laurel.contests.models import PrizeTier

TIER_COLOURS = 6  # tier-1 … tier-6 in app.css


def tier_class(place: int | None) -> str:
    """The CSS class of the tier at ``place`` (1-based); "" for no tier."""
    if not place or place < 1:
        return ""
    return f"tier-{min(place, TIER_COLOURS)}"


def places_of(names: Iterable[str]) -> dict[str, int]:
    """Tier name → place, for names in the tiers' order (a repeated name keeps its first)."""
    places: dict[str, int] = {}
    for name in names:
        places.setdefault(name, len(places) + 1)
    return places


def tier_places(contest_id: int) -> dict[str, int]:
    """The contest's tier names → their places, in one query; the units' tiers (优秀组织奖)
    after the entries' tiers, whatever their order, so an entry's prize keeps its colour."""
    names = (
        PrizeTier.objects.filter(contest_id=contest_id)
        .order_by("for_units", "position", "pk")
        .values_list("name", flat=True)
    )
    return places_of(names)
