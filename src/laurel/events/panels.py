"""What events show in the top bar, the console's sidebar and the home pages (``web.home``):
活动 in the top bar; "My events" for signed-in users (no count beside it: the top bar is on
every page, and the inbox tells what changed); for a member, the open events they may register
for."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from laurel.events import policy, services
from laurel.events.models import Event, Registration
from laurel.members.models import Member
from laurel.web import home
from laurel.web.access import signed_in

OPEN_EVENTS_SHOWN = 6


def open_events_panel(request) -> dict | None:
    """For a signed-in member: the events taking registrations now that they may register
    for themselves (in the audience), the soonest first, their own registrations marked;
    no panel when there is none."""
    if not request.user.is_authenticated or not signed_in(request.user.access):
        return None
    member = Member.objects.select_related("unit").filter(user_id=request.user.pk).first()
    if member is None:
        return None
    now = timezone.now()
    candidates = (
        policy.events_public()
        .filter(
            state=Event.State.OPEN,
            members_register=True,
            registration_opens_at__lte=now,
            registration_closes_at__gt=now,
            ends_at__gt=now,
        )
        .order_by("starts_at", "pk")
    )
    events = []
    for event in candidates:
        if services.in_audience(event, member):
            events.append(event)
            if len(events) > OPEN_EVENTS_SHOWN:
                break
    if not events:
        return None  # nothing to offer: no panel
    registered = set(
        Registration.objects.filter(
            policy.registrations_of_user(request.user.pk),
            event__in=events,
            state__in=Registration.ACTIVE,
        ).values_list("event_id", flat=True)
    )
    return {
        "events": [
            {"event": event, "registered": event.pk in registered}
            for event in events[:OPEN_EVENTS_SHOWN]
        ],
        "more": len(events) > OPEN_EVENTS_SHOWN,
    }


def checkin_panel(request) -> dict | None:
    """For check-in staff: the events whose gate they were given (``EventStaff``), not yet
    ended, the soonest first, each with its gate page; this replaces accounts' panel of the
    same key, and says as it did that work appears once an event gives them a gate."""
    if not request.user.is_authenticated or not request.user.access.is_checkin_staff:
        return None
    events = (
        Event.objects.filter(staff__user_id=request.user.pk, ends_at__gt=timezone.now())
        .exclude(state=Event.State.CANCELLED)
        .order_by("starts_at", "pk")
    )
    return {"events": list(events)}


def register() -> None:
    home.activity_register("events", "events:list", _("Events"), order=20)
    home.personal_link_register(
        "my-events",
        "events:mine",
        _("My events"),
        order=25,
        rule=signed_in,
    )
    home.console_link_register(
        "events:console_list", _("Events"), order=52, rule=policy.may_organise_events
    )
    home.panel_register(
        "open_events",
        order=55,
        template="events/_panel_open_events.html",
        context=open_events_panel,
    )
    home.panel_register(  # the key accounts registered first: this one replaces it
        "checkin", order=5, template="events/_panel_checkin.html", context=checkin_panel
    )
