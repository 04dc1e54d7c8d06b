"""Events' fixtures: an open carnival with booths and slots, the member's own record, a
team of the district."""

from datetime import timedelta

import pytest
from django.utils import timezone

from laurel.events import services
from laurel.events.models import Event
from laurel.members.services import member_user_link, team_create
from tests.conftest import make_member

# the carnival's day, in the future whatever today is; registration open now
DAY = timezone.localtime(timezone.now()).replace(hour=0, minute=0, second=0, microsecond=0) + (
    timedelta(days=10)
)


def at(hour: int, minute: int = 0):
    return DAY + timedelta(hours=hour, minutes=minute)


@pytest.fixture
def event_factory(world, users):
    """``make(booths={"花艺馆": [(9, 10, 2), (10, 11, 2)]}, **fields)``: an open event of
    the federation (every booth's slots as (start hour, end hour, places)); ``booths={}``
    for an event without booths."""
    counter = iter(range(1000))

    def make(*, booths=None, state=Event.State.OPEN, quotas=(), questions=(), **fields):
        n = next(counter)
        booths = (
            {"花艺馆": [(9, 10, 2), (10, 11, 2)], "剪纸馆": [(9, 11, 3)]}
            if booths is None
            else booths
        )
        values = {
            "kind": Event.Kind.CARNIVAL,
            "title": f"文体艺嘉年华 {n}",
            "venue": "云阳县体育场",
            "starts_at": at(9),
            "ends_at": at(17),
            "unit": world.federation,
            "registration_opens_at": timezone.now() - timedelta(days=1),
            "registration_closes_at": at(8),
        }
        values.update(fields)
        admin = users["federation_admin"]
        event = services.event_create(
            acting_user=admin, slug=f"carnival-{n}", quotas=quotas, questions=questions, **values
        )
        for name, slots in booths.items():
            booth = services.booth_save(acting_user=admin, event=event, name=name)
            for start, end, places in slots:
                services.slot_save(
                    acting_user=admin,
                    booth=booth,
                    starts_at=at(start),
                    ends_at=at(end),
                    capacity=places,
                )
        if state != Event.State.DRAFT:
            services.event_state_set(acting_user=admin, event=event, state=Event.State.OPEN)
        if state not in (Event.State.DRAFT, Event.State.OPEN):
            services.event_state_set(acting_user=admin, event=event, state=state)
        event.refresh_from_db()
        return event

    return make


def slot_of(event, booth: str, hour: int):
    return event.booths.get(name=booth).slots.get(starts_at=at(hour))


@pytest.fixture
def member_self(world, users):
    """The ``member`` user's own member record (a grassroots member of 永川区)."""
    member = make_member(world.grassroots, 1, name="李明")
    member_user_link(acting_user=None, member=member, user=users["member"])
    member.refresh_from_db()
    return member


@pytest.fixture
def district_team(world, users):
    """A team of three in 永川区 (the unit admin's subtree)."""
    people = [make_member(world.grassroots, 100 + n, name=f"队员{n}") for n in range(3)]
    return team_create(
        acting_user=users["unit_admin"],
        unit=world.district,
        name="永川区代表队",
        leader=people[0],
        members=people,
    )
