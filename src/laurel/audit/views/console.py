"""Browsing the audit log, filtered by action, person, object and date."""

from django.shortcuts import get_object_or_404, render

from laurel.audit import policy
from laurel.audit.entry_data import entry_data_rows
from laurel.audit.tables import EntryFilter, EntryTable
from laurel.web.access import allowed_if
from laurel.web.tables import listing_build


@allowed_if(policy.may_browse_audit)
def entry_list(request):
    entries = policy.entries_visible(request.user.access).select_related("actor", "content_type")
    listing = listing_build(request, EntryTable, entries, filters=EntryFilter)
    if listing.export_requested:
        return listing.export_response("audit-log")
    return render(request, "audit/entry_list.html", {"listing": listing})


@allowed_if(policy.may_browse_audit)
def entry_detail(request, pk: int):
    entry = get_object_or_404(policy.entries_visible(request.user.access), pk=pk)
    return render(
        request,
        "audit/entry_detail.html",
        {"entry": entry, "data_rows": entry_data_rows(entry.data)},
    )
