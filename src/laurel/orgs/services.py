"""Writes to the unit tree."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from laurel.audit.services import audit_log
from laurel.core.roster import UNIT_COLUMNS
from laurel.importing import ImportResult, sheet_read
from laurel.orgs.imports import UnitImportPlan, unit_import_plan
from laurel.orgs.models import Unit


@transaction.atomic
def unit_create(
    *,
    acting_user,
    name: str,
    code: str,
    kind: str,
    parent: Unit | None = None,
    industry: str = "",
) -> Unit:
    unit = Unit(name=name, code=code, kind=kind, parent=parent, industry=industry, path="-")
    unit.full_clean()
    unit.save()
    unit.path = f"{parent.path if parent else ''}{unit.pk}/"
    unit.depth = parent.depth + 1 if parent else 0
    unit.save(update_fields=["path", "depth"])
    audit_log(
        actor=acting_user,
        action="orgs.unit.created",
        obj=unit,
        unit=unit,
        data={"name": name, "code": code, "kind": kind, "parent": parent.code if parent else None},
    )
    return unit


@transaction.atomic
def unit_update(*, acting_user, unit: Unit, changes: dict) -> Unit:
    """Change a unit's name, kind, industry and/or parent (moving its whole subtree)."""
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    before = {name: getattr(unit, name) for name in ("name", "kind", "industry")}
    before["parent"] = unit.parent.code if unit.parent_id else None
    changes = dict(changes)  # the caller's dict is left as it was
    new_parent = changes.pop("parent", unit.parent)
    for name, value in changes.items():
        setattr(unit, name, value)
    unit.full_clean()
    unit.save()
    if new_parent != unit.parent:
        _unit_move(unit, new_parent)
    audit_log(
        actor=acting_user,
        action="orgs.unit.updated",
        obj=unit,
        unit=unit,
        data={
            "before": before,
            "after": {**changes, "parent": new_parent.code if new_parent else None},
        },
    )
    return unit


def _unit_move(unit: Unit, parent: Unit | None) -> None:
    if parent is not None and parent.path.startswith(unit.path):
        raise ValidationError({"parent": _("A unit cannot be moved inside itself.")})
    old_path = unit.path
    new_path = f"{parent.path if parent else ''}{unit.pk}/"
    depth_shift = (parent.depth + 1 if parent else 0) - unit.depth
    unit.parent = parent
    unit.save(update_fields=["parent"])
    subtree = list(Unit.objects.filter(path__startswith=old_path))
    for member in subtree:
        member.path = new_path + member.path[len(old_path) :]
        member.depth += depth_shift
    Unit.objects.bulk_update(subtree, ["path", "depth"], batch_size=500)


def unit_file_import(
    *, acting_user, source, filename: str = "", dry_run: bool = False
) -> ImportResult:
    """Import a unit-tree sheet (path or bytes); ``ImportRefused`` for an unusable file.

    Rejected rows never stop the others; what is written is written together or not at all.
    """
    plan = unit_import_plan(sheet_read(source, UNIT_COLUMNS, filename))
    if not dry_run:
        _unit_import_apply(acting_user=acting_user, plan=plan, filename=filename)
    return ImportResult(outcomes=plan.outcomes, dry_run=dry_run)


@transaction.atomic
def _unit_import_apply(*, acting_user, plan: UnitImportPlan, filename: str) -> None:
    units = {unit.code.lower(): unit for unit in Unit.objects.all()}
    for planned in plan.ordered:
        row = planned.row
        parent = units[planned.parent_code] if planned.parent_code else None
        if planned.existing is None:
            units[row.code.lower()] = unit_create(
                acting_user=acting_user,
                name=row.name,
                code=row.code,
                kind=planned.kind,
                parent=parent,
                industry=row.industry,
            )
            continue
        changes = {"name": row.name, "kind": planned.kind}
        if row.industry:
            changes["industry"] = row.industry
        if "parent" in planned.changed:
            changes["parent"] = parent
        units[row.code.lower()] = unit_update(
            acting_user=acting_user, unit=units[row.code.lower()], changes=changes
        )
    audit_log(
        actor=acting_user,
        action="orgs.import.committed",
        data={"file": filename, **ImportResult(outcomes=plan.outcomes, dry_run=False).counts},
    )
