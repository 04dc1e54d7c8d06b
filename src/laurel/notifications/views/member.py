"""Every user's inbox."""

from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from laurel.notifications import policy, services
from laurel.notifications.tables import InboxFilter, InboxTable
from laurel.web.access import allowed_if, signed_in
from laurel.web.params import id_list_param
from laurel.web.tables import listing_build


@allowed_if(signed_in)
def inbox(request):
    inbox = policy.inbox_of(request.user)
    listing = listing_build(request, InboxTable, inbox, filters=InboxFilter, per_page=30)
    return render(request, "notifications/inbox.html", {"listing": listing})


@require_POST
@allowed_if(signed_in)
def mark_read(request):
    ids = id_list_param(request.POST, "id") or None
    services.notifications_mark_read(recipient=request.user, notification_ids=ids)
    if request.htmx and ids:
        notification = get_object_or_404(policy.inbox_of(request.user), pk=ids[0])
        return render(request, "notifications/_notification.html", {"n": notification})
    return redirect("notifications:inbox")
