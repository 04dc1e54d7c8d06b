"""A unit admin registering their teams and the members of their subtree for an event
(``events:console_register``): a team with its members listed; several members at once, each
on their own (one refused keeps the others); every refusal as the service words it, with
nothing written; another subtree's teams and members never offered and not found; a form
sent twice registers nobody twice; cancelling from the list frees the place."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape

from laurel.events import services
from laurel.events.models import Event, Registration
from laurel.members.services import team_create
from laurel.orgs.services import unit_create
from tests.conftest import english_client, make_member
from tests.events.conftest import slot_of


@pytest.fixture
def admin_client(users):
    client = english_client()
    client.force_login(users["unit_admin"])
    return client


def page(event) -> str:
    return reverse("events:console_register", args=[event.slug])


OUTCOME = re.compile(r'<tr data-outcome="(\w+)"(?: data-place="(\d+)")?>')


def outcomes(response) -> list[tuple[str, str | None]]:
    """The outcome rows of the page: (state, place in line or None), in order."""
    return [(state, place or None) for state, place in OUTCOME.findall(response.content.decode())]


def test_a_unit_admin_registers_a_team_with_its_members_listed(
    event_factory, admin_client, district_team, users
):
    event = event_factory()
    listing = admin_client.get(page(event), {"who": "team"})
    assert listing.status_code == 200
    assert f'data-team="{district_team.pk}"' in listing.content.decode()

    chosen = admin_client.get(page(event), {"who": "team", "team": district_team.pk})
    chosen = chosen.content.decode()
    for n in range(3):
        assert f"队员{n}" in chosen
    assert "13900000100" not in chosen  # mobiles masked
    assert "139****0100" in chosen

    slot = slot_of(event, "剪纸馆", 9)
    form = {"who": "team", "team": district_team.pk, "slot": slot.pk, "idempotency_key": "k-team-1"}
    response = admin_client.post(page(event), form)
    assert response.status_code == 200
    assert outcomes(response) == [("registered", None)]
    [registration] = Registration.objects.filter(event=event)
    assert (registration.team, registration.slot, registration.places) == (district_team, slot, 3)
    assert registration.state == Registration.State.REGISTERED
    assert registration.registered_by == users["unit_admin"]
    assert f'data-registration="{registration.pk}"' in response.content.decode()

    again = admin_client.post(page(event), form)  # the same form sent twice
    assert outcomes(again) == [("registered", None)]
    assert 'id="replayed"' in again.content.decode()
    assert Registration.objects.filter(event=event).count() == 1


def test_members_several_at_once_one_refused_and_the_others_kept(
    event_factory, admin_client, world
):
    event = event_factory(booths={"花艺馆": [(9, 10, 2)], "剪纸馆": [(9, 11, 3)]})
    people = [make_member(world.grassroots, 10 + n, name=f"张{n}") for n in range(4)]
    services.registration_create(
        acting_user=None, event=event, slot=slot_of(event, "剪纸馆", 9), member=people[1]
    )
    flowers = slot_of(event, "花艺馆", 9)
    found = admin_client.get(page(event), {"who": "members", "q": "张"}).content.decode()
    assert all(f'name="members" value="{p.pk}"' in found for p in people)

    response = admin_client.post(
        page(event),
        {
            "who": "members",
            "members": [p.pk for p in people],
            "slot": flowers.pk,
            "idempotency_key": "k-members-1",
        },
    )
    assert outcomes(response) == [
        ("registered", None),
        ("refused", None),  # 张1 holds 剪纸馆 09–11, which overlaps
        ("registered", None),
        ("waiting", "1"),
    ]
    with pytest.raises(services.RegistrationRefused) as overlap:
        services.registration_create(acting_user=None, event=event, slot=flowers, member=people[1])
    assert escape(overlap.value.message) in response.content.decode()
    states = dict(
        Registration.objects.filter(event=event, slot=flowers).values_list("member", "state")
    )
    assert states == {
        people[0].pk: Registration.State.REGISTERED,
        people[2].pk: Registration.State.REGISTERED,
        people[3].pk: Registration.State.WAITING,
    }

    again = admin_client.post(
        page(event),
        {
            "who": "members",
            "members": [p.pk for p in people],
            "slot": flowers.pk,
            "idempotency_key": "k-members-1",
        },
    )
    assert outcomes(again) == outcomes(response)  # the first answers; nobody registered twice
    assert Registration.objects.filter(event=event, slot=flowers).count() == 3


def test_another_subtrees_team_and_members_are_not_offered_and_not_found(
    event_factory, admin_client, world, district_team
):
    event = event_factory()
    foreign_people = [make_member(world.other_grassroots, 200 + n) for n in range(2)]
    foreign_team = team_create(
        acting_user=None,
        unit=world.other_district,
        name="奉节县代表队",
        leader=foreign_people[0],
        members=foreign_people,
    )
    listed = admin_client.get(page(event), {"who": "team"}).content.decode()
    assert f'data-team="{district_team.pk}"' in listed
    assert f'data-team="{foreign_team.pk}"' not in listed
    found = admin_client.get(page(event), {"who": "members", "q": "会员"}).content.decode()
    assert f'value="{foreign_people[0].pk}"' not in found

    slot = slot_of(event, "剪纸馆", 9)
    chosen = admin_client.get(page(event), {"who": "team", "team": foreign_team.pk})
    assert chosen.status_code == 404
    posted = {"who": "team", "team": foreign_team.pk, "slot": slot.pk, "idempotency_key": "k1"}
    assert admin_client.post(page(event), posted).status_code == 404
    own = make_member(world.grassroots, 300)
    posted = {"who": "members", "members": [own.pk, foreign_people[1].pk], "slot": slot.pk}
    assert admin_client.post(page(event), posted).status_code == 404
    assert not Registration.objects.filter(event=event).exists()


def test_a_draft_is_not_found_and_a_member_may_not_register_others(
    event_factory, admin_client, client_as
):
    draft = event_factory(state=Event.State.DRAFT)
    assert admin_client.get(page(draft)).status_code == 404
    assert client_as("member").get(page(event_factory())).status_code == 403


def _team_outside_the_audience(world):
    """A team of the district: two of the audience's unit (the grassroots union), and 王五 of
    another unit of the district, which the event does not invite."""
    elsewhere = unit_create(
        acting_user=None,
        name="第二机械厂工会",
        code="cq/yc/jx2",
        kind="grassroots",
        parent=world.district,
    )
    people = [make_member(world.grassroots, 400), make_member(world.grassroots, 401)]
    outsider = make_member(elsewhere, 402, name="王五")
    return team_create(
        acting_user=None,
        unit=world.district,
        name="混合队",
        leader=people[0],
        members=[*people, outsider],
    )


@pytest.mark.parametrize("reason", ["audience", "quota", "overlap", "full", "window"])
def test_a_team_refused_is_told_as_the_service_says_with_nothing_written(
    reason, event_factory, admin_client, world, users, district_team
):
    """Each refusal on the page in the service's own words (naming the member outside the
    audience), and no registration written."""
    team, fields, slot_hour = district_team, {}, 9
    if reason == "audience":
        team = _team_outside_the_audience(world)
        fields = {"audience": Event.Audience.UNITS, "audience_units": [world.grassroots]}
    elif reason == "quota":
        fields = {"quotas": [(world.district, 2)]}
    elif reason == "full":
        fields = {"waiting_list": False, "booths": {"剪纸馆": [(9, 11, 2)]}}
    elif reason == "window":
        fields = {"registration_closes_at": timezone.now() - timedelta(hours=1)}
    event = event_factory(**fields)
    slot = slot_of(event, "剪纸馆", slot_hour)
    if reason == "overlap":
        services.registration_create(
            acting_user=None,
            event=event,
            slot=slot_of(event, "花艺馆", 10),
            member=team.members.first(),
        )
    before = Registration.objects.count()
    with pytest.raises(services.RegistrationRefused) as refused, translation.override("en"):
        services.registration_create(  # in the admin client's language
            acting_user=users["unit_admin"], event=event, slot=slot, team=team
        )
    assert refused.value.reason == reason

    response = admin_client.post(
        page(event), {"who": "team", "team": team.pk, "slot": slot.pk, "idempotency_key": reason}
    )
    assert response.status_code == 200
    assert outcomes(response) == [("refused", None)]
    html = response.content.decode()
    assert escape(refused.value.message) in html
    if reason == "audience":
        assert "王五" in refused.value.message
    assert Registration.objects.count() == before


def test_cancelling_from_the_list_frees_the_place_for_the_first_in_line(
    event_factory, admin_client, world
):
    event = event_factory(booths={"花艺馆": [(9, 10, 1)]})
    slot = slot_of(event, "花艺馆", 9)
    first, second = (make_member(world.grassroots, 500 + n) for n in range(2))
    held = services.registration_create(acting_user=None, event=event, slot=slot, member=first)
    waiting = services.registration_create(acting_user=None, event=event, slot=slot, member=second)
    listed = admin_client.get(page(event)).content.decode()
    assert f'data-registration="{held.registration.pk}" data-state="registered"' in listed
    assert f'data-registration="{waiting.registration.pk}" data-state="waiting"' in listed

    response = admin_client.post(
        page(event) + "?who=members",
        {"action": "cancel", "registration": held.registration.pk},
    )
    assert response.status_code == 302
    assert response["Location"] == page(event) + "?who=members"
    held.registration.refresh_from_db()
    waiting.registration.refresh_from_db()
    assert held.registration.state == Registration.State.CANCELLED
    assert waiting.registration.state == Registration.State.REGISTERED


def test_an_ended_event_keeps_its_registrations_and_shows_no_cancel_button(
    event_factory, admin_client, world, users
):
    event = event_factory(booths={"花艺馆": [(9, 10, 2)]})
    slot = slot_of(event, "花艺馆", 9)
    held = services.registration_create(
        acting_user=None, event=event, slot=slot, member=make_member(world.grassroots, 600)
    ).registration
    assert f'id="cancel-{held.pk}"' in admin_client.get(page(event)).content.decode()
    services.event_state_set(acting_user=users["federation_admin"], event=event, state="ended")
    listed = admin_client.get(page(event)).content.decode()
    assert f'data-registration="{held.pk}"' in listed
    assert f'id="cancel-{held.pk}"' not in listed
    admin_client.post(page(event), {"action": "cancel", "registration": held.pk})
    held.refresh_from_db()
    assert held.state == Registration.State.REGISTERED


def test_the_pages_queries_do_not_grow_with_the_registrations_listed(
    event_factory, admin_client, world, district_team, django_assert_max_num_queries
):
    event = event_factory(booths={"剪纸馆": [(9, 11, 40)], "花艺馆": [(9, 10, 2)]})

    def register(first: int, count: int) -> None:
        for n in range(first, first + count):
            services.registration_create(
                acting_user=None,
                event=event,
                slot=slot_of(event, "花艺馆", 9),  # two registered, the rest waiting
                member=make_member(world.grassroots, n),
            )

    register(700, 3)
    services.registration_create(
        acting_user=None, event=event, slot=slot_of(event, "剪纸馆", 9), team=district_team
    )
    query = {"who": "team", "team": district_team.pk}
    with CaptureQueriesContext(connection) as few:
        admin_client.get(page(event), query)
    register(710, 20)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = admin_client.get(page(event), query)
    assert response.content.decode().count("data-registration=") == 1 + 1 + 23  # team's twice
