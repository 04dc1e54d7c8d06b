"""Reading the unit tree for people: units by name, each with the district it belongs to."""

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Q

from laurel.orgs.models import Unit

PICK_LIMIT = 20


@dataclass(frozen=True)
class UnitChoice:
    """A unit as a person picks it: its name, and the district (or industry) union it belongs
    to, which tells apart units of the same name (every district has a 机关工会)."""

    pk: int
    name: str
    district: str = ""

    @property
    def label(self) -> str:
        return f"{self.name} · {self.district}" if self.district else self.name


def unit_choices(units) -> list[UnitChoice]:
    """``units`` (a queryset or a list of units) as choices, in their order; two queries."""
    units = list(units)
    district_ids = {_district_id(unit) for unit in units} - {None}
    districts = dict(Unit.objects.filter(pk__in=district_ids).values_list("pk", "name"))
    return [UnitChoice(unit.pk, unit.name, districts.get(_district_id(unit), "")) for unit in units]


def unit_choice(unit: Unit) -> UnitChoice:
    (choice,) = unit_choices([unit])
    return choice


def units_matching(units, text: str, *, limit: int = PICK_LIMIT):
    """The units of ``units`` whose name contains ``text`` (or whose code is ``text``), the
    higher in the tree first, at most ``limit``. Full-width letters and digits fold."""
    text = unicodedata.normalize("NFKC", text).strip()
    if not text:
        return units.none()
    found = units.filter(Q(name__icontains=text) | Q(code__iexact=text))
    return found.order_by("depth", "path")[:limit]


def _district_id(unit: Unit) -> int | None:
    """The unit's ancestor just below the federation, when the unit is below that ancestor."""
    parts = unit.path.strip("/").split("/")
    return int(parts[1]) if len(parts) > 2 else None


def district_pk(path: str) -> int | None:
    """The pk of the unit at depth 1 on ``path``: the district (industry, zone) union a unit
    belongs to — a district is its own; ``None`` for the federation itself."""
    parts = path.strip("/").split("/")
    return int(parts[1]) if len(parts) > 1 else None


def district_namer() -> Callable[[str], str]:
    """A function from a unit's path to its district's name ("" for the federation): the
    districts (a few dozen) read in one query, here, once."""
    names = dict(Unit.objects.filter(depth=1).values_list("pk", "name"))
    return lambda path: names.get(district_pk(path), "")


def unit_names_by_code(strings: set[str]) -> dict[str, str]:
    """The names of the units whose codes are among ``strings``, by code."""
    return dict(Unit.objects.filter(code__in=strings).values_list("code", "name"))
