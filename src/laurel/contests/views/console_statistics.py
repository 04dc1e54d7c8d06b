"""The console's figures of a contest by unit: per district (entries, accepted entries, prizes,
entrants) and, a district clicked, per unit within it — as a chart, a table and its Excel
export. Thin: ``contests.selectors.unit_statistics`` counts (the prizes as awards says, through
``prize_source``), the policies scope (a unit admin sees their own subtree's units; another
district is 404).
"""

from django.shortcuts import get_object_or_404, render

from laurel.contests import policy, selectors
from laurel.contests.tables import DistrictFiguresTable, UnitFiguresTable
from laurel.orgs.policy import units_in_reach
from laurel.web.access import allowed_if
from laurel.web.charts import bar_shares
from laurel.web.tables import listing_build

# the chart's parts of each bar, in order: (part, the app.css fill drawing it)
CHART_PARTS = (
    ("prizes", "state-fill-awarded"),
    ("accepted_unprized", "state-fill-accepted"),
    ("others", "state-fill-withdrawn"),
)


def _chart(rows) -> list[dict]:
    """Each row as a horizontal bar of its entries: those with a prize, those accepted
    without one, and the rest."""
    largest = max((row.entries for row in rows), default=0)
    bars = []
    for row in rows:
        counts = [getattr(row, part) for part, _fill in CHART_PARTS]
        width, shares = bar_shares(counts, largest)
        segments = [
            {"part": part, "fill": fill, "count": count, "percent": share}
            for (part, fill), count, share in zip(CHART_PARTS, counts, shares, strict=True)
            if count
        ]
        bars.append({"row": row, "width": width, "segments": segments})
    return bars


@allowed_if(policy.may_browse_contests)
def statistics(request, slug: str, pk: int | None = None):
    access = request.user.access
    contest = get_object_or_404(policy.contests_visible(access), slug=slug)
    within = None if pk is None else get_object_or_404(units_in_reach(access), pk=pk)
    figures = selectors.unit_statistics(access, contest, within)
    listing = listing_build(
        request,
        DistrictFiguresTable if within is None else UnitFiguresTable,
        figures.rows,
        table_kwargs={
            "contest": contest,
            "exclude": () if figures.prizes.shown else ("prizes",),
        },
    )
    if listing.export_requested:
        name = f"{contest.slug}-statistics" + ("" if within is None else f"-{within.pk}")
        return listing.export_response(name)
    context = {
        "contest": contest,
        "within": within,
        "figures": figures,
        "chart": _chart(figures.rows),
        "listing": listing,
        "may_organise": policy.may_organise(access),
    }
    return render(request, "contests/console_statistics.html", context)
