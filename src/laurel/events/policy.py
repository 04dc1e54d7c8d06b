"""Who may see and do what with events. An event belongs to its organiser unit: the
federation's admins organise every event, a unit admin those of their subtree (a county
union runs its own carnival). Unit admins register their subtree's teams and members for any
open event; members register themselves; anyone sees what is not a draft. Views and commands
ask these rules; they never look at roles.
"""

from django.db.models import Q, QuerySet

from laurel.events.models import Event, EventStaff, Registration
from laurel.members.models import Member, Team
from laurel.web.access import Access


def may_organise_events(access: Access) -> bool:
    """The console's event pages: the federation's and the unit admins."""
    return access.is_staff


def events_organised(access: Access) -> QuerySet[Event]:
    """The events this user organises: every one for the federation, a unit admin's those
    whose organiser unit lies in their subtree."""
    if access.is_federation_admin:
        return Event.objects.all()
    return Event.objects.filter(access.subtree_filter("unit__path"))


def events_public() -> QuerySet[Event]:
    """What anyone may see: every event but drafts."""
    return Event.objects.exclude(state=Event.State.DRAFT)


def events_for_registering(access: Access) -> QuerySet[Event]:
    """The events a unit admin may register their teams and members for: those not drafts."""
    return events_public() if access.is_staff else Event.objects.none()


def may_register_others(access: Access) -> bool:
    """Registering teams and members of a subtree: unit admins and the federation's."""
    return access.is_staff


def teams_registrable(access: Access) -> QuerySet[Team]:
    """The teams a unit admin may register: those of their subtree."""
    return Team.objects.filter(access.subtree_filter("unit__path"))


def members_registrable(access: Access) -> QuerySet[Member]:
    """The members a unit admin may register: those of their subtree."""
    return Member.objects.filter(access.subtree_filter("unit__path"))


def registrations_visible(access: Access, event: Event) -> QuerySet[Registration]:
    """An event's registrations as this user may see them: all of them for its organisers,
    their subtree's for other unit admins, a person's own (and their teams') otherwise."""
    registrations = event.registrations.all()
    if access.administers(event.unit.path):
        return registrations
    if access.is_unit_admin:
        return registrations.filter(access.subtree_filter("unit__path"))
    return registrations.filter(registrations_of_user(access.user_id))


def registrations_of_user(user_id: int | None) -> Q:
    """A person's own registrations: their member record's, and those of the teams they
    lead."""
    if user_id is None:
        return Q(pk__in=[])
    return Q(member__user_id=user_id) | Q(team__leader__user_id=user_id)


def registrations_of_verified(member_id: int) -> Q:
    """The own registrations of a person verified without an account (``verification``):
    their member record's, and those of the teams they lead — as ``registrations_of_user``."""
    return Q(member_id=member_id) | Q(team__leader_id=member_id)


def may_cancel(access: Access, registration: Registration) -> bool:
    """The registrant (or their team's leader), whoever may see it as a unit admin, and the
    event's organisers."""
    return registrations_visible(access, registration.event).filter(pk=registration.pk).exists()


# --- the gate ---------------------------------------------------------------------------------


def may_use_gates(access: Access) -> bool:
    """The gate pages at all: check-in staff and organisers (whose gates:
    ``events_checked_in_by``)."""
    return access.is_checkin_staff or access.is_staff


def events_checked_in_by(access: Access) -> QuerySet[Event]:
    """The events whose gate this user keeps: those they organise, and those whose
    organisers gave them the gate as check-in staff (``EventStaff``) while they hold the role."""
    given = (
        Q(pk__in=EventStaff.objects.filter(user_id=access.user_id).values("event_id"))
        if access.is_checkin_staff
        else Q(pk__in=[])
    )
    if access.is_federation_admin:
        return Event.objects.all()
    if access.is_unit_admin:
        return Event.objects.filter(access.subtree_filter("unit__path") | given)
    return Event.objects.filter(given)


def may_check_in(access: Access, event: Event) -> bool:
    """Checking people in at ``event``'s gate: its organisers, and the check-in staff it was
    given to."""
    return events_checked_in_by(access).filter(pk=event.pk).exists()
