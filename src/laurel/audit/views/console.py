"""Browsing the audit log, filtered by action, person, object type and date."""

from datetime import UTC, datetime, time

from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from laurel.audit import policy
from laurel.web.access import allowed_if


def _day(text: str, end: bool = False):
    """The day typed (YYYY-MM-DD) as its first or last moment here; None when there is none
    (not a date, or a day at the edge of the calendar with no moment in UTC)."""
    try:
        day = datetime.strptime(text, "%Y-%m-%d").date()  # noqa: DTZ007 - a date, made aware below
        moment = timezone.make_aware(datetime.combine(day, time.max if end else time.min))
        moment.astimezone(UTC)
    except (ValueError, OverflowError):
        return None
    return moment


@allowed_if(policy.may_browse_audit)
def entry_list(request):
    entries = policy.entries_visible(request.user.access).select_related("actor", "content_type")
    filters = {
        key: request.GET.get(key, "").strip() for key in ("action", "actor", "since", "until")
    }
    if filters["action"]:
        entries = entries.filter(action__startswith=filters["action"])
    if filters["actor"]:
        entries = entries.filter(actor_repr__icontains=filters["actor"])
    if since := _day(filters["since"]):
        entries = entries.filter(created_at__gte=since)
    if until := _day(filters["until"], end=True):
        entries = entries.filter(created_at__lte=until)
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    context = {"page": page, "filters": filters}
    template = "audit/_entry_table.html" if request.htmx else "audit/entry_list.html"
    return render(request, template, context)


@allowed_if(policy.may_browse_audit)
def entry_detail(request, pk: int):
    entry = get_object_or_404(policy.entries_visible(request.user.access), pk=pk)
    return render(request, "audit/entry_detail.html", {"entry": entry})
