"""``{% unit_district unit %}``: the district (or industry) union a unit belongs to, by name —
beside a unit's name where units of the same name must be told apart. One query."""

from django import template

from laurel.orgs.selectors import unit_choice

register = template.Library()


@register.simple_tag
def unit_district(unit) -> str:
    return unit_choice(unit).district if unit is not None else ""
