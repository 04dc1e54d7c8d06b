"""The events services: every reason a registration is refused (with nothing written), the
waiting list and its promotions, offers that lapse, the day-before reminder, notices of a
changed or cancelled event, and slot capacities that move."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from laurel.audit.models import LogEntry
from laurel.events import services
from laurel.events.models import Event, Registration
from laurel.events.services import RegistrationRefused
from laurel.events.services import registration as registration_module
from laurel.notifications.models import Notification, OutgoingMessage
from tests.conftest import make_member
from tests.events.conftest import DAY, at, slot_of

REGISTERED, WAITING = Registration.State.REGISTERED, Registration.State.WAITING
OFFERED, LAPSED = Registration.State.OFFERED, Registration.State.LAPSED


@pytest.fixture(autouse=True)
def in_english():
    """Sentences are asserted in English (the source)."""
    with translation.override("en"):
        yield


def written() -> dict[str, int]:
    """The rows a registration may write: itself, its audit entry, its notices."""
    return {
        "registrations": Registration.objects.count(),
        "audit": LogEntry.objects.count(),
        "notifications": Notification.objects.count(),
        "messages": OutgoingMessage.objects.count(),
    }


def refused(reason: str, **arguments) -> str:
    """Register as ``arguments`` say, expecting a refusal for ``reason`` with nothing
    written; returns the refusal's sentence."""
    arguments.setdefault("acting_user", None)
    before = written()
    with pytest.raises(RegistrationRefused) as caught:
        services.registration_create(**arguments)
    assert caught.value.reason == reason, caught.value.message
    assert written() == before
    return caught.value.message


def register(event, slot, member=None, *, team=None, acting_user=None, **more):
    return services.registration_create(
        acting_user=acting_user, event=event, slot=slot, member=member, team=team, **more
    )


@pytest.fixture
def people(world):
    """``people(n)``: n more grassroots members of 永川区, each with a mobile."""
    counter = iter(range(200, 1000))

    def make(n: int) -> list:
        return [make_member(world.grassroots, next(counter)) for _ in range(n)]

    return make


def states(*registrations) -> list[str]:
    return [Registration.objects.get(pk=r.pk).state for r in registrations]


# --- refusals -------------------------------------------------------------------------------


def test_before_the_window_opens_registration_is_refused_saying_when(event_factory, people):
    event = event_factory(registration_opens_at=timezone.now() + timedelta(days=1))
    [person] = people(1)
    message = refused("window", event=event, slot=slot_of(event, "花艺馆", 9), member=person)
    assert "opens at" in message


def test_after_the_window_closes_registration_is_refused(event_factory, people):
    event = event_factory()
    [person] = people(1)
    slot = slot_of(event, "花艺馆", 9)
    message = refused("window", event=event, slot=slot, member=person, now=at(8))
    assert "closed at" in message
    assert register(event, slot, person, now=at(7, 59)).state == REGISTERED


@pytest.mark.parametrize("state", [Event.State.DRAFT, Event.State.CLOSED, Event.State.CANCELLED])
def test_an_event_not_open_refuses_registration_inside_its_window(event_factory, people, state):
    event = event_factory(state=state)
    [person] = people(1)
    message = refused("window", event=event, slot=slot_of(event, "花艺馆", 9), member=person)
    assert str(Event.State(state).label).lower() in message


def test_a_full_slot_without_a_waiting_list_refuses(event_factory, people):
    event = event_factory(waiting_list=False)
    slot = slot_of(event, "花艺馆", 9)
    first, second, third = people(3)
    register(event, slot, first)
    register(event, slot, second)
    message = refused("full", event=event, slot=slot, member=third)
    assert "花艺馆" in message
    assert "keeps no waiting list" in message
    assert register(event, slot_of(event, "花艺馆", 10), third).state == REGISTERED


def test_a_full_event_without_a_waiting_list_refuses_naming_the_event(event_factory, people):
    event = event_factory(waiting_list=False, capacity=2)
    first, second, third = people(3)
    register(event, slot_of(event, "花艺馆", 9), first)
    register(event, slot_of(event, "剪纸馆", 9), second)
    message = refused("full", event=event, slot=slot_of(event, "花艺馆", 10), member=third)
    assert event.title in message


