"""The public event pages: the list (upcoming first, searchable), one event's facts with its
booths, slots and places left, and its .ics file."""

from datetime import UTC, timedelta

import icalendar
import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from laurel.events import services
from laurel.events.models import Event
from tests.conftest import english_client, make_member
from tests.events.conftest import at, slot_of


def page(client, name, *args, **params):
    response = client.get(reverse(name, args=args), params)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def fill(event, slot, world, count, first=500):
    """``count`` other members registered for ``slot``."""
    for n in range(count):
        services.registration_create(
            acting_user=None,
            event=event,
            slot=slot,
            member=make_member(world.grassroots, first + n),
        )


# --- the list -----------------------------------------------------------------------------


def test_the_list_shows_events_but_drafts_upcoming_first(event_factory):
    past = event_factory(
        booths={},
        title="去年的嘉年华",
        starts_at=timezone.now() - timedelta(days=30),
        ends_at=timezone.now() - timedelta(days=29),
        registration_opens_at=timezone.now() - timedelta(days=40),
        registration_closes_at=timezone.now() - timedelta(days=31),
        state=Event.State.ENDED,
    )
    later = event_factory(
        booths={},
        title="秋季音乐会",
        kind=Event.Kind.PERFORMANCE,
        starts_at=at(9) + timedelta(days=5),
        ends_at=at(12) + timedelta(days=5),
    )
    soon = event_factory(title="春季嘉年华")
    draft = event_factory(title="还在筹备", state=Event.State.DRAFT)
    html = page(Client(), "events:list")  # Chinese by default
    assert draft.slug not in html
    order = [html.index(f'data-event="{e.slug}"') for e in (soon, later, past)]
    assert order == sorted(order)
    english = page(english_client(), "events:list")
    assert "Performance" in english
    assert "Registration open" in english
    assert "Ended" in english


def test_the_list_is_searched_by_title_and_venue(event_factory):
    flowers = event_factory(title="花艺嘉年华", venue="云阳县体育场")
    music = event_factory(title="音乐会", venue="永川区文化馆")
    by_title = page(Client(), "events:list", q="花艺")
    assert flowers.slug in by_title
    assert music.slug not in by_title
    by_venue = page(Client(), "events:list", q="文化馆")
    assert music.slug in by_venue
    assert flowers.slug not in by_venue
    assert "No event matches" in page(english_client(), "events:list", q="没有这个")


def test_the_list_takes_a_few_queries_however_many_events(
    event_factory, django_assert_max_num_queries
):
    for _n in range(12):
        event_factory(booths={})
    with django_assert_max_num_queries(6):
        page(Client(), "events:list")


# --- one event ----------------------------------------------------------------------------


def test_a_draft_is_not_found_publicly(event_factory):
    draft = event_factory(state=Event.State.DRAFT)
    for name in ("events:detail", "events:calendar", "events:register"):
        assert Client().get(reverse(name, args=[draft.slug])).status_code == 404


def test_the_event_page_shows_its_facts_slots_and_places(event_factory, world):
    event = event_factory(description="十八个体验馆", audience=Event.Audience.UNITS)
    event.audience_units.set([world.district])
    fill(event, slot_of(event, "花艺馆", 9), world, 2)
    fill(event, slot_of(event, "剪纸馆", 9), world, 1, first=600)
    assert page(Client(), "events:detail", event.slug)  # Chinese by default
    html = page(english_client(), "events:detail", event.slug)
    start = timezone.localtime(event.starts_at)
    assert f"{start:%Y-%m-%d %H:%M}" in html
    assert "(Beijing time)" in html
    assert "云阳县体育场" in html
    assert "重庆市总工会" in html  # the organiser
    assert "十八个体验馆" in html
    assert "Members of 永川区总工会 and of the units below them" in html
    assert 'data-window="open"' in html
    full, free = slot_of(event, "花艺馆", 9), slot_of(event, "花艺馆", 10)
    assert f'<tr data-slot="{full.pk}" data-full="1">' in html
    assert "Full — waiting list" in html
    assert "2 places left" in html
    assert html.count('data-left="2"') == 2  # 花艺馆 10:00, and 剪纸馆: 3 − 1
    register = reverse("events:register", args=[event.slug])
    assert f'href="{register}?slot={free.pk}"' in html
    assert f'href="{register}?slot={full.pk}"' in html  # the waiting list
    assert "Join the waiting list" in html
    assert reverse("events:calendar", args=[event.slug]) in html


