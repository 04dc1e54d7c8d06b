"""The outbox: every SMS and e-mail the platform has sent or tried to."""

from django.shortcuts import render

from laurel.notifications import policy
from laurel.notifications.models import OutgoingMessage
from laurel.notifications.tables import OutboxFilter, OutboxTable
from laurel.web.access import allowed_if
from laurel.web.tables import listing_build


@allowed_if(policy.may_view_outbox)
def outbox(request):
    messages = OutgoingMessage.objects.all()
    listing = listing_build(request, OutboxTable, messages, filters=OutboxFilter)
    if listing.export_requested:
        return listing.export_response("outbox")
    return render(request, "notifications/outbox.html", {"listing": listing})