def test_a_slot_overlapping_one_held_is_refused(event_factory, people):
    event = event_factory()
    [person] = people(1)
    register(event, slot_of(event, "花艺馆", 9), person)
    message = refused("overlap", event=event, slot=slot_of(event, "剪纸馆", 9), member=person)
    assert "花艺馆" in message
    # the next hour does not overlap
    assert register(event, slot_of(event, "花艺馆", 10), person).state == REGISTERED


def test_a_slot_overlapping_one_waited_for_is_refused(event_factory, people):
    event = event_factory(booths={"书法馆": [(9, 10, 1)], "投壶馆": [(9, 10, 5)]})
    first, second = people(2)
    register(event, slot_of(event, "书法馆", 9), first)
    assert register(event, slot_of(event, "书法馆", 9), second).state == WAITING
    refused("overlap", event=event, slot=slot_of(event, "投壶馆", 9), member=second)


def test_a_member_is_refused_a_slot_overlapping_their_team_s(event_factory, district_team, users):
    event = event_factory()
    admin = users["unit_admin"]
    register(event, slot_of(event, "剪纸馆", 9), team=district_team, acting_user=admin)
    member = district_team.members.order_by("pk")[1]
    message = refused("overlap", event=event, slot=slot_of(event, "花艺馆", 10), member=member)
    assert "剪纸馆" in message


def test_a_team_is_refused_a_slot_overlapping_one_of_its_member_s_naming_them(
    event_factory, district_team, users
):
    event = event_factory()
    member = district_team.members.order_by("pk")[1]
    register(event, slot_of(event, "花艺馆", 10), member)
    message = refused(
        "overlap",
        event=event,
        slot=slot_of(event, "剪纸馆", 9),
        team=district_team,
        acting_user=users["unit_admin"],
    )
    assert member.name in message
    assert district_team.name in message


def test_a_unit_past_its_quota_is_refused_naming_the_unit(event_factory, world, people):
    event = event_factory(quotas=[(world.district, 2)], booths={"书法馆": [(9, 10, 10)]})
    slot = slot_of(event, "书法馆", 9)
    first, second, third = people(3)
    register(event, slot, first)
    register(event, slot, second)
    message = refused("quota", event=event, slot=slot, member=third)
    assert world.district.name in message
    # another district's member is not counted against it
    outsider = make_member(world.other_grassroots, 300)
    assert register(event, slot, outsider).state == REGISTERED


def test_a_team_larger_than_the_quota_left_is_refused(event_factory, world, district_team, users):
    event = event_factory(quotas=[(world.district, 2)], booths={"书法馆": [(9, 10, 10)]})
    message = refused(
        "quota",
        event=event,
        slot=slot_of(event, "书法馆", 9),
        team=district_team,
        acting_user=users["unit_admin"],
    )
    assert world.district.name in message


def test_the_quota_counts_a_person_waiting_elsewhere_once(event_factory, world, people):
    """Someone already waiting for one slot takes no second place of the quota by asking for
    another."""
    booths = {"书法馆": [(9, 10, 1), (10, 11, 5)]}
    event = event_factory(quotas=[(world.district, 2)], booths=booths)
    first, second = people(2)
    register(event, slot_of(event, "书法馆", 9), first)
    assert register(event, slot_of(event, "书法馆", 9), second).state == WAITING
    assert register(event, slot_of(event, "书法馆", 10), second).state == REGISTERED


def test_a_member_outside_the_audience_is_refused(event_factory, world, member_self, users):
    event = event_factory(audience=Event.Audience.UNITS, audience_units=[world.other_district])
    slot = slot_of(event, "花艺馆", 9)
    refused("audience", event=event, slot=slot, member=member_self, acting_user=users["member"])
    assert register(event, slot, make_member(world.other_grassroots, 300)).state == REGISTERED