def test_a_full_slot_without_waiting_list_offers_no_button(event_factory, world):
    event = event_factory(waiting_list=False)
    full = slot_of(event, "花艺馆", 9)
    fill(event, full, world, 2)
    html = page(english_client(), "events:detail", event.slug)
    assert f"?slot={full.pk}" not in html
    assert ">Full<" in html


def test_an_event_without_booths_has_one_button(event_factory):
    event = event_factory(booths={}, capacity=40)
    html = page(english_client(), "events:detail", event.slug)
    assert "40 places left" in html
    assert f'href="{reverse("events:register", args=[event.slug])}"' in html
    assert 'data-register="event"' in html


def test_a_closed_window_shows_no_buttons(event_factory):
    event = event_factory(
        registration_opens_at=timezone.now() + timedelta(days=1),
        registration_closes_at=at(8),
    )
    html = page(english_client(), "events:detail", event.slug)
    assert 'data-window="not_yet"' in html
    assert "data-register=" not in html


def test_the_page_shows_the_persons_own_registration(event_factory, users, member_self, client_as):
    event = event_factory()
    slot = slot_of(event, "花艺馆", 9)
    made = services.registration_create(
        acting_user=users["member"], event=event, slot=slot, member=member_self
    )
    response = client_as("member").get(reverse("events:detail", args=[event.slug]))
    html = response.content.decode()
    assert f'href="{reverse("events:registration", args=[made.registration.pk])}"' in html
    assert 'data-own="registered"' in html
    assert f"?slot={slot.pk}" not in html
    assert f"?slot={slot_of(event, '花艺馆', 10).pk}" in html


# --- the calendar -------------------------------------------------------------------------


def calendar_of(response) -> icalendar.Calendar:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return icalendar.Calendar.from_ical(response.content)


def test_the_calendar_file_reads_back(event_factory):
    event = event_factory(description="十八个体验馆，人人可玩")
    calendar = calendar_of(Client().get(reverse("events:calendar", args=[event.slug])))
    [entry] = calendar.walk("VEVENT")
    assert str(entry["uid"]) == f"event-{event.pk}@testserver"
    assert entry.decoded("dtstart") == event.starts_at
    assert entry.decoded("dtstart").utcoffset() == timedelta(0)
    assert entry.decoded("dtend") == event.ends_at
    assert str(entry["summary"]) == event.title
    assert str(entry["location"]) == "云阳县体育场"
    assert str(entry["description"]) == "十八个体验馆，人人可玩"
    assert str(entry["url"]) == f"http://testserver/events/{event.slug}/"
    assert b"DTSTART:" in Client().get(reverse("events:calendar", args=[event.slug])).content
    assert f"DTSTART:{event.starts_at.astimezone(UTC):%Y%m%dT%H%M%S}Z".encode() in (
        Client().get(reverse("events:calendar", args=[event.slug])).content
    )


def test_the_calendar_holds_a_registered_persons_own_slots(
    event_factory, users, member_self, client_as
):
    event = event_factory()
    slot = slot_of(event, "剪纸馆", 9)
    services.registration_create(
        acting_user=users["member"], event=event, slot=slot, member=member_self
    )
    calendar = calendar_of(client_as("member").get(reverse("events:calendar", args=[event.slug])))
    entries = {str(entry["summary"]): entry for entry in calendar.walk("VEVENT")}
    own = entries[f"{event.title} · 剪纸馆"]
    assert own.decoded("dtstart") == slot.starts_at
    assert own.decoded("dtend") == slot.ends_at
    assert len(entries) == 2
    # anyone else: the event alone
    anyones = calendar_of(Client().get(reverse("events:calendar", args=[event.slug])))
    assert len(anyones.walk("VEVENT")) == 1


@pytest.mark.parametrize("state", [Event.State.CANCELLED])
def test_a_cancelled_event_says_so_in_the_calendar(event_factory, state):
    event = event_factory(state=state)
    calendar = calendar_of(Client().get(reverse("events:calendar", args=[event.slug])))
    [entry] = calendar.walk("VEVENT")
    assert str(entry["status"]) == "CANCELLED"
