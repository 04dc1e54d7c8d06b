"""Planning a team import from a sheet (read-only): the parts that write nothing.

A team sheet names people the roster already holds — a name and an ID-card number or a
mobile, Chinese or English headers as the roster import reads them, an optional leader
column. ``team_import_plan`` judges every row alone against the roster as the team's unit
sees it: imported (joins the team), updated (already in it, made its leader), unchanged, or
rejected with its reasons; ``services.team_file_import`` applies a plan in one transaction.

A person outside the team's unit — in another unit, or in none — is refused in the same
words as a number the roster does not hold: the words never say where anyone is. The sheet
only adds: members it does not name stay (they are removed on the team's page).
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from laurel.core.identity import id_card_mask, mobile_mask
from laurel.core.roster import TEAM_COLUMNS, Problem, TeamRow, team_row_check
from laurel.core.tables import Table
from laurel.importing import (
    PROBLEM_MESSAGES,
    ImportRefused,
    ImportTemplate,
    RowOutcome,
    RowProblem,
)
from laurel.members import policy
from laurel.members.models import Member, Team, TeamMembership
from laurel.orgs.models import Unit
from laurel.web.access import Access

# The team import's own problem codes → the sentence a person reads (beside the roster's).
TEAM_PROBLEM_MESSAGES = {
    "id_card_or_mobile_required": gettext_lazy("Give the person's ID number or mobile."),
    # not in the roster, or not in the team's unit: the same words, naming no other unit
    "not_in_unit": gettext_lazy("No member of %(unit)s has this number."),
    "mobile_shared": gettext_lazy(
        "Several members of %(unit)s have this mobile; give the ID number instead."
    ),
    "name_mismatch": gettext_lazy("The name is not the roster's name for this number."),
    "same_person_in_file": gettext_lazy("The same person is already in row %(row)s."),
    "kind_taken": gettext_lazy("Already in another team of the kind “%(kind)s”: %(team)s."),
    # the other team lies beyond the importer's units: its name is not theirs to read
    "kind_taken_elsewhere": gettext_lazy("Already in another team of the kind “%(kind)s”."),
    "second_leader": gettext_lazy("Row %(row)s already names the leader; a team has one."),
}


def team_sheet_problems(problems: list[Problem], headers: dict[str, str]) -> list[RowProblem]:
    """Core and team problems as a person reads them, naming columns as their file does."""
    usual = {column.key: column.aliases[0] for column in TEAM_COLUMNS}
    messages = {**PROBLEM_MESSAGES, **TEAM_PROBLEM_MESSAGES}
    return [
        RowProblem(
            column=headers.get(p.column) or usual.get(p.column, p.column),
            code=p.code,
            reason=str(messages[p.code]) % p.params,
        )
        for p in problems
    ]


def team_sheet_check(table: Table) -> None:
    """Refuse a sheet with neither an ID-number nor a mobile column beside the names."""
    if "id_card" not in table.columns and "mobile" not in table.columns:
        raise ImportRefused(
            _("The sheet needs a column of ID numbers (身份证号) or of mobiles (手机号).")
        )


@dataclass
class TeamImportPlan:
    team: Team | None  # the team of that name in the unit, or None: the import makes it
    kind: str  # the team's kind (the existing team's, or the one asked for a new team)
    outcomes: list[RowOutcome] = field(default_factory=list)
    joining: list[Member] = field(default_factory=list)  # in the rows' order
    leader: Member | None = None  # who leads once applied (None: no team results)

    @property
    def leader_changes(self) -> bool:
        return (
            self.team is not None
            and self.leader is not None
            and (self.leader.pk != self.team.leader_id)
        )


def kind_taken(kind: str, member_pks, *, besides: Team | None = None) -> dict[int, Team]:
    """Of ``member_pks``, those already in a team of ``kind`` (other than ``besides``), with
    that team. A blank kind is no kind: nobody is ever taken."""
    if not kind:
        return {}
    memberships = TeamMembership.objects.filter(
        member_id__in=list(member_pks), team__kind=kind
    ).select_related("team")
    if besides is not None:
        memberships = memberships.exclude(team=besides)
    return {m.member_id: m.team for m in memberships}


def team_import_plan(
    *, access: Access, table: Table, unit: Unit, name: str, kind: str | None = None
) -> TeamImportPlan:
    """Every row's outcome for importing ``table`` as the team ``name`` of ``unit``.

    ``kind`` None (or blank) keeps an existing team's kind; a kind that contradicts it
    refuses the whole file (``ImportRefused``), as does a unit ``access`` does not administer.
    """
    if not access.administers(unit.path):
        raise ImportRefused(_("You do not administer the unit %(code)s.") % {"code": unit.code})
    team_sheet_check(table)
    team = Team.objects.filter(unit=unit, name=name).select_related("leader").first()
    if team is not None and kind and kind != team.kind:
        raise ImportRefused(
            _(
                "%(unit)s's team “%(name)s” is of the kind “%(kind)s”; give that kind, or "
                "change the team's kind on its page first."
            )
            % {"unit": unit.name, "name": name, "kind": team.kind or "—"}
        )
    plan = TeamImportPlan(team=team, kind=team.kind if team is not None else (kind or ""))
    rows = [team_row_check(record) for record in table.records]
    within = Member.objects.filter(unit__path__startswith=unit.path).select_related("unit")
    by_id_card = {
        m.id_card: m for m in within.filter(id_card__in={r.id_card for r in rows if r.id_card})
    }
    by_mobile: dict[str, list[Member]] = {}
    for m in within.filter(mobile__in={r.mobile for r in rows if r.mobile and not r.id_card}):
        by_mobile.setdefault(m.mobile, []).append(m)
    found = {row.row_number: _person_of(row, by_id_card, by_mobile, unit) for row in rows}
    people = [m for m in found.values() if m is not None]
    taken = kind_taken(plan.kind, {m.pk for m in people}, besides=team)
    shown_teams = set(
        policy.teams_visible(access)
        .filter(pk__in={t.pk for t in taken.values()})
        .values_list("pk", flat=True)
    )
    current = set(team.members.values_list("pk", flat=True)) if team is not None else set()
    first_row_of: dict[int, int] = {}
    leader_row: int | None = None
    good: list[tuple[TeamRow, Member]] = []
    for row in rows:
        member = found[row.row_number]
        if member is not None:
            if member.pk in first_row_of:
                row.problems.append(
                    Problem("name", "same_person_in_file", {"row": first_row_of[member.pk]})
                )
            else:
                first_row_of[member.pk] = row.row_number
            if member.pk in taken:
                other = taken[member.pk]
                code = "kind_taken" if other.pk in shown_teams else "kind_taken_elsewhere"
                row.problems.append(Problem("name", code, {"kind": plan.kind, "team": other.name}))
        if row.leader and not row.problems:
            if leader_row is not None:
                row.problems.append(Problem("leader", "second_leader", {"row": leader_row}))
            else:
                leader_row = row.row_number
                plan.leader = member
        label = f"{row.name} {id_card_mask(row.id_card) or mobile_mask(row.mobile)}".strip()
        if row.problems:
            problems = team_sheet_problems(row.problems, table.columns)
            plan.outcomes.append(RowOutcome(row.row_number, "rejected", label, problems))
            continue
        good.append((row, member))
        if member.pk not in current:
            plan.joining.append(member)
    if plan.leader is None and team is not None:
        plan.leader = team.leader
    elif plan.leader is None and good:
        plan.leader = good[0][1]  # a new team's first good row leads unless one is named
    for row, member in good:
        plan.outcomes.append(_row_outcome(plan, row, member, current))
    plan.outcomes.sort(key=lambda outcome: outcome.row_number)
    return plan


def _person_of(row: TeamRow, by_id_card, by_mobile, unit: Unit) -> Member | None:
    """The member the row names, or None with the row's problem added. A number held by no
    one and one held outside ``unit`` read the same."""
    if row.problems:
        return None
    column = "id_card" if row.id_card else "mobile"
    if row.id_card:
        candidates = [by_id_card[row.id_card]] if row.id_card in by_id_card else []
    else:
        candidates = by_mobile.get(row.mobile, [])
    if not candidates:
        row.problems.append(Problem(column, "not_in_unit", {"unit": unit.name}))
        return None
    if len(candidates) > 1:
        row.problems.append(Problem(column, "mobile_shared", {"unit": unit.name}))
        return None
    member = candidates[0]
    if row.name != member.name:
        row.problems.append(Problem("name", "name_mismatch"))
        return None
    return member


def _row_outcome(plan: TeamImportPlan, row: TeamRow, member: Member, current) -> RowOutcome:
    label = f"{member.name} {id_card_mask(member.id_card)}"
    if member.pk not in current:
        return RowOutcome(row.row_number, "imported", label)
    if plan.leader_changes and plan.leader.pk == member.pk:
        return RowOutcome(row.row_number, "updated", label, changes=[_("leader")])
    return RowOutcome(row.row_number, "unchanged", label)


TEAM_TEMPLATE = ImportTemplate(
    columns=TEAM_COLUMNS,
    explanations={
        "name": gettext_lazy("The member's name, as the roster has it."),
        "id_card": gettext_lazy(
            "The 18-character ID number; or leave it blank and give the mobile. Format the "
            "column as text first: Excel loses the last digits of a long number."
        ),
        "mobile": gettext_lazy(
            "The mobile the roster holds (11 digits): enough alone when the ID number is blank."
        ),
        "leader": gettext_lazy(
            "是 in the leader's row, blank (or 否) in the others; no one marked: the first "
            "row's person leads a new team, an existing team keeps its leader."
        ),
    },
    examples={
        "name": "张三",
        "id_card": "11010519491231002X",
        "mobile": "13800138000",
        "leader": "是",
    },
)
