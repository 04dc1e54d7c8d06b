"""At the gate: a lost ticket found by its holder's name and the last four digits of their
roster mobile, and a walk-in registered and checked in at once.

Staff are shown the holder's name and those four digits, nothing more of any number. A
walk-in goes through ``registration_create`` — the same window, audience, overlap, quota and
capacity rules as anyone — and gets a free place or nothing: where the outcome would be the
waiting list, it is refused and nothing is written. The check-in that follows is the gate's
own (``ticket_check_in`` with the new ticket's payload), in the same transaction.
"""

import re
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q, QuerySet, Sum
from django.utils.translation import gettext as _

from laurel.events.models import Event, Registration, Slot
from laurel.events.services.registration import RegistrationRefused, registration_create
from laurel.events.services.tickets import CheckInOutcome, ticket_check_in, ticket_of
from laurel.members.models import Member

LAST4 = re.compile(r"\d{4}")


@dataclass(frozen=True)
class LostTicket:
    """A registration a lost ticket may be: its holder (a member, or the team the person is
    in) and the last four digits of the matching person's mobile."""

    registration: Registration
    person: str
    mobile_last4: str


def _people_matching(name: str, mobile_last4: str):
    name = name.strip()
    if not name or not LAST4.fullmatch(mobile_last4 or ""):
        return Member.objects.none()
    return Member.objects.filter(name=name, mobile__endswith=mobile_last4)


def tickets_find_lost(event: Event, name: str, mobile_last4: str) -> list[LostTicket]:
    """The registrations of ``event`` holding a place as registered whose member — or a
    member of whose team — is called ``name`` and has a roster mobile ending in
    ``mobile_last4``; none unless both are given (four digits)."""
    people = {person.pk: person for person in _people_matching(name, mobile_last4)}
    if not people:
        return []
    registrations = (
        Registration.objects.filter(event=event, state=Registration.State.REGISTERED)
        .filter(Q(member_id__in=people) | Q(team__memberships__member_id__in=people))
        .select_related("member", "team", "slot__booth")
        .distinct()
        .order_by("pk")
    )
    found = []
    for registration in registrations:
        if registration.member_id:
            person = people[registration.member_id]
        else:
            person = next(
                people[pk]
                for pk in registration.team.memberships.values_list("member_id", flat=True)
                if pk in people
            )
        found.append(LostTicket(registration, person.name, person.mobile[-4:]))
    return found


def walk_in_people(event: Event, name: str, mobile_last4: str) -> QuerySet[Member]:
    """The people a walk-in may be: called ``name``, with a roster mobile ending in
    ``mobile_last4`` (whether they are in the event's audience the registering decides)."""
    return _people_matching(name, mobile_last4).select_related("unit").order_by("pk")


def slots_with_places(event: Event) -> list[Slot]:
    """The event's slots with a place left (``places_left`` set on each), in time order;
    none for an event without booths (a walk-in takes the event's own places)."""
    slots = (
        Slot.objects.filter(booth__event=event)
        .select_related("booth")
        .annotate(
            taken=Sum(
                "registrations__places",
                filter=Q(registrations__state__in=Registration.HOLDING),
                default=0,
            )
        )
        .order_by("starts_at", "booth__order", "pk")
    )
    with_places = []
    for slot in slots:
        slot.places_left = slot.capacity - slot.taken
        if slot.places_left > 0:
            with_places.append(slot)
    return with_places


def walk_in_register(
    *, acting_user, event: Event, slot: Slot | None, member: Member, device: str = ""
) -> CheckInOutcome:
    """Register ``member`` for ``slot`` (or the event itself) at the gate and check them in
    at once. ``RegistrationRefused`` when the registering is refused, or when no place is
    free (the outcome would be the waiting list): then nothing is written."""
    with transaction.atomic():
        outcome = registration_create(
            acting_user=acting_user, event=event, slot=slot, member=member, at_gate=True
        )
        if outcome.state != Registration.State.REGISTERED:
            # undoes the registration and its audit entry with the transaction
            raise RegistrationRefused(
                "full", _("No place is left there: a walk-in is only let in to a free place.")
            )
        ticket = ticket_of(outcome.registration)
        return ticket_check_in(
            acting_user=acting_user, event=event, scanned=ticket.payload, device=device
        )
