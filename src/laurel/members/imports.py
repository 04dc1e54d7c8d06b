"""Planning a member import (read-only) and exporting members: the parts that write nothing.

``member_import_plan`` decides every row's fate — imported, updated, unchanged or rejected
with its reasons — against the database as the acting user may see it. ``services`` applies
a plan in one transaction.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from laurel.core.identity import id_card_mask
from laurel.core.roster import MEMBER_COLUMNS, MemberRow, Problem, member_row_check
from laurel.core.sheet_writer import Sheet, xlsx_write
from laurel.core.tables import Table
from laurel.importing import (
    Progress,
    RowOutcome,
    no_progress,
    row_problems,
)
from laurel.members import policy
from laurel.members.models import Member
from laurel.orgs.models import Unit
from laurel.orgs.policy import units_visible
from laurel.web.access import Access

COMPARED_FIELDS = ("name", "gender", "mobile", "unit_id", "industry", "job_title")
# Fields a blank cell leaves alone: a roster without phone numbers does not erase them.
KEPT_WHEN_BLANK = ("mobile", "industry", "job_title")


@dataclass
class MemberUpdate:
    member: Member
    changed: list[str]
    old_unit: Unit


@dataclass
class MemberImportPlan:
    outcomes: list[RowOutcome] = field(default_factory=list)
    creates: list[Member] = field(default_factory=list)
    updates: list[MemberUpdate] = field(default_factory=list)


class UnitDirectory:
    """The units the acting user may import into, found by code or by name."""

    def __init__(self, access: Access):
        units = list(units_visible(access).only("pk", "name", "code", "path", "industry"))
        self.by_code = {unit.code.lower(): unit for unit in units}
        self.by_name: dict[str, list[Unit]] = defaultdict(list)
        for unit in units:
            self.by_name[unit.name.replace(" ", "")].append(unit)

    def find(self, reference: str) -> Unit | Problem:
        unit = self.by_code.get(reference.lower())
        if unit:
            return unit
        named = self.by_name.get(reference, [])
        if len(named) == 1:
            return named[0]
        if named:
            codes = ", ".join(sorted(u.code for u in named))
            return Problem("unit", "unit_ambiguous", {"value": reference, "codes": codes})
        return Problem("unit", "unit_unknown", {"value": reference})


def member_import_plan(
    *,
    access: Access,
    table: Table,
    default_unit: Unit | None = None,
    progress: Progress = no_progress,
) -> MemberImportPlan:
    rows = [member_row_check(record) for record in table.records]
    total = len(rows)
    units = UnitDirectory(access)
    existing = _existing_members(row.id_card for row in rows if row.id_card)
    plan = MemberImportPlan()
    first_row_of: dict[str, int] = {}
    for index, row in enumerate(rows, start=1):
        unit = _row_unit(row, units, default_unit)
        if isinstance(unit, Problem):
            row.problems.append(unit)
        if row.id_card in first_row_of:
            row.problems.append(
                Problem("id_card", "duplicate_in_file", {"row": first_row_of[row.id_card]})
            )
        elif row.id_card:
            first_row_of[row.id_card] = row.row_number
        member = existing.get(row.id_card)
        if member is not None and not access.administers(member.unit.path):
            # said without naming the unit or the person the number belongs to
            row.problems.append(Problem("id_card", "not_importable_here"))
        label = f"{row.name} {id_card_mask(row.id_card)}".strip()
        if row.problems:
            problems = row_problems(row.problems, table.columns, MEMBER_COLUMNS)
            plan.outcomes.append(RowOutcome(row.row_number, "rejected", label, problems))
        elif member is None:
            plan.creates.append(_new_member(row, unit))
            plan.outcomes.append(RowOutcome(row.row_number, "imported", label))
        else:
            plan.outcomes.append(_compare(plan, member, row, unit, label))
        if index % 500 == 0 or index == total:
            progress(index, total)
    return plan


def _row_unit(row: MemberRow, units: UnitDirectory, default_unit: Unit | None):
    if row.unit:
        return units.find(row.unit)
    if default_unit is not None:
        return default_unit
    return Problem("unit", "required")


def _existing_members(id_cards) -> dict[str, Member]:
    wanted = list(set(id_cards))
    found: dict[str, Member] = {}
    for start in range(0, len(wanted), 500):
        chunk = Member.objects.filter(id_card__in=wanted[start : start + 500])
        found.update((m.id_card, m) for m in chunk.select_related("unit"))
    return found


def _new_member(row: MemberRow, unit: Unit) -> Member:
    return Member(
        name=row.name,
        gender=row.gender,
        id_card=row.id_card,
        mobile=row.mobile,
        unit=unit,
        industry=row.industry or unit.industry,
        job_title=row.job_title,
    )


def _compare(plan, member: Member, row: MemberRow, unit: Unit, label: str) -> RowOutcome:
    wanted = {
        "name": row.name,
        "gender": row.gender,
        "mobile": row.mobile,
        "unit_id": unit.pk,
        "industry": row.industry,
        "job_title": row.job_title,
    }
    changed = [
        name
        for name in COMPARED_FIELDS
        if getattr(member, name) != wanted[name] and (wanted[name] or name not in KEPT_WHEN_BLANK)
    ]
    if not changed:
        return RowOutcome(row.row_number, "unchanged", label)
    old_unit = member.unit
    for name in changed:
        setattr(member, name, wanted[name])
    if "unit_id" in changed:
        member.unit = unit
    plan.updates.append(MemberUpdate(member, changed, old_unit))
    labels = [
        str(Member._meta.get_field(name.removesuffix("_id")).verbose_name) for name in changed
    ]
    return RowOutcome(row.row_number, "updated", label, changes=labels)


EXPORT_COLUMNS = (
    "name",
    "gender",
    "id_card",
    "mobile",
    "unit",
    "unit_code",
    "industry",
    "job_title",
)


def members_xlsx(access: Access, members, *, full_numbers: bool = False) -> bytes:
    """Members as a sheet the import reads back; personal numbers masked, or — when
    ``full_numbers`` was asked for — whole where ``members.policy`` allows a reveal."""
    headers = {
        "name": _("Name"),
        "gender": _("Gender"),
        "id_card": _("ID number"),
        "mobile": _("Mobile"),
        "unit": _("Unit"),
        "unit_code": _("Unit code"),
        "industry": _("Industry"),
        "job_title": _("Job title"),
    }
    rows = (
        [
            member.name,
            member.get_gender_display(),
            policy.id_card_shown_to(access, member, revealed=full_numbers),
            policy.mobile_shown_to(access, member, revealed=full_numbers),
            member.unit.name,
            member.unit.code,
            member.industry,
            member.job_title,
        ]
        for member in members.select_related("unit").iterator(chunk_size=1000)
    )
    header = [headers[key] for key in EXPORT_COLUMNS]
    return xlsx_write([Sheet(title=_("Members"), header=header, rows=rows)])
