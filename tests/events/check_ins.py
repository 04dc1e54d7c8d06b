"""Letting registrants in, as the gate does: a ticket scanned, or a name ticked on the list
(``CheckIn.Method.LIST``, as a meeting's staff tick it)."""

from django.db import transaction
from django.utils import timezone

from laurel.events import services
from laurel.events.models import CheckIn, Registration
from laurel.events.services.tickets import ticket_admit


def scan(registration: Registration, *, device: str = "gate-1", booth=None, at=None):
    """The registration's ticket scanned at the gate (``ticket_check_in``); let in."""
    outcome = services.ticket_check_in(
        acting_user=None,
        event=registration.event,
        scanned=services.ticket_of(registration).payload,
        device=device,
        booth=booth,
        now=at,
    )
    assert outcome.ok, outcome.message
    return outcome.check_in


def tick(registration: Registration, *, by=None, device: str = "", at=None) -> CheckIn:
    """The registrant's name ticked on the list by staff: a check-in of method "list"."""
    with transaction.atomic():
        outcome = ticket_admit(
            acting_user=by,
            event=registration.event,
            ticket=registration.ticket,
            at=at or timezone.now(),
            device=device,
            booth=None,
            method=CheckIn.Method.LIST,
        )
    assert outcome.ok, outcome.message
    return outcome.check_in
