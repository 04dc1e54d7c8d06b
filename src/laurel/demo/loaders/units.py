"""The demo's unions: the city federation, its 38 district/county unions, the city's
industry unions and a few hundred grassroots unions (``world``), each made once by code."""

from django.db import transaction

from laurel.demo import world as demo_world
from laurel.demo.registry import DemoRun, register
from laurel.orgs.models import Unit
from laurel.orgs.services import unit_create


def units_loaded() -> bool:
    return Unit.objects.filter(code=demo_world.FEDERATION[0]).exists()


@register("units", order=10, loaded=units_loaded)
@transaction.atomic
def units_load(run: DemoRun) -> None:
    units = {unit.code: unit for unit in Unit.objects.all()}
    rows = [
        (*demo_world.FEDERATION[:3], None, ""),
        *((code, name, kind, "cq", "") for code, name, kind, _area in demo_world.DISTRICTS),
        *(
            (code, name, kind, "cq", industry)
            for code, name, kind, industry in demo_world.INDUSTRY_UNIONS
        ),
        *demo_world.grassroots_units(),
    ]
    for code, name, kind, parent, industry in rows:  # parents always come first
        if code not in units:
            units[code] = unit_create(
                acting_user=None,
                name=name,
                code=code,
                kind=kind,
                parent=units[parent] if parent else None,
                industry=industry,
            )
