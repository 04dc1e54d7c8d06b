"""People registering themselves — signed in, or verified without an account — and their
registrations: the outcome of each, cancelling (the next in line moves up and sees it), an
offered place taken, a retry answered once, refusals with their reasons, the rate limit per
person."""

import uuid
from datetime import timedelta
from urllib.parse import urlencode

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from laurel.accounts.keyed_hashes import identity_hash
from laurel.events import services
from laurel.events.models import Event, Registration
from laurel.events.views import member as member_views
from laurel.members.services import team_create
from laurel.verification.selectors import VERIFIED
from tests.conftest import english_client, make_member, valid_id_card
from tests.events.conftest import at, slot_of
from tests.notifications.capture import RecordingBackend
from tests.verification.conftest import last_code


def verified_client(member, client=None):
    """A client whose session has proved to be ``member``, as ``code_confirm`` leaves it."""
    client = client or english_client()
    session = client.session
    session[VERIFIED] = {
        "kind": "member",
        "member": member.pk,
        "mobile_hash": identity_hash("mobile", member.mobile),
        "until": (timezone.now() + timedelta(minutes=30)).isoformat(),
    }
    session.save()
    return client


def register(client, event, slot=None, key=None, **answers):
    data = {"idempotency_key": key or str(uuid.uuid4()), **answers}
    if slot is not None:
        data["slot"] = slot.pk
    return client.post(reverse("events:register", args=[event.slug]), data)


def registration_of(response) -> Registration:
    assert response.status_code == 303, response.status_code
    pk = int(response["Location"].rstrip("/").split("/")[-1])
    assert response["Location"] == reverse("events:registration", args=[pk])
    return Registration.objects.get(pk=pk)


def refusal_of(response) -> str:
    assert response.status_code == 409, response.status_code
    html = response.content.decode()
    start = html.index('data-refusal="') + len('data-refusal="')
    return html[start : html.index('"', start)]


def mine(client) -> str:
    response = client.get(reverse("events:mine"))
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def english_member(users, member_self):
    client = english_client()
    client.force_login(users["member"])
    return client


# --- who registers ------------------------------------------------------------------------


def test_a_visitor_neither_signed_in_nor_verified_is_sent_to_verify_and_back(event_factory):
    event = event_factory()
    slot = slot_of(event, "花艺馆", 9)
    url = f"{reverse('events:register', args=[event.slug])}?slot={slot.pk}"
    response = Client().get(url)
    assert response.status_code == 302
    back = urlencode({"next": f"/events/{event.slug}/register/?slot={slot.pk}"})
    assert response["Location"] == f"{reverse('verification:member')}?{back}"
    assert register(Client(), event, slot).status_code == 302
    assert not Registration.objects.exists()
    assert (
        Client().get(reverse("events:mine"))["Location"].startswith(reverse("verification:member"))
    )


def test_a_signed_in_member_registers_and_sees_the_outcome(event_factory, english_member):
    event = event_factory()
    slot = slot_of(event, "花艺馆", 9)
    page = english_member.get(reverse("events:register", args=[event.slug]), {"slot": slot.pk})
    html = page.content.decode()
    assert page.status_code == 200
    assert f'<input type="hidden" name="slot" value="{slot.pk}">' in html
    assert 'name="idempotency_key" value="' in html
    made = registration_of(register(english_member, event, slot))
    assert (made.state, made.slot, made.member.name) == ("registered", slot, "李明")
    assert made.registered_by.username.startswith("member")
    html = english_member.get(reverse("events:registration", args=[made.pk])).content.decode()
    assert "You are registered for 花艺馆" in html  # the outcome, said once
    assert 'data-state="registered"' in html
    assert "You are registered for" not in (
        english_member.get(reverse("events:registration", args=[made.pk])).content.decode()
    )


def test_the_chinese_pages_render(event_factory, users, member_self, client_as):
    event = event_factory()
    client = client_as("member")  # no language chosen: Chinese
    slot = slot_of(event, "花艺馆", 9)
    assert client.get(reverse("events:register", args=[event.slug])).status_code == 200
    made = registration_of(register(client, event, slot))
    for url in (reverse("events:mine"), reverse("events:registration", args=[made.pk])):
        response = client.get(url)
        assert response.status_code == 200
        assert 'lang="zh-hans"' in response.content.decode()


def test_choosing_the_slot_on_the_form(event_factory, english_member):
    event = event_factory()
    html = english_member.get(reverse("events:register", args=[event.slug])).content.decode()
    for booth, hour in (("花艺馆", 9), ("花艺馆", 10), ("剪纸馆", 9)):
        assert f'name="slot" value="{slot_of(event, booth, hour).pk}"' in html
    assert refusal_of(register(english_member, event)) == "slot"


