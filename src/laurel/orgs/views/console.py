"""Console pages for the unit tree, and the unit picker's search."""

import re

from django.shortcuts import get_object_or_404, render

from laurel.orgs import policy
from laurel.orgs.models import Unit
from laurel.orgs.tables import UnitFilter, UnitTable
from laurel.orgs.widgets import pick_results
from laurel.web.access import allowed_if
from laurel.web.params import id_param
from laurel.web.tables import listing_build

FIELD_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_-]{0,49}")


@allowed_if(policy.may_view_units)
def unit_list(request):
    units = policy.units_visible(request.user.access).select_related("parent")
    listing = listing_build(request, UnitTable, units, filters=UnitFilter)
    if listing.export_requested:
        return listing.export_response("units")
    return render(request, "orgs/unit_list.html", {"listing": listing})


@allowed_if(policy.may_view_units)
def unit_detail(request, pk: int):
    visible = policy.units_visible(request.user.access)
    unit = get_object_or_404(visible, pk=pk)
    return render(
        request,
        "orgs/unit_detail.html",
        {"unit": unit, "children": visible.filter(parent=unit), "ancestors": unit_ancestors(unit)},
    )


def unit_ancestors(unit):
    ids = [int(part) for part in unit.path.strip("/").split("/")[:-1]]
    return Unit.objects.filter(pk__in=ids).order_by("depth")


@allowed_if(policy.may_view_units)
def unit_pick(request):
    """The unit picker's matches for ``q`` among the units this person may see (an htmx/fetch
    partial): radio buttons named ``name``, the unit ``selected`` kept first."""
    name = request.GET.get("name", "")
    results = pick_results(
        policy.units_visible(request.user.access),
        name=name if FIELD_NAME.fullmatch(name) else "unit",
        query=request.GET.get("q", "").strip()[:100],
        selected=id_param(request.GET, "selected"),
        required=request.GET.get("required") != "0",
        empty_choice=request.GET.get("empty", "none"),
    )
    return render(request, "orgs/_unit_pick_results.html", {"results": results})