def test_a_team_with_a_member_outside_the_audience_is_refused_naming_them(
    event_factory, district_team, users
):
    inside, also_inside, outside = district_team.members.order_by("pk")
    event = event_factory(audience=Event.Audience.INVITED, invitees=[inside, also_inside])
    message = refused(
        "audience",
        event=event,
        slot=slot_of(event, "剪纸馆", 9),
        team=district_team,
        acting_user=users["unit_admin"],
    )
    assert outside.name in message
    assert inside.name not in message
    assert also_inside.name not in message


def test_registering_twice_for_a_slot_is_refused(event_factory, people):
    event = event_factory(booths={"书法馆": [(9, 10, 1)]})
    slot = slot_of(event, "书法馆", 9)
    holder, waiter = people(2)
    register(event, slot, holder)
    register(event, slot, waiter)
    assert "registered" in refused("already", event=event, slot=slot, member=holder)
    assert "waiting" in refused("already", event=event, slot=slot, member=waiter)


def test_a_slot_of_another_event_or_none_is_refused(event_factory, people):
    event, other = event_factory(), event_factory()
    [person] = people(1)
    refused("slot", event=event, slot=slot_of(other, "花艺馆", 9), member=person)
    refused("slot", event=event, slot=None, member=person)


def test_a_team_is_refused_where_only_members_register(event_factory, district_team, users):
    event = event_factory(teams_register=False)
    refused(
        "registrant",
        event=event,
        slot=slot_of(event, "剪纸馆", 9),
        team=district_team,
        acting_user=users["unit_admin"],
    )


QUESTIONS = [
    ("T-shirt size", "choice", "S\nM\nL", True),
    ("Vegetarian?", "yes_no", "", False),
    ("Anything else?", "text", "", False),
]


@pytest.mark.parametrize(
    ("answers", "words"),
    [
        ({}, "Please answer “T-shirt size”"),
        ({0: "  "}, "Please answer “T-shirt size”"),
        ({0: "XXL"}, "Choose one of the answers offered to “T-shirt size”"),
        ({0: "M", 1: "maybe"}, "Answer “Vegetarian?” yes or no"),
    ],
)
def test_answers_missing_or_not_offered_are_refused(event_factory, people, answers, words):
    event = event_factory(questions=QUESTIONS)
    pks = [q.pk for q in event.questions.all()]
    [person] = people(1)
    message = refused(
        "answers",
        event=event,
        slot=slot_of(event, "花艺馆", 9),
        member=person,
        answers={str(pks[index]): given for index, given in answers.items()},
    )
    assert words in message


def test_answers_given_are_kept_cleaned(event_factory, people):
    event = event_factory(questions=QUESTIONS)
    size, vegetarian, other = (str(q.pk) for q in event.questions.all())
    [person] = people(1)
    outcome = register(
        event,
        slot_of(event, "花艺馆", 9),
        person,
        answers={size: " M ", vegetarian: "yes", other: ""},
    )
    outcome.registration.refresh_from_db()
    assert outcome.registration.answers == {size: "M", vegetarian: True}


# --- the waiting list ---------------------------------------------------------------------


def test_the_waiting_list_gives_places_in_line(event_factory, people):
    event = event_factory(booths={"书法馆": [(9, 10, 1)]})
    slot = slot_of(event, "书法馆", 9)
    holder, *waiters = people(4)
    assert register(event, slot, holder).waiting_place is None
    outcomes = [register(event, slot, person) for person in waiters]
    assert [(o.state, o.waiting_place) for o in outcomes] == [(WAITING, n) for n in (1, 2, 3)]
    assert LogEntry.objects.filter(action="events.registration.waiting").count() == 3
    services.registration_cancel(acting_user=None, registration=outcomes[0].registration)
    assert [
        services.waiting_place(Registration.objects.get(pk=o.registration.pk)) for o in outcomes[1:]
    ] == [1, 2]


