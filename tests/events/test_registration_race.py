"""Registrations at the same moment for the last place: never past capacity.

Each registration runs in its own thread on its own database connection. A barrier sends
them into ``registration_create`` together, and a second one holds them all at the door of
``_locks_take`` — inside their transactions, nothing counted yet — so they reach the locks at
the same moment every time. Then each, once it has counted the places taken (``_fits``),
waits up to a second for the others to have counted too before it writes: with the locks the
others cannot count until it commits, so it waits the second out alone; without them all
count the same places taken, and all write. Run with the locks switched off (the same rows
read without ``FOR UPDATE``), the race books past capacity every time: that is how we know
these tests can see it.
"""

import threading

import pytest
from django.db import DatabaseError, connection
from django.db.models import Q

from laurel.events import selectors, services
from laurel.events.models import Event, Registration, Slot
from laurel.events.services import RegistrationRefused
from laurel.events.services import registration as registration_module
from laurel.members.models import Team
from tests.conftest import make_member
from tests.events.conftest import slot_of

REAL_LOCKS = registration_module._locks_take
REAL_FITS = registration_module._fits
COUNTED_WAIT_SECONDS = 1.0


def locks_off(*, event: Event, slots: list[Slot], people=(), team=None):
    """What ``_locks_take`` returns, read without locking a row."""
    by_pk = Slot.objects.select_related("booth").in_bulk([slot.pk for slot in slots])
    return Event.objects.get(pk=event.pk), [by_pk[slot.pk] for slot in slots]


def race(event: Event, runners, *, locked: bool, monkeypatch) -> list[str]:
    """Every runner's registration at once; what became of each: its state, "refused:
    <reason>", or "error: …". ``runners``: (acting user, slot, member or team) each."""
    start, at_the_locks = threading.Barrier(len(runners)), threading.Barrier(len(runners))
    counted = threading.Condition()
    counts = []

    def locks_take(**arguments):
        at_the_locks.wait(timeout=30)  # all inside their transaction, none counted yet
        return REAL_LOCKS(**arguments) if locked else locks_off(**arguments)

    def fits(*arguments, **keywords) -> bool:
        answer = REAL_FITS(*arguments, **keywords)
        with counted:  # the others count now, if the locks let them
            counts.append(answer)
            counted.notify_all()
            counted.wait_for(lambda: len(counts) == len(runners), timeout=COUNTED_WAIT_SECONDS)
        return answer

    monkeypatch.setattr(registration_module, "_locks_take", locks_take)
    monkeypatch.setattr(registration_module, "_fits", fits)
    outcomes = [""] * len(runners)

    def run(index: int, acting_user, slot, registrant) -> None:
        kind = "team" if isinstance(registrant, Team) else "member"
        try:
            start.wait(timeout=30)
            outcome = services.registration_create(
                acting_user=acting_user, event=event, slot=slot, **{kind: registrant}
            )
            outcomes[index] = outcome.state
        except RegistrationRefused as refused:
            outcomes[index] = f"refused: {refused.reason}"
        except (DatabaseError, threading.BrokenBarrierError) as error:
            outcomes[index] = f"error: {type(error).__name__}: {error}"
        finally:
            connection.close()

    threads = [
        threading.Thread(target=run, args=(index, *runner)) for index, runner in enumerate(runners)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads)
    monkeypatch.setattr(registration_module, "_locks_take", REAL_LOCKS)
    monkeypatch.setattr(registration_module, "_fits", REAL_FITS)
    return outcomes


def taken(slot: Slot) -> int:
    [row] = [row for row in selectors.occupancy(slot.booth.event, by_slot=True) if row.slot == slot]
    return row.registered


@pytest.fixture
def last_place(event_factory, world):
    """A slot of two places with one taken, no waiting list, and two people wanting it."""
    event = event_factory(waiting_list=False, booths={"书法馆": [(9, 10, 2)]})
    slot = slot_of(event, "书法馆", 9)
    services.registration_create(
        acting_user=None, event=event, slot=slot, member=make_member(world.grassroots, 500)
    )
    runners = [(None, slot, make_member(world.grassroots, 501 + n)) for n in range(2)]
    return event, slot, runners


