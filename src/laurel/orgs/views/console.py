"""Console pages for the unit tree."""

from django.shortcuts import get_object_or_404, render

from laurel.orgs import policy
from laurel.orgs.models import Unit
from laurel.orgs.tables import UnitFilter, UnitTable
from laurel.web.access import allowed_if
from laurel.web.tables import listing_build


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
