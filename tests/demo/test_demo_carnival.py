"""The demo's carnival (``carnival-2024``): the bulletin's 云阳县 文体艺嘉年华 at its shape — 69
teams, 1,318 people, 18 booths with their slots, several full with waiting lists — loaded
through the services in the 2024 story's time, and a second run changing nothing."""

import io
from datetime import timedelta
from itertools import pairwise

import pytest
from django.core.management import call_command

from laurel.demo import carnival as demo_carnival
from laurel.demo import world as demo_world
from laurel.events.models import Booth, CheckIn, Event, Registration, Slot
from laurel.events.selectors import occupancy
from laurel.members.models import Member, Team
from laurel.orgs.models import Unit

BULLETINS_BOOTHS = {"布袋DIY", "花艺馆", "剪纸馆", "书法馆", "投壶馆"}


def test_the_plan_has_the_bulletins_shape_and_every_team_fits_its_slot():
    units = demo_carnival.county_units()
    plan = demo_carnival.plan(units)
    assert len(plan.teams) == 69
    assert sum(team.size for team in plan.teams) == demo_carnival.PEOPLE == 1318
    assert len({team.name for team in plan.teams}) == 69
    assert {team.unit_code for team in plan.teams} == {code for code, *_rest in units}
    booths = demo_carnival.BOOTHS
    assert len(booths) == 18
    assert {booth.name for booth in booths} >= BULLETINS_BOOTHS
    held: dict[tuple[int, int], int] = {}
    for team in plan.teams:
        assert booths[team.booth].teams
        held[team.booth, team.slot] = held.get((team.booth, team.slot), 0) + team.size
    assert all(places <= booths[b].capacity for (b, _s), places in held.items())
    # nobody signs up at a time their team, or their other workshop, holds them
    times: dict[tuple[int, int], list] = {}
    for signup in plan.signups:
        team = plan.teams[signup.team]
        taken = times.setdefault(
            (signup.team, signup.person), [booths[team.booth].times[team.slot]]
        )
        when = booths[signup.booth].times[signup.slot]
        assert not any(demo_carnival.overlap(when, other) for other in taken)
        taken.append(when)
    assert [s.at for s in plan.signups] == sorted(s.at for s in plan.signups)
    assert max(t.at for t in plan.teams) < min(s.at for s in plan.signups)
    # the county's own units are named as no district pattern names one
    drawn = demo_world.grassroots_units()
    names = {(parent, name) for _code, name, _kind, parent, _industry in drawn}
    ours = {(parent, name) for _code, name, _kind, parent, _industry in demo_world.YUNYANG_UNITS}
    assert not names & ours
    codes = {code for code, *_rest in demo_world.YUNYANG_UNITS}
    assert not {code for code, *_rest in drawn} & codes


def snapshot() -> dict:
    return {
        model.__name__: list(model.objects.order_by("pk").values())
        for model in (Unit, Member, Team, Event, Booth, Slot, Registration, CheckIn)
    }


@pytest.mark.django_db
def test_the_demo_loads_the_carnival_once_with_full_booths_and_waiting_lists():
    out = io.StringIO()
    call_command("demo", "--only", "units,members,logins,carnival", "--members", "40", stdout=out)
    event = Event.objects.get(slug="carnival-2024")
    assert event.state == Event.State.ENDED
    assert event.unit.name == "云阳县总工会"
    assert event.title == "云阳县首届职工庆五一文体艺嘉年华"
    assert event.booths.count() == 18
    assert set(event.booths.values_list("name", flat=True)) >= BULLETINS_BOOTHS

    teams = Registration.objects.filter(event=event, team__isnull=False)
    assert teams.count() == teams.filter(state=Registration.State.REGISTERED).count() == 69
    people = set(Member.objects.filter(teams__event_registrations__event=event).values_list("pk"))
    assert len(people) == 1318
    county = Unit.objects.get(code="cq/yunyang").path
    assert not Member.objects.filter(pk__in=[pk for (pk,) in people]).exclude(
        unit__path__startswith=county
    )
    alone = Registration.objects.filter(event=event, member__isnull=False)
    assert alone.count() > 500
    assert not alone.filter(registered_by__isnull=False).exists()  # verified, no login

    slots = occupancy(event, by_slot=True)
    assert all(row.registered <= row.capacity for row in slots)
    full_and_waiting = [row for row in slots if row.full and row.waiting]
    assert len(full_and_waiting) >= 5
    assert len({row.booth for row in full_and_waiting}) >= 3
    assert sum(row.waiting for row in slots) == alone.filter(state="waiting").count() > 20

    # the 2024 story's time: made, registered within the window, then the day itself
    made = [event.created_at, event.registration_opens_at]
    registered = sorted(
        Registration.objects.filter(event=event).values_list("created_at", flat=True)
    )
    assert all(a <= b for a, b in pairwise([*made, *registered, event.registration_closes_at]))
    assert event.registration_closes_at < event.starts_at
    assert event.starts_at.year == 2024

    # the day: most of those holding places came, checked in at their booth before their slot
    holding = Registration.objects.filter(event=event, state=Registration.State.REGISTERED)
    came = holding.filter(checked_in_at__isnull=False)
    assert 0.9 * holding.count() < came.count() < holding.count()
    for registration in came.select_related("slot__booth")[:50]:
        check_in = registration.check_ins.get()
        assert check_in.booth == registration.slot.booth
        assert check_in.device == f"{registration.slot.booth.name}签到"
        early = registration.slot.starts_at - registration.checked_in_at
        assert timedelta(0) <= early <= timedelta(minutes=demo_carnival.ARRIVING_EARLY_MINUTES)
    assert not Registration.objects.filter(event=event, checked_in_at__isnull=False).exclude(
        state=Registration.State.REGISTERED
    )

    printed = out.getvalue()
    assert "Event carnival-2024:" in printed
    assert "69 teams and 1318 people registered" in printed
    assert f"{len([row for row in slots if row.full])} slots full" in printed
    checked_in = sum(row.checked_in for row in occupancy(event, by_slot=True))
    assert f"Attendance: {checked_in} of " in printed

    before = snapshot()
    call_command("demo", "--only", "carnival", stdout=io.StringIO())
    assert snapshot() == before