def test_a_cancellation_promotes_the_first_waiting_and_tells_them(
    event_factory, people, member_self, users
):
    event = event_factory(booths={"书法馆": [(9, 10, 1)]})
    slot = slot_of(event, "书法馆", 9)
    holder, last = people(2)
    held = register(event, slot, holder).registration
    first = register(event, slot, member_self, acting_user=users["member"]).registration
    second = register(event, slot, last).registration
    promoted = services.registration_cancel(acting_user=None, registration=held)
    assert [r.pk for r in promoted] == [first.pk]
    assert states(held, first, second) == [Registration.State.CANCELLED, REGISTERED, WAITING]
    [notice] = Notification.objects.filter(recipient=users["member"])
    assert "书法馆" in notice.title
    assert OutgoingMessage.objects.filter(to=member_self.mobile, channel="sms").count() == 1
    assert LogEntry.objects.filter(action="events.registration.promoted").count() == 1


def test_the_promotion_is_undone_with_the_cancellation(event_factory, people, monkeypatch):
    """Promotion happens in the cancelling transaction: when that transaction fails at its
    last write, the person waiting is still waiting."""
    event = event_factory(booths={"书法馆": [(9, 10, 1)]})
    slot = slot_of(event, "书法馆", 9)
    holder, waiter = people(2)
    held = register(event, slot, holder).registration
    waiting = register(event, slot, waiter).registration
    real_audit_log = registration_module.audit_log

    def audit_log_failing_on_cancel(**arguments):
        if arguments["action"] == "events.registration.cancelled":
            raise RuntimeError("the cancellation's audit entry failed")
        return real_audit_log(**arguments)

    monkeypatch.setattr(registration_module, "audit_log", audit_log_failing_on_cancel)
    with pytest.raises(RuntimeError):
        services.registration_cancel(acting_user=None, registration=held)
    assert states(held, waiting) == [REGISTERED, WAITING]


def test_cancelling_a_waiting_registration_promotes_nobody(event_factory, people):
    event = event_factory(booths={"书法馆": [(9, 10, 1)]})
    slot = slot_of(event, "书法馆", 9)
    holder, first, second = people(3)
    register(event, slot, holder)
    waiting = [register(event, slot, p).registration for p in (first, second)]
    assert services.registration_cancel(acting_user=None, registration=waiting[0]) == []
    assert states(*waiting) == [Registration.State.CANCELLED, WAITING]
    with pytest.raises(RegistrationRefused) as again:
        services.registration_cancel(acting_user=None, registration=waiting[0])
    assert again.value.reason == "state"


def test_a_team_too_large_for_the_freed_place_holds_its_line(
    event_factory, people, district_team, users
):
    """Nobody passes over the team: the member behind it waits until the team fits."""
    event = event_factory(booths={"书法馆": [(9, 10, 3)]})
    slot = slot_of(event, "书法馆", 9)
    holders = [register(event, slot, p).registration for p in people(3)]
    team = register(event, slot, team=district_team, acting_user=users["unit_admin"])
    [behind] = people(1)
    member = register(event, slot, behind)
    assert (team.waiting_place, member.waiting_place) == (1, 2)
    assert services.registration_cancel(acting_user=None, registration=holders[0]) == []
    assert states(team.registration, member.registration) == [WAITING, WAITING]
    services.registration_cancel(acting_user=None, registration=holders[1])
    promoted = services.registration_cancel(acting_user=None, registration=holders[2])
    assert [r.pk for r in promoted] == [team.registration.pk]
    assert states(team.registration, member.registration) == [REGISTERED, WAITING]
    assert services.slot_taken(slot) == 3


def test_the_event_s_capacity_counts_people_once_across_slots(event_factory, people):
    event = event_factory(capacity=2)
    first, second, third = people(3)
    register(event, slot_of(event, "花艺馆", 9), first)
    assert register(event, slot_of(event, "花艺馆", 10), first).state == REGISTERED  # same person
    second_place = register(event, slot_of(event, "剪纸馆", 9), second).registration
    # the slot has a place, the event has none
    third_wait = register(event, slot_of(event, "花艺馆", 10), third)
    assert third_wait.state == WAITING
    promoted = services.registration_cancel(acting_user=None, registration=second_place)
    assert [r.pk for r in promoted] == [third_wait.registration.pk]


