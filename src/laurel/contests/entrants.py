"""The entrant: who an entry belongs to — a member, a team or a unit — as one notion.

Everything that once read ``entry.author`` asks for the entrant instead: its ``name`` (what
results, snapshots, certificates and exports show; the snapshot's ``author`` field holds
it), its ``unit_id`` (quotas count by the unit subtree) and its ``key`` (per-entrant limits
and prize caps: two members called 王伟 are two entrants, a team is one). Judges never see it.
"""

from dataclasses import dataclass

from django.db.models import CharField, F, Q, Value
from django.db.models.functions import Cast, Coalesce, Concat
from django.utils.translation import gettext_lazy as _

MEMBER, TEAM, UNIT = "member", "team", "unit"
KIND_OF = {"members": MEMBER, "teams": TEAM, "units": UNIT}  # a contest's entrants → the kind
HEADINGS = {MEMBER: _("Author"), TEAM: _("Team"), UNIT: _("Unit")}


def entrant_heading(entry_or_contest) -> str:
    """What the entrant is called beside its name — "Author" for a member, "Team", "Unit" —
    for an entry (its kind) or a contest (the kind it takes)."""
    kind = getattr(entry_or_contest, "entrant_kind", None)
    if kind is None:
        kind = KIND_OF.get(getattr(entry_or_contest, "entrants", ""), MEMBER)
    return kind_heading(kind)


def kind_heading(kind: str) -> str:
    return HEADINGS.get(kind, HEADINGS[MEMBER])


@dataclass(frozen=True)
class Entrant:
    kind: str  # member | team | unit
    pk: int  # the member's, team's or unit's
    name: str
    unit_id: int

    @property
    def key(self) -> str:
        return entrant_key(self.kind, self.pk)


def entrant_key(kind: str, pk: int) -> str:
    """``member:12``, ``team:3``, ``unit:7``: one entrant, whichever entries it holds."""
    return f"{kind}:{pk}"


def entrant_record(entry):
    """The entry's entrant as its record: the member, the team or the unit."""
    if entry.entrant_kind == TEAM:
        return entry.team
    if entry.entrant_kind == UNIT:
        return entry.unit
    return entry.author


def entrant_of(entry) -> Entrant:
    """The entrant of ``entry`` (select ``author``, ``team`` and ``unit`` related to read many)."""
    record = entrant_record(entry)
    return Entrant(entry.entrant_kind, record.pk, record.name, entry.unit_id)


def entrant_entries(kind: str, record, prefix: str = "") -> Q:
    """The entries of one entrant (the member, team or unit ``record`` of ``kind``), for
    entries at ``prefix`` (e.g. ``"entry__"``): a unit's own entries, not its subtree's."""
    pk = getattr(record, "pk", record)
    if kind == TEAM:
        return Q(**{f"{prefix}team_id": pk})
    if kind == UNIT:
        return Q(**{f"{prefix}entrant_kind": UNIT, f"{prefix}unit_id": pk})
    return Q(**{f"{prefix}author_id": pk})


ENTRANT_RELATED = ("author", "team", "unit")  # select_related for entrant_of, from an entry


def entrant_related(prefix: str = "") -> list[str]:
    """``select_related`` paths that let ``entrant_of`` read the entry at ``prefix`` (e.g.
    ``"entry__"``) without further queries."""
    return [f"{prefix}{name}" for name in ENTRANT_RELATED]


def entrant_name_expression(prefix: str = ""):
    """The entrant's name in a query (annotate, order, search), for entries at ``prefix``."""
    return Coalesce(f"{prefix}author__name", f"{prefix}team__name", f"{prefix}unit__name")


def entrant_key_expression(prefix: str = ""):
    """The entrant's ``key`` in a query, for entries at ``prefix``."""
    return Concat(
        F(f"{prefix}entrant_kind"),
        Value(":"),
        Cast(
            Coalesce(f"{prefix}author_id", f"{prefix}team_id", f"{prefix}unit_id"),
            output_field=CharField(),
        ),
        output_field=CharField(),
    )
