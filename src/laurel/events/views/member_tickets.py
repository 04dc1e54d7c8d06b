"""Tickets as their holders see them: the ticket page and its PDF (a team's badges are the
console's: ``console_registering.team_badges``).

The ticket page shows a registration's ticket to whoever ``events:registration`` shows the
registration (``member.Person.visible``: its registrant, a team's members and leader, signed
in or verified); anyone else's is a 404. A registration without a live ticket (cancelled,
waiting, offered, lapsed) says why instead.
Nothing here shows an ID-card or a mobile number.
"""

from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from laurel.events.models import Registration
from laurel.events.tickets_pdf import live_ticket_face, pdf_response, ticket_pdf
from laurel.events.views.member import person_required, verification_redirect

SHOWN_WITH = ("event", "slot__booth", "member", "team")


def no_ticket_reason(registration: Registration) -> str:
    """Why a registration has no ticket to show, in one sentence."""
    reasons = {
        Registration.State.CANCELLED: _(
            "This registration was cancelled: its ticket no longer lets anyone in."
        ),
        Registration.State.WAITING: _(
            "You are on the waiting list: a ticket comes with a place, when one is free."
        ),
        Registration.State.OFFERED: _(
            "A place is offered to you: take it, and its ticket comes with it."
        ),
        Registration.State.LAPSED: _("The offer of a place lapsed: there is no ticket."),
    }
    return reasons.get(registration.state, _("No ticket has been issued for this registration."))


def _shown_registration(request, pk: int):
    """The registration ``pk`` as ``events:registration`` shows it to the request's person, or
    a redirect to the verification page for nobody."""
    person = person_required(request)
    if person is None:
        return None, verification_redirect(request)
    shown = Registration.objects.filter(person.visible()).select_related(*SHOWN_WITH).distinct()
    return get_object_or_404(shown, pk=pk), None


@never_cache
def ticket(request, pk: int):
    registration, redirect = _shown_registration(request, pk)
    if redirect is not None:
        return redirect
    face = live_ticket_face(registration)
    context = {
        "registration": registration,
        "face": face,
        "reason": no_ticket_reason(registration) if face is None else "",
    }
    return render(request, "events/ticket.html", context)


@never_cache
def ticket_pdf_view(request, pk: int):
    registration, redirect = _shown_registration(request, pk)
    if redirect is not None:
        return redirect
    face = live_ticket_face(registration)
    if face is None:
        raise Http404
    return pdf_response(ticket_pdf(face), f"ticket-{registration.event.slug}-{registration.pk}.pdf")