def test_an_event_without_booths_keeps_its_own_line(event_factory, people):
    event = event_factory(booths={}, capacity=1)
    first, second = people(2)
    held = register(event, None, first).registration
    waiting = register(event, None, second)
    assert (waiting.state, waiting.waiting_place) == (WAITING, 1)
    refused("slot", event=event, slot=slot_of(event_factory(), "花艺馆", 9), member=second)
    services.registration_cancel(acting_user=None, registration=held)
    assert states(waiting.registration) == [REGISTERED]


# --- offers ---------------------------------------------------------------------------------


@pytest.fixture
def offering(event_factory, people):
    """A one-place slot of an event offering freed places for 2 hours: held, and two
    waiting."""
    event = event_factory(offer_hours=2, booths={"书法馆": [(9, 10, 1)]})
    slot = slot_of(event, "书法馆", 9)
    holder, first, second = people(3)
    return (
        event,
        slot,
        [register(event, slot, person).registration for person in (holder, first, second)],
    )


def test_a_freed_place_is_offered_then_taken(offering):
    event, slot, (held, first, second) = offering
    now = timezone.now()
    services.registration_cancel(acting_user=None, registration=held, now=now)
    first.refresh_from_db()
    assert first.state == OFFERED
    assert first.offer_expires_at == now + timedelta(hours=2)
    assert services.slot_taken(slot) == 1  # an offered place is held
    assert "Take it by" in OutgoingMessage.objects.get(to=first.member.mobile).body
    services.offer_accept(acting_user=None, registration=first, now=now + timedelta(hours=1))
    assert states(first, second) == [REGISTERED, WAITING]
    assert LogEntry.objects.filter(action="events.registration.offer_taken").count() == 1


def test_an_offer_not_taken_lapses_and_passes_to_the_next(offering):
    event, slot, (held, first, second) = offering
    now = timezone.now()
    services.registration_cancel(acting_user=None, registration=held, now=now)
    assert services.offers_lapse(now=now + timedelta(hours=1, minutes=59)) == 0
    assert services.offers_lapse(now=now + timedelta(hours=2)) == 1
    assert states(first, second) == [LAPSED, OFFERED]
    with pytest.raises(RegistrationRefused) as late:
        services.offer_accept(acting_user=None, registration=first, now=now + timedelta(hours=2))
    assert late.value.reason == "state"
    assert services.offers_lapse(now=now + timedelta(hours=2)) == 0  # once


def test_an_offer_cannot_be_taken_after_its_time(offering):
    event, slot, (held, first, second) = offering
    now = timezone.now()
    services.registration_cancel(acting_user=None, registration=held, now=now)
    with pytest.raises(RegistrationRefused):
        services.offer_accept(acting_user=None, registration=first, now=now + timedelta(hours=2))
    assert states(first) == [OFFERED]  # until the periodic job lapses it


def test_the_lapse_job_leaves_an_offer_taken_while_it_ran(offering, monkeypatch):
    """The job lists the offers due, then frees them one by one: one taken in between (its
    person answered just before the deadline) stays taken."""
    event, slot, (held, first, second) = offering
    now = timezone.now()
    services.registration_cancel(acting_user=None, registration=held, now=now)
    real_free = registration_module._free

    def taken_meanwhile(registration, state, **arguments):
        services.offer_accept(acting_user=None, registration=first, now=now)
        return real_free(registration, state, **arguments)

    monkeypatch.setattr(registration_module, "_free", taken_meanwhile)
    assert services.offers_lapse(now=now + timedelta(hours=3)) == 0
    assert states(first, second) == [REGISTERED, WAITING]


# --- the day before, and notices ------------------------------------------------------------


def test_the_reminder_goes_the_day_before_once_to_those_holding_places(
    event_factory, people, member_self, users
):
    event = event_factory(booths={"书法馆": [(9, 10, 1)]})
    slot = slot_of(event, "书法馆", 9)
    register(event, slot, member_self, acting_user=users["member"])
    [waiter] = people(1)
    register(event, slot, waiter)
    assert services.reminders_send(now=DAY - timedelta(days=1, hours=12)) == 0  # two days before
    assert services.reminders_send(now=DAY - timedelta(hours=12)) == 1
    [notice] = Notification.objects.filter(recipient=users["member"])
    assert notice.title == f"Tomorrow: {event.title}"
    assert OutgoingMessage.objects.filter(to=member_self.mobile).count() == 1
    assert not OutgoingMessage.objects.filter(to=waiter.mobile).exists()
    assert services.reminders_send(now=DAY - timedelta(hours=1)) == 0  # once
    assert Notification.objects.count() == 1


