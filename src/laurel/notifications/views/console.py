"""The outbox: every SMS and e-mail the platform has sent or tried to."""

from django.core.paginator import Paginator
from django.shortcuts import render

from laurel.notifications import policy
from laurel.notifications.models import OutgoingMessage
from laurel.web.access import allowed_if


@allowed_if(policy.may_view_outbox)
def outbox(request):
    page = Paginator(OutgoingMessage.objects.all(), 50).get_page(request.GET.get("page"))
    return render(request, "notifications/outbox.html", {"page": page})