def test_a_login_without_member_record_gets_a_clear_sentence(event_factory, users, client_as):
    event = event_factory()
    client = english_client()
    client.force_login(users["judge"])
    response = client.get(reverse("events:register", args=[event.slug]))
    html = response.content.decode()
    assert 'id="no-member-record"' in html
    assert "Your login is not linked to a member record" in html
    assert register(client, event, slot_of(event, "花艺馆", 9)).status_code == 200
    assert not Registration.objects.exists()


def test_a_person_verified_without_account_registers_through_the_verify_pages(
    event_factory, world, settings, django_capture_on_commit_callbacks
):
    settings.MESSAGE_BACKEND = "tests.notifications.capture.RecordingBackend"
    RecordingBackend.sent.clear()
    member = make_member(world.grassroots, 42, name="王芳", mobile="17812346889")
    event = event_factory()
    slot = slot_of(event, "剪纸馆", 9)
    client = english_client()
    response = client.get(reverse("events:register", args=[event.slug]), {"slot": slot.pk})
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(response["Location"], {"name": "王芳", "number": valid_id_card(42)})
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("verification:code"), {"code": last_code(RecordingBackend.sent)}
        )
    back = response["Location"]
    assert back == f"{reverse('events:register', args=[event.slug])}?slot={slot.pk}"
    assert f'value="{slot.pk}"' in client.get(back).content.decode()
    made = registration_of(register(client, event, slot))
    assert (made.member, made.state, made.registered_by) == (member, "registered", None)
    assert made.slot.booth.name in mine(client)


# --- refusals -----------------------------------------------------------------------------


def test_a_closed_window_is_refused(event_factory, english_member):
    event = event_factory(
        registration_opens_at=timezone.now() - timedelta(days=2),
        registration_closes_at=timezone.now() - timedelta(hours=1),
    )
    response = register(english_member, event, slot_of(event, "花艺馆", 9))
    assert refusal_of(response) == "window"
    assert "closed at" in response.content.decode()
    assert not Registration.objects.exists()


def test_a_full_slot_without_waiting_list_is_refused(event_factory, world, english_member):
    event = event_factory(waiting_list=False)
    slot = slot_of(event, "花艺馆", 9)
    for n in range(2):
        verified = verified_client(make_member(world.grassroots, 50 + n))
        registration_of(register(verified, event, slot))
    response = register(english_member, event, slot)
    assert refusal_of(response) == "full"
    assert "is full and keeps no waiting list" in response.content.decode()
    assert Registration.objects.count() == 2


def test_an_overlapping_slot_is_refused(event_factory, english_member):
    event = event_factory()
    registration_of(register(english_member, event, slot_of(event, "花艺馆", 9)))
    response = register(english_member, event, slot_of(event, "剪纸馆", 9))
    assert refusal_of(response) == "overlap"
    assert "overlaps 花艺馆" in response.content.decode()
    registration_of(register(english_member, event, slot_of(event, "花艺馆", 10)))


def test_a_person_outside_the_audience_is_refused(event_factory, world, english_member):
    event = event_factory(audience=Event.Audience.UNITS)
    event.audience_units.set([world.other_district])
    response = register(english_member, event, slot_of(event, "花艺馆", 9))
    assert refusal_of(response) == "audience"
    assert "you are not among them" in response.content.decode()


def test_a_used_up_quota_is_refused(event_factory, world, english_member):
    event = event_factory(quotas=[(world.district, 1)])
    other = verified_client(make_member(world.grassroots, 60))
    registration_of(register(other, event, slot_of(event, "剪纸馆", 9)))
    response = register(english_member, event, slot_of(event, "花艺馆", 9))
    assert refusal_of(response) == "quota"
    assert "永川区总工会 may send at most 1 people" in response.content.decode()


def test_a_required_question_is_asked_and_the_answers_kept(event_factory, english_member):
    event = event_factory(
        booths={},
        questions=[
            ("T恤尺码", "choice", "S\nM\nL", True),
            ("需要午餐吗", "yes_no", "", False),
        ],
    )
    size, lunch = event.questions.order_by("order")
    html = english_member.get(reverse("events:register", args=[event.slug])).content.decode()
    assert f'name="question_{size.pk}"' in html
    assert register(english_member, event).status_code == 400
    assert not Registration.objects.exists()
    made = registration_of(
        register(
            english_member, event, **{f"question_{size.pk}": "M", f"question_{lunch.pk}": "yes"}
        )
    )
    assert made.answers == {str(size.pk): "M", str(lunch.pk): True}


# --- the waiting list ---------------------------------------------------------------------