def test_a_new_time_or_venue_is_told_to_everyone_registered_or_waiting(
    event_factory, people, member_self, users, district_team
):
    event = event_factory(booths={"书法馆": [(9, 10, 1)], "投壶馆": [(11, 12, 5)]})
    slot = slot_of(event, "书法馆", 9)
    register(event, slot, member_self, acting_user=users["member"])
    waiter, cancelled = people(2)
    register(event, slot, waiter)
    gone = register(event, slot_of(event, "投壶馆", 11), cancelled).registration
    services.registration_cancel(acting_user=None, registration=gone)
    admin = users["unit_admin"]
    register(event, slot_of(event, "投壶馆", 11), team=district_team, acting_user=admin)
    services.event_update(acting_user=users["federation_admin"], event=event, title="改名")
    assert not Notification.objects.exists()
    assert not OutgoingMessage.objects.exists()

    services.event_update(acting_user=users["federation_admin"], event=event, venue="县文化馆")
    told_by_sms = set(OutgoingMessage.objects.filter(channel="sms").values_list("to", flat=True))
    assert told_by_sms == {member_self.mobile, waiter.mobile, district_team.leader.mobile}
    assert all("县文化馆" in m.body for m in OutgoingMessage.objects.all())
    inboxes = set(Notification.objects.values_list("recipient", flat=True))
    assert inboxes == {users["member"].pk, admin.pk}  # the member's login, the team's admin

    OutgoingMessage.objects.all().delete()
    services.event_update(
        acting_user=users["federation_admin"], event=event, starts_at=at(8), ends_at=at(18)
    )
    assert OutgoingMessage.objects.count() == 3


def test_a_cancelled_event_tells_everyone_registered_or_waiting(
    event_factory, people, member_self, users
):
    event = event_factory(booths={"书法馆": [(9, 10, 1)]})
    slot = slot_of(event, "书法馆", 9)
    register(event, slot, member_self, acting_user=users["member"])
    [waiter] = people(1)
    register(event, slot, waiter)
    services.event_state_set(
        acting_user=users["federation_admin"], event=event, state=Event.State.CANCELLED
    )
    assert set(OutgoingMessage.objects.values_list("to", flat=True)) == {
        member_self.mobile,
        waiter.mobile,
    }
    [notice] = Notification.objects.filter(recipient=users["member"])
    assert "cancelled" in notice.title
    refused("window", event=event, slot=slot, member=people(1)[0])


# --- places that change ---------------------------------------------------------------------


def test_a_slot_s_capacity_cannot_go_below_its_places_taken(event_factory, people, users):
    event = event_factory(booths={"书法馆": [(9, 10, 3)]})
    slot = slot_of(event, "书法馆", 9)
    for person in people(2):
        register(event, slot, person)
    arguments = {
        "acting_user": users["federation_admin"],
        "booth": slot.booth,
        "slot": slot,
        "starts_at": slot.starts_at,
        "ends_at": slot.ends_at,
    }
    with pytest.raises(ValidationError) as caught:
        services.slot_save(capacity=1, **arguments)
    assert "2 places are taken" in str(caught.value)
    assert services.slot_save(capacity=2, **arguments).capacity == 2


def test_places_added_to_a_slot_go_to_those_waiting(event_factory, people, users):
    event = event_factory(booths={"书法馆": [(9, 10, 1)]})
    slot = slot_of(event, "书法馆", 9)
    held, first, second, third = (register(event, slot, p).registration for p in people(4))
    services.slot_save(
        acting_user=users["federation_admin"],
        booth=slot.booth,
        slot=slot,
        starts_at=slot.starts_at,
        ends_at=slot.ends_at,
        capacity=3,
    )
    assert states(held, first, second, third) == [REGISTERED, REGISTERED, REGISTERED, WAITING]