@pytest.mark.postgres
@pytest.mark.concurrency
@pytest.mark.django_db(transaction=True)
def test_two_people_cannot_both_take_a_slot_s_last_place(last_place, monkeypatch):
    event, slot, runners = last_place
    outcomes = race(event, runners, locked=True, monkeypatch=monkeypatch)
    assert sorted(outcomes) == ["refused: full", "registered"], outcomes
    assert taken(slot) == slot.capacity == 2


@pytest.mark.postgres
@pytest.mark.concurrency
@pytest.mark.django_db(transaction=True)
def test_without_the_locks_both_take_the_last_place(last_place, monkeypatch):
    event, slot, runners = last_place
    outcomes = race(event, runners, locked=False, monkeypatch=monkeypatch)
    assert outcomes == ["registered", "registered"]
    assert taken(slot) == 3 > slot.capacity


@pytest.fixture
def last_place_in_the_event(event_factory, world):
    """An event of two places in all, one taken; two people want the last one, each in a
    slot of their own with places to spare: only the event's row counts them together."""
    event = event_factory(waiting_list=False, capacity=2)
    services.registration_create(
        acting_user=None,
        event=event,
        slot=slot_of(event, "花艺馆", 9),
        member=make_member(world.grassroots, 510),
    )
    runners = [
        (None, slot_of(event, "花艺馆", 10), make_member(world.grassroots, 511)),
        (None, slot_of(event, "剪纸馆", 9), make_member(world.grassroots, 512)),
    ]
    return event, runners


def people_holding(event: Event) -> int:
    return services.people_count(event.registrations.filter(state__in=Registration.HOLDING))


@pytest.mark.postgres
@pytest.mark.concurrency
@pytest.mark.django_db(transaction=True)
def test_two_people_cannot_both_take_the_event_s_last_place(last_place_in_the_event, monkeypatch):
    event, runners = last_place_in_the_event
    outcomes = race(event, runners, locked=True, monkeypatch=monkeypatch)
    assert sorted(outcomes) == ["refused: full", "registered"], outcomes
    assert people_holding(event) == event.capacity == 2


@pytest.mark.postgres
@pytest.mark.concurrency
@pytest.mark.django_db(transaction=True)
def test_without_the_locks_the_event_takes_one_too_many(last_place_in_the_event, monkeypatch):
    event, runners = last_place_in_the_event
    outcomes = race(event, runners, locked=False, monkeypatch=monkeypatch)
    assert outcomes == ["registered", "registered"]
    assert people_holding(event) == 3 > event.capacity


@pytest.fixture
def member_and_team(event_factory, district_team, users):
    """A team member registering themself for 09:00–10:00 while their unit admin registers
    the team for 09:00–11:00 elsewhere: different slots, one person in both."""
    event = event_factory()
    member = district_team.members.order_by("pk")[1]
    runners = [
        (None, slot_of(event, "花艺馆", 9), member),
        (users["unit_admin"], slot_of(event, "剪纸馆", 9), district_team),
    ]
    return event, member, runners


def overlapping_for(event: Event, member) -> int:
    """The active registrations holding ``member`` (in their name or their team's)."""
    return (
        event.registrations.filter(state__in=Registration.ACTIVE)
        .filter(Q(member=member) | Q(team__memberships__member=member))
        .distinct()
        .count()
    )


@pytest.mark.postgres
@pytest.mark.concurrency
@pytest.mark.django_db(transaction=True)
def test_a_person_cannot_take_overlapping_slots_through_their_team_at_once(
    member_and_team, monkeypatch
):
    """The people's rows are locked first: the second registration sees the first."""
    event, member, runners = member_and_team
    outcomes = race(event, runners, locked=True, monkeypatch=monkeypatch)
    assert sorted(outcomes) == ["refused: overlap", "registered"], outcomes
    assert overlapping_for(event, member) == 1


@pytest.mark.postgres
@pytest.mark.concurrency
@pytest.mark.django_db(transaction=True)
def test_without_the_locks_a_person_holds_overlapping_slots(member_and_team, monkeypatch):
    event, member, runners = member_and_team
    outcomes = race(event, runners, locked=False, monkeypatch=monkeypatch)
    assert outcomes == ["registered", "registered"]
    assert overlapping_for(event, member) == 2