def test_the_waiting_place_is_shown(event_factory, world, english_member):
    event = event_factory()
    slot = slot_of(event, "花艺馆", 9)
    for n in range(3):
        registration_of(
            register(verified_client(make_member(world.grassroots, 70 + n)), event, slot)
        )
    made = registration_of(register(english_member, event, slot))
    assert made.state == Registration.State.WAITING
    html = english_member.get(reverse("events:registration", args=[made.pk])).content.decode()
    assert "you are on the waiting list, at place 2" in html
    assert 'data-place="2"' in html
    assert 'data-place="2"' in mine(english_member)


def test_a_cancellation_promotes_the_next_who_sees_it(event_factory, world, english_member):
    event = event_factory()
    slot = slot_of(event, "花艺馆", 9)
    first = registration_of(register(english_member, event, slot))
    registration_of(register(verified_client(make_member(world.grassroots, 80)), event, slot))
    waiting_person = verified_client(make_member(world.grassroots, 81))
    waiting = registration_of(register(waiting_person, event, slot))
    assert 'data-state="waiting"' in mine(waiting_person)
    response = english_member.post(reverse("events:cancel", args=[first.pk]))
    assert response["Location"] == reverse("events:mine")
    first.refresh_from_db()
    waiting.refresh_from_db()
    assert (first.state, waiting.state) == ("cancelled", "registered")
    html = mine(waiting_person)
    assert f'data-registration="{waiting.pk}" data-state="registered"' in html
    assert "Your registration for 花艺馆" in mine(english_member)
    assert 'data-state="cancelled"' in mine(english_member)


def test_an_offered_place_is_taken(event_factory, world, english_member):
    event = event_factory(offer_hours=2)
    slot = slot_of(event, "花艺馆", 9)
    holders = [verified_client(make_member(world.grassroots, 90 + n)) for n in range(2)]
    first = registration_of(register(holders[0], event, slot))
    registration_of(register(holders[1], event, slot))
    waiting = registration_of(register(english_member, event, slot))
    holders[0].post(reverse("events:cancel", args=[first.pk]))
    waiting.refresh_from_db()
    assert waiting.state == Registration.State.OFFERED
    html = mine(english_member)
    assert "a place is yours if you take it by" in html
    assert reverse("events:offer_accept", args=[waiting.pk]) in html
    response = english_member.post(reverse("events:offer_accept", args=[waiting.pk]))
    assert response["Location"] == reverse("events:registration", args=[waiting.pk])
    waiting.refresh_from_db()
    assert waiting.state == Registration.State.REGISTERED
    assert "The place is yours" in english_member.get(response["Location"]).content.decode()


# --- owners only --------------------------------------------------------------------------


def test_another_persons_registration_is_not_found(event_factory, world, english_member):
    event = event_factory()
    other = verified_client(make_member(world.grassroots, 95))
    theirs = registration_of(register(other, event, slot_of(event, "花艺馆", 9)))
    for name in ("events:cancel", "events:offer_accept"):
        assert english_member.post(reverse(name, args=[theirs.pk])).status_code == 404
    assert english_member.get(reverse("events:registration", args=[theirs.pk])).status_code == 404
    assert Client().post(reverse("events:cancel", args=[theirs.pk])).status_code == 404
    theirs.refresh_from_db()
    assert theirs.state == Registration.State.REGISTERED
    assert f'data-registration="{theirs.pk}"' not in mine(english_member)


def test_a_teams_registration_is_seen_by_its_members_and_cancelled_by_its_leader(
    event_factory, world, users, member_self
):
    leader = make_member(world.grassroots, 120, name="队长")
    team = team_create(
        acting_user=users["unit_admin"],
        unit=world.district,
        name="永川区代表队",
        leader=leader,
        members=[leader, member_self],
    )
    event = event_factory()
    made = services.registration_create(
        acting_user=users["unit_admin"], event=event, slot=slot_of(event, "剪纸馆", 9), team=team
    ).registration
    client = english_client()
    client.force_login(users["member"])
    html = mine(client)
    assert f'data-registration="{made.pk}"' in html
    assert "leader or your union cancels the team" in html
    assert client.post(reverse("events:cancel", args=[made.pk])).status_code == 404
    leader_client = verified_client(leader)
    assert reverse("events:cancel", args=[made.pk]) in mine(leader_client)
    leader_client.post(reverse("events:cancel", args=[made.pk]))
    made.refresh_from_db()
    assert made.state == Registration.State.CANCELLED


# --- a retry, and the rate limit ----------------------------------------------------------


def test_a_retry_with_the_same_key_answers_the_same_registration_once(
    event_factory, english_member
):
    event = event_factory()
    slot = slot_of(event, "花艺馆", 9)
    key = str(uuid.uuid4())
    first = register(english_member, event, slot, key=key)
    again = register(english_member, event, slot, key=key)
    assert registration_of(again) == registration_of(first)
    assert Registration.objects.count() == 1
    # a new key is a new request: already registered
    assert refusal_of(register(english_member, event, slot)) == "already"