def test_places_added_to_the_event_go_to_those_waiting(event_factory, people, users):
    event = event_factory(capacity=1)
    held, waiting = (
        register(event, slot_of(event, booth, 9), person).registration
        for booth, person in zip(("花艺馆", "剪纸馆"), people(2), strict=True)
    )
    assert states(waiting) == [WAITING]
    services.event_update(acting_user=users["federation_admin"], event=event, capacity=2)
    assert states(held, waiting) == [REGISTERED, REGISTERED]


def test_the_event_s_capacity_taken_away_lets_those_waiting_in(event_factory, people, users):
    event = event_factory(capacity=1)
    held, waiting = (
        register(event, slot_of(event, booth, 9), person).registration
        for booth, person in zip(("花艺馆", "剪纸馆"), people(2), strict=True)
    )
    services.event_update(acting_user=users["federation_admin"], event=event, capacity=None)
    assert states(held, waiting) == [REGISTERED, REGISTERED]


def test_a_team_counts_its_size_in_the_slot(event_factory, district_team, people, users):
    event = event_factory(booths={"书法馆": [(9, 10, 4)]})
    slot = slot_of(event, "书法馆", 9)
    outcome = register(event, slot, team=district_team, acting_user=users["unit_admin"])
    assert (outcome.state, outcome.registration.places) == (REGISTERED, 3)
    assert outcome.registration.registered_by == users["unit_admin"]
    first, second = people(2)
    assert register(event, slot, first).state == REGISTERED
    assert register(event, slot, second).state == WAITING
    assert services.slot_taken(slot) == 4


def test_an_organiser_cancelling_tells_the_registrant_and_the_registrant_is_not_told_twice(
    event_factory, member_self, users
):
    event = event_factory()
    mine = services.registration_create(
        acting_user=users["member"],
        event=event,
        slot=slot_of(event, "花艺馆", 9),
        member=member_self,
    ).registration
    services.registration_cancel(acting_user=users["federation_admin"], registration=mine)
    [told] = Notification.objects.filter(recipient=users["member"])
    assert told.title.startswith("Registration cancelled: 花艺馆")
    assert OutgoingMessage.objects.filter(to=member_self.mobile, body__contains="花艺馆").exists()

    again = services.registration_create(
        acting_user=users["member"],
        event=event,
        slot=slot_of(event, "花艺馆", 9),
        member=member_self,
    ).registration
    services.registration_cancel(acting_user=users["member"], registration=again)
    assert Notification.objects.filter(recipient=users["member"]).count() == 1  # their own act


def test_an_ended_event_keeps_its_registrations(event_factory, member_self, users):
    event = event_factory()
    mine = services.registration_create(
        acting_user=users["member"],
        event=event,
        slot=slot_of(event, "花艺馆", 9),
        member=member_self,
    ).registration
    services.event_state_set(acting_user=users["federation_admin"], event=event, state="ended")
    mine.refresh_from_db()
    before = written()
    with pytest.raises(RegistrationRefused) as refused:
        services.registration_cancel(acting_user=users["member"], registration=mine)
    assert refused.value.reason == "state"
    assert "Ended" in refused.value.message or "ended" in refused.value.message
    assert written() == before


def test_the_cover_is_public_once_the_event_is(event_factory, users):
    from laurel.media.models import MediaAsset

    cover = MediaAsset.objects.create(original_name="封面.jpg", size=1, sha256="1" * 64)
    event = event_factory(state=Event.State.DRAFT, cover=cover)
    cover.refresh_from_db()
    assert cover.published_at is None  # a draft's cover stays private
    services.event_state_set(acting_user=users["federation_admin"], event=event, state="open")
    cover.refresh_from_db()
    assert cover.published_at is not None

    other = MediaAsset.objects.create(original_name="新封面.jpg", size=1, sha256="2" * 64)
    services.event_update(acting_user=users["federation_admin"], event=event, cover=other)
    cover.refresh_from_db()
    other.refresh_from_db()
    assert (cover.published_at, other.published_at is not None) == (None, True)
