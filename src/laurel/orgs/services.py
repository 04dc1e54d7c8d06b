"""Writes to the unit tree."""

from django.db import transaction

from laurel.audit.services import audit_log
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