def test_a_refused_key_may_be_sent_again_once_put_right(event_factory, english_member):
    event = event_factory()
    key = str(uuid.uuid4())
    assert refusal_of(register(english_member, event, key=key)) == "slot"
    registration_of(register(english_member, event, slot_of(event, "花艺馆", 9), key=key))


def test_the_rate_limit_is_per_person_not_per_address(
    event_factory, world, english_member, monkeypatch
):
    """Every client here comes from one address (127.0.0.1): one person reaching the limit
    holds back nobody else behind it."""
    monkeypatch.setattr(member_views, "REGISTER_RATE", "2/m")
    event = event_factory(booths={"花艺馆": [(9, 10, 50)]})
    slot = slot_of(event, "花艺馆", 9)
    with time_machine.travel(timezone.now(), tick=False):
        assert register(english_member, event, slot).status_code == 303
        assert register(english_member, event, slot).status_code == 409  # already
        assert register(english_member, event, slot).status_code == 429
        for n in range(3):
            person = verified_client(make_member(world.grassroots, 130 + n))
            assert register(person, event, slot).status_code == 303
    assert Registration.objects.count() == 4


# --- the top bar and the home page --------------------------------------------------------


def test_my_events_is_in_the_top_bar_of_a_signed_in_person(english_member, client):
    html = english_member.get(reverse("web:home")).content.decode()
    assert f'href="{reverse("events:mine")}" id="nav-my-events"' in html
    assert 'id="nav-my-events"' not in client.get(reverse("web:home")).content.decode()


def test_the_home_panel_lists_open_events_the_member_may_register_for(
    event_factory, world, english_member
):
    theirs = event_factory(title="永川区嘉年华", audience=Event.Audience.UNITS)
    theirs.audience_units.set([world.district])
    elsewhere = event_factory(title="奉节县嘉年华", audience=Event.Audience.UNITS)
    elsewhere.audience_units.set([world.other_district])
    closed = event_factory(title="已截止", state=Event.State.CLOSED)
    html = english_member.get(reverse("web:home")).content.decode()
    assert 'id="panel-open_events"' in html
    assert f'data-event="{theirs.slug}"' in html
    assert f'data-event="{elsewhere.slug}"' not in html
    assert f'data-event="{closed.slug}"' not in html
    assert 'id="panel-open_events"' not in Client().get(reverse("web:home")).content.decode()


def test_slots_at_the_same_time_in_two_events_do_not_clash(event_factory, english_member):
    first, second = event_factory(), event_factory()
    registration_of(register(english_member, first, slot_of(first, "花艺馆", 9)))
    registration_of(register(english_member, second, slot_of(second, "剪纸馆", 9)))
    assert at(9) == slot_of(second, "剪纸馆", 9).starts_at


def test_a_verified_persons_own_pages_are_not_stored(event_factory, world):
    event = event_factory()
    slot = slot_of(event, "花艺馆", 9)
    client = verified_client(make_member(world.grassroots, 140))
    registration_of(register(client, event, slot))
    detail = reverse("events:detail", args=[event.slug])
    response = client.get(detail)
    assert 'data-own="registered"' in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    calendar = client.get(reverse("events:calendar", args=[event.slug]))
    assert calendar.content.count(b"BEGIN:VEVENT") == 2
    assert "no-store" in calendar["Cache-Control"]
    assert "no-store" not in Client().get(detail).get("Cache-Control", "")


def test_a_checkin_login_has_no_registrations_page_but_sees_the_public_ones(
    event_factory, make_user
):
    event = event_factory()
    client = Client()
    client.force_login(make_user("checkin_staff"))
    assert client.get(reverse("events:mine")).status_code == 403
    assert client.get(reverse("events:register", args=[event.slug])).status_code == 403
    assert client.get(reverse("events:detail", args=[event.slug])).status_code == 200
    assert client.get(reverse("events:calendar", args=[event.slug])).status_code == 200


def test_my_events_take_the_same_queries_however_many_registrations(
    event_factory, world, english_member
):
    first, second = event_factory(), event_factory()
    full = slot_of(second, "花艺馆", 9)
    for n in range(2):
        others = verified_client(make_member(world.grassroots, 150 + n))
        registration_of(register(others, second, full))
    registration_of(register(english_member, second, full))  # waiting
    mine(english_member)  # the session's first read done
    with CaptureQueriesContext(connection) as one:
        mine(english_member)
    registration_of(register(english_member, first, slot_of(first, "花艺馆", 9)))
    registration_of(register(english_member, first, slot_of(first, "花艺馆", 10)))
    registration_of(register(english_member, second, slot_of(second, "花艺馆", 10)))
    with CaptureQueriesContext(connection) as many:
        html = mine(english_member)
    assert html.count('class="card registration"') == 4
    assert 'data-place="1"' in html
    assert len(many.captured_queries) == len(one.captured_queries)
