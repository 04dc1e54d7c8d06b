"""Planning a unit-tree import (read-only): every row's fate, in an order parents come first.

Columns: 单位名称, 单位代码, 上级单位代码 (and optionally 单位类型, 行业). A parent may be an
existing unit or another row of the same file, above or below. A blank kind is inferred from
the name and the parent; a blank cell on an existing unit leaves that field as it is.
"""

from dataclasses import dataclass, field

from laurel.core.roster import UNIT_COLUMNS, Problem, UnitRow, unit_row_check
from laurel.core.tables import Table
from laurel.importing import RowOutcome, row_problems
from laurel.orgs.models import Unit

KIND_NAMES = {
    **{kind.value: kind.value for kind in Unit.Kind},
    "市总工会": Unit.Kind.FEDERATION,
    "总工会": Unit.Kind.FEDERATION,
    "区县工会": Unit.Kind.DISTRICT,
    "区县总工会": Unit.Kind.DISTRICT,
    "区县": Unit.Kind.DISTRICT,
    "经开区工会": Unit.Kind.DEVELOPMENT_ZONE,
    "经开区": Unit.Kind.DEVELOPMENT_ZONE,
    "产业工会": Unit.Kind.INDUSTRY,
    "行业工会": Unit.Kind.INDUSTRY,
    "基层工会": Unit.Kind.GRASSROOTS,
    "工作单位": Unit.Kind.WORKPLACE,
    "单位": Unit.Kind.WORKPLACE,
}
ZONE_WORDS = ("经开区", "开发区", "高新区", "新区")
INDUSTRY_WORDS = ("产业工会", "行业工会", "教育工会", "卫生工会", "金融工会")


@dataclass
class PlannedUnit:
    row: UnitRow
    kind: str
    parent_code: str | None  # None: the top of the tree (or unchanged for an existing unit)
    existing: Unit | None = None
    changed: list[str] = field(default_factory=list)


@dataclass
class UnitImportPlan:
    outcomes: list[RowOutcome] = field(default_factory=list)
    ordered: list[PlannedUnit] = field(default_factory=list)  # parents before children


def kind_inferred(name: str, parent_kind: str | None) -> str:
    if parent_kind is None:
        return Unit.Kind.FEDERATION
    if any(word in name for word in ZONE_WORDS) and parent_kind == Unit.Kind.FEDERATION:
        return Unit.Kind.DEVELOPMENT_ZONE
    if any(word in name for word in INDUSTRY_WORDS):
        return Unit.Kind.INDUSTRY
    if parent_kind == Unit.Kind.FEDERATION:
        return Unit.Kind.DISTRICT
    if parent_kind in (Unit.Kind.GRASSROOTS, Unit.Kind.WORKPLACE):
        return Unit.Kind.WORKPLACE
    return Unit.Kind.GRASSROOTS


def unit_import_plan(table: Table) -> UnitImportPlan:
    rows = [unit_row_check(record) for record in table.records]
    existing = {unit.code.lower(): unit for unit in Unit.objects.all()}
    has_root = any(unit.parent_id is None for unit in existing.values())
    first_row_of: dict[str, int] = {}
    pending: dict[str, UnitRow] = {}
    for row in rows:
        key = row.code.lower()
        if key in first_row_of:
            row.problems.append(
                Problem("code", "duplicate_code_in_file", {"row": first_row_of[key]})
            )
        elif row.code:
            first_row_of[key] = row.row_number
        if row.kind and row.kind not in KIND_NAMES:
            row.problems.append(Problem("kind", "unit_kind_unknown", {"value": row.kind}))
        if not row.problems:
            pending[key] = row

    # Resolve parents until nothing more resolves: parents always come before children.
    placed: dict[str, str] = {code: unit.kind for code, unit in existing.items()}
    plan = UnitImportPlan()
    roots_in_file = 0
    progressing = True
    while progressing:
        progressing = False
        for key, row in list(pending.items()):
            unit = existing.get(key)
            parent_key = row.parent.lower() or None
            if parent_key is None and unit is None:
                if has_root or roots_in_file:
                    row.problems.append(Problem("parent", "unit_parent_required"))
                    del pending[key]
                    continue
                roots_in_file += 1
            elif parent_key is not None and (parent_key not in placed or parent_key == key):
                continue
            elif (
                parent_key is not None and unit is not None and _inside(existing, parent_key, unit)
            ):
                row.problems.append(Problem("parent", "unit_parent_cycle"))
                del pending[key]
                continue
            parent_kind = placed.get(parent_key) if parent_key else None
            if parent_key is None and unit is not None:
                parent_kind = unit.parent.kind if unit.parent_id else None
            kind = (
                KIND_NAMES[row.kind]
                if row.kind
                else (unit.kind if unit else kind_inferred(row.name, parent_kind))
            )
            planned = PlannedUnit(row=row, kind=kind, parent_code=parent_key, existing=unit)
            if unit is not None:
                planned.changed = _changes(unit, planned, existing)
            plan.ordered.append(planned)
            placed[key] = kind
            del pending[key]
            progressing = True
    for row in pending.values():  # what is left waits on a parent that never came
        waiting_on = row.parent.lower()
        in_file = waiting_on in first_row_of
        code = "unit_parent_cycle" if in_file and waiting_on in pending else "unit_parent_unknown"
        row.problems.append(Problem("parent", code, {"value": row.parent}))

    planned_rows = {p.row.row_number: p for p in plan.ordered}
    for row in rows:
        planned = planned_rows.get(row.row_number)
        label = f"{row.name} {row.code}".strip()
        if row.problems or planned is None:
            problems = row_problems(row.problems, table.columns, UNIT_COLUMNS)
            plan.outcomes.append(RowOutcome(row.row_number, "rejected", label, problems))
        elif planned.existing is None:
            plan.outcomes.append(RowOutcome(row.row_number, "imported", label))
        elif planned.changed:
            plan.outcomes.append(
                RowOutcome(row.row_number, "updated", label, changes=planned.changed)
            )
        else:
            plan.outcomes.append(RowOutcome(row.row_number, "unchanged", label))
    plan.ordered = [p for p in plan.ordered if p.existing is None or p.changed]
    return plan


def _inside(existing: dict[str, Unit], parent_key: str, unit: Unit) -> bool:
    """True when the proposed parent is the unit itself or below it (a cycle)."""
    parent = existing.get(parent_key)
    return parent is not None and parent.path.startswith(unit.path)


def _changes(unit: Unit, planned: PlannedUnit, existing: dict[str, Unit]) -> list[str]:
    changed = []
    if unit.name != planned.row.name:
        changed.append("name")
    if unit.kind != planned.kind:
        changed.append("kind")
    if planned.row.industry and unit.industry != planned.row.industry:
        changed.append("industry")
    if planned.parent_code is not None:
        current_parent = unit.parent.code.lower() if unit.parent_id else None
        if current_parent != planned.parent_code:
            changed.append("parent")
    return changed
