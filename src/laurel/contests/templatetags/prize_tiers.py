"""``{{ name|tier_class:tier_places }}``: the colour class of the prize tier named ``name``,
given its contest's ``contests.prize_tiers.tier_places`` ("" for no prize)."""

from django import template

from laurel.contests import prize_tiers

register = template.Library()


@register.filter
def tier_class(name: str, places: dict[str, int] | None) -> str:
    return prize_tiers.tier_class((places or {}).get(name))
