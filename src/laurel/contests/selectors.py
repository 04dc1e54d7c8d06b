"""Reads of contests that pages share: a person's own entries, newest first (their entries page
and their home panel); a contest's figures by unit — how a federation compares its districts
(and gives 组织奖, organisation awards) and the units within one.

The figures are counted in the database, grouped by the unit each entry's unit path lies
under (one aggregate query over the entries, whatever their number), among the entries the
viewer may see (``contests.policy.entries_visible``): a unit admin's figures are their
subtree's.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Count, F, Q, QuerySet, Value
from django.db.models.functions import StrIndex, Substr
from django.utils.translation import gettext as _

from laurel.contests import policy
from laurel.contests.entrants import entrant_key_expression, entrant_related
from laurel.contests.models import Contest, Entry
from laurel.orgs.models import Unit
from laurel.orgs.policy import units_in_reach
from laurel.orgs.selectors import district_pk
from laurel.web.access import Access


def own_entries(access: Access) -> QuerySet[Entry]:
    """This person's own entries (as the author, or as a team's leader), newest first, with
    their contest, category and entrant (``contests.policy.entries_of``)."""
    return (
        policy.entries_of(access)
        .select_related("contest", "category", *entrant_related())
        .order_by("-created_at", "-pk")
    )


# entries the screening accepted, whatever happened to them since in judging
ACCEPTED_STATES = (Entry.State.ACCEPTED, Entry.State.QUALIFIED, Entry.State.AWARDED)
NO_ENTRY = Q(pk__isnull=True)  # (an empty ``pk__in`` would not compile inside an aggregate)


@dataclass(frozen=True)
class PrizeSource:
    """Which prizes the figures count: the latest publication's (``published``), the awards
    as they stand before publishing (``current``: the organisers only), or none the viewer may
    see yet (``hidden``); ``entries`` selects the entries holding one."""

    kind: str
    entries: Q = NO_ENTRY
    version: int | None = None
    published_at: object = None

    PUBLISHED = "published"
    CURRENT = "current"
    HIDDEN = "hidden"

    @property
    def shown(self) -> bool:
        return self.kind != self.HIDDEN


# who says which entries hold a prize: the app deciding prizes (awards), from its ready()
_prize_source_finders: list[Callable[[Access, Contest], PrizeSource]] = []


def prize_source_register(find: Callable[[Access, Contest], PrizeSource]) -> None:
    """``find(access, contest)`` answers ``prize_source``; registering again replaces it."""
    _prize_source_finders[:] = [find]


def prize_source(access: Access, contest: Contest) -> PrizeSource:
    """The prizes this viewer may count, as the registered finder says (awards: published
    ones, or the current awards for those who decide them); hidden while none is."""
    for find in _prize_source_finders:
        return find(access, contest)
    return PrizeSource(PrizeSource.HIDDEN)


@dataclass
class UnitFigures:
    """One row of the figures: a unit and the entries under it (``itself``: only those at the
    unit itself, the row of the unit being looked into)."""

    unit: Unit
    district: Unit | None  # the union at depth 1 the unit belongs to (a district: itself)
    itself: bool = False
    entries: int = 0  # every entry, whatever its state
    accepted: int = 0  # accepted, qualified or awarded
    prizes: int = 0
    entrants: int = 0  # distinct entrants (members, teams, units: by entrant key)
    accepted_unprized: int = 0  # accepted without a prize (the chart's middle part)

    @property
    def name(self) -> str:
        if self.itself:
            return _("%(unit)s (its own entries)") % {"unit": self.unit.name}
        return self.unit.name

    @property
    def district_name(self) -> str:
        return self.district.name if self.district else ""

    @property
    def others(self) -> int:
        """Entries neither holding a prize nor accepted (waiting, refused, withdrawn, ...)."""
        return self.entries - self.prizes - self.accepted_unprized


@dataclass
class UnitStatistics:
    """A contest's figures for the units below ``within`` (``None``: the districts), in the
    order of their entries (most first), and the totals over every entry counted."""

    contest: Contest
    within: Unit | None
    prizes: PrizeSource
    rows: list[UnitFigures]
    totals: dict = field(default_factory=dict)


def _figures(entries: QuerySet[Entry], prizes: Q) -> dict:
    """The aggregates each row (and the totals) count."""
    accepted = Q(state__in=ACCEPTED_STATES)
    return {
        "entries": Count("pk"),
        "accepted": Count("pk", filter=accepted),
        "prizes": Count("pk", filter=prizes),
        "entrants": Count(entrant_key_expression(), distinct=True),
        "accepted_unprized": Count("pk", filter=accepted & ~prizes),
    }


def _unit_below(within: Unit | None):
    """On the path of an entry's unit, the path of the unit just below ``within`` (``None``:
    below the tree's root) — ``within``'s own path (the root's) for an entry at it:
    ``"1/4/17/"`` → ``"1/4/"`` below the root, ``"1/4/17/"`` below ``"1/4/"``."""
    path = F("unit__path")
    # where ``within``'s part of the path ends (the root's: at its first "/")
    end = StrIndex(path, Value("/")) if within is None else len(within.path)
    rest = Substr(path, end + 1)
    return Substr(path, 1, end + StrIndex(rest, Value("/")))


def unit_statistics(access: Access, contest: Contest, within: Unit | None = None) -> UnitStatistics:
    """The contest's figures per district (``within=None``) or per unit just below ``within``
    — every such unit in the viewer's reach, those without entries too, and ``within`` itself
    (the root, at the top) when entries stand at it — counted among the entries the viewer
    may see. At most five queries, however many entries and units."""
    prizes = prize_source(access, contest)
    entries = policy.entries_visible(access).filter(contest=contest)
    if within is not None:
        entries = entries.filter(unit__path__startswith=within.path)
    figures = _figures(entries, prizes.entries)
    by_unit = entries.order_by().annotate(key=_unit_below(within)).values("key")
    grouped = {}
    for row in by_unit.annotate(**figures):
        grouped[row.pop("key")] = row
    totals = entries.order_by().aggregate(**figures)

    listed = Q(depth=1) if within is None else Q(parent=within) | Q(pk=within.pk)
    units = units_in_reach(access).filter(listed | Q(path__in=list(grouped)))
    # each row's district: below a unit, the district of that unit; at the top a district is
    # its own (the root has none)
    below = None if within is None else within if within.depth == 1 else _district_above(within)
    rows = []
    for unit in units:
        itself = unit.depth == 0 if within is None else unit.pk == within.pk
        counts = grouped.get(unit.path, {})
        if itself and not counts:
            continue  # a row for the entries at the unit itself only when there are some
        district = below if within is not None else unit if unit.depth == 1 else None
        rows.append(UnitFigures(unit=unit, district=district, itself=itself, **counts))
    rows.sort(key=lambda row: (-row.entries, row.itself, row.unit.path))
    return UnitStatistics(contest, within, prizes, rows, totals)


def _district_above(unit: Unit) -> Unit | None:
    """The union at depth 1 above ``unit`` (``None`` for the root)."""
    pk = district_pk(unit.path)
    return None if pk is None else Unit.objects.filter(pk=pk).first()
