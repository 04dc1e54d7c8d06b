"""The organisers' event pages: setting an event up (its settings, parts, cover, booths and
slots), moving it through its states, the occupancy chart, and the registrations — listed,
searched, filtered, exported and cancelled. Unit admins organise their subtree's events; another
subtree's event is not found."""

import re
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from laurel.audit.models import LogEntry
from laurel.events import services
from laurel.events.models import Event, Registration
from laurel.media.models import MediaAsset
from laurel.members.services import team_create
from laurel.notifications.models import Notification, OutgoingMessage
from tests.conftest import english_client, make_member
from tests.events.conftest import DAY, at, slot_of
from tests.helpers import exported, jpeg, photo, response_body, rows_data

SHANGHAI = ZoneInfo("Asia/Shanghai")


def local(moment) -> str:
    """A moment as the browser's date-and-time input sends it."""
    return moment.astimezone(SHANGHAI).strftime("%Y-%m-%dT%H:%M")


def signed_in(user):
    client = english_client()
    client.force_login(user)
    return client


def page(response) -> str:
    return response_body(response).decode()


def event_form_data(world, **overrides) -> dict:
    data = {
        "slug": "carnival-2026",
        "kind": "carnival",
        "title": "云阳县文体艺嘉年华",
        "description": "十八个体验馆，人人可试。",
        "venue": "云阳县体育场",
        "starts_at": local(at(9)),
        "ends_at": local(at(17)),
        "unit": str(world.district.pk),
        "audience": "all",
        "registration_opens_at": local(timezone.now() - timedelta(days=1)),
        "registration_closes_at": local(at(8)),
        "capacity": "",
        "members_register": "on",
        "teams_register": "on",
        "waiting_list": "on",
        "offer_hours": "",
        **rows_data("audience_units", []),
        **rows_data("quotas", []),
        **rows_data("questions", []),
        "invitees": "",
    }
    data.update(overrides)
    return data


def registration_ids(response) -> list[int]:
    return [int(pk) for pk in re.findall(r'<tr id="registration-(\d+)"', page(response))]


# --- who sees what ------------------------------------------------------------------------


CONSOLE_PAGES = (
    "events:console_detail",
    "events:console_edit",
    "events:console_booths",
    "events:console_occupancy",
    "events:console_registrations",
)


@pytest.mark.parametrize("name", CONSOLE_PAGES)
def test_a_unit_admin_organises_their_districts_event_and_finds_no_other(
    name, event_factory, world, users
):
    own = event_factory(unit=world.district, title="永川区嘉年华")
    other = event_factory(unit=world.other_district, title="奉节县嘉年华")
    admin = signed_in(users["unit_admin"])

    response = admin.get(reverse(name, args=[own.slug]))
    assert response.status_code == 200
    assert "永川区嘉年华" in page(response)
    assert admin.get(reverse(name, args=[other.slug])).status_code == 404
    booth = other.booths.first()
    booth_url = reverse("events:console_booth", args=[other.slug, booth.pk])
    assert admin.get(booth_url).status_code == 404
    # the same booth under the admin's own event's address is not found either
    assert admin.get(reverse("events:console_booth", args=[own.slug, booth.pk])).status_code == 404
    assert signed_in(users["federation_admin"]).get(booth_url).status_code == 200


def test_the_list_shows_events_organised_and_others_open_for_registering(
    event_factory, world, users
):
    own = event_factory(unit=world.district, title="永川区嘉年华")
    open_elsewhere = event_factory(unit=world.other_district, title="奉节县嘉年华")
    draft_elsewhere = event_factory(unit=world.other_district, title="奉节县草稿", state="draft")

    body = page(signed_in(users["unit_admin"]).get(reverse("events:console_list")))

    listed = re.findall(r'<tr id="event-([^"]+)"', body)
    assert sorted(listed) == sorted([own.slug, open_elsewhere.slug])
    assert f'id="event-{draft_elsewhere.slug}"' not in body
    assert f'href="{reverse("events:console_detail", args=[own.slug])}"' in body
    assert f'href="{reverse("events:console_detail", args=[open_elsewhere.slug])}"' not in body
    assert reverse("events:console_register", args=[open_elsewhere.slug]) in body


def test_the_list_counts_places_taken_and_waiting_of_events_organised(
    event_factory, world, users, district_team
):
    event = event_factory(unit=world.district, booths={"花艺馆": [(9, 10, 1)]})
    slot = slot_of(event, "花艺馆", 9)
    for n in range(3):  # one place: one registered, two waiting
        services.registration_create(
            acting_user=None, event=event, slot=slot, member=make_member(world.grassroots, 50 + n)
        )
    client = signed_in(users["unit_admin"])

    rows = exported(client.get(reverse("events:console_list"), {"export": "xlsx"}))

    header, row = rows[0], rows[1]
    assert row[header.index("Taken")] == 1
    assert row[header.index("Waiting")] == 2


# --- setting an event up ---------------------------------------------------------------------


def test_an_organiser_creates_an_event_with_quotas_questions_and_units(world, users):
    data = event_form_data(
        world,
        audience="units",
        capacity="1300",
        offer_hours="24",
        **rows_data("audience_units", [{"unit": world.grassroots.pk}]),
        **rows_data("quotas", [{"unit": world.grassroots.pk, "places": "40"}]),
        **rows_data(
            "questions",
            [
                {"text": "T恤尺码", "kind": "choice", "choices": "S\nM\nL", "required": "on"},
                {"text": "饮食禁忌", "kind": "text", "choices": "ignored"},
            ],
        ),
    )

    response = signed_in(users["unit_admin"]).post(reverse("events:console_create"), data)

    assert response.status_code == 302
    event = Event.objects.get(slug="carnival-2026")
    assert response["Location"] == reverse("events:console_detail", args=[event.slug])
    assert event.state == Event.State.DRAFT
    assert event.unit == world.district
    assert event.starts_at == at(9)
    assert event.capacity == 1300
    assert event.offer_hours == 24
    assert list(event.audience_units.all()) == [world.grassroots]
    assert [(q.unit, q.places) for q in event.quotas.all()] == [(world.grassroots, 40)]
    assert [(q.text, q.kind, q.choices, q.required) for q in event.questions.all()] == [
        ("T恤尺码", "choice", "S\nM\nL", True),
        ("饮食禁忌", "text", "", False),
    ]
    assert LogEntry.objects.filter(action="events.event.created").count() == 1


def test_the_organiser_unit_is_one_of_the_admins_subtree(world, users):
    data = event_form_data(world, unit=str(world.other_district.pk))

    response = signed_in(users["unit_admin"]).post(reverse("events:console_create"), data)

    assert response.status_code == 200
    assert "unit" in response.context["form"].errors
    assert not Event.objects.exists()


def test_bad_rows_and_a_missing_audience_are_refused_by_name(world, users):
    data = event_form_data(
        world,
        audience="units",
        ends_at=local(at(8)),
        **rows_data("questions", [{"text": "尺码", "kind": "choice", "choices": ""}]),
    )

    response = signed_in(users["federation_admin"]).post(reverse("events:console_create"), data)

    errors = response.context["form"].errors
    assert response.status_code == 200
    assert errors["ends_at"] == ["The event must end after it starts."]
    assert errors["audience_units"] == ["Choose the units whose members may come."]
    assert errors["questions"] == [
        "Row 1, “Choices (one per line)”: give the choices, one per line"
    ]
    assert not Event.objects.exists()


def test_the_invitation_list_takes_id_numbers_and_names_and_names_the_lines_it_cannot_place(
    world, users
):
    by_number = make_member(world.grassroots, 11, name="王芳")
    by_name = make_member(world.grassroots, 12, name="赵强")
    twin_a = make_member(world.grassroots, 13, name="刘洋")
    twin_b = make_member(world.grassroots, 14, name="刘洋")
    outside = make_member(world.other_grassroots, 15, name="陈静")
    client = signed_in(users["unit_admin"])
    bad = event_form_data(
        world,
        audience="invited",
        invitees=f"{by_number.id_card}\n赵强\n刘洋\n{outside.id_card}\n陈静",
    )

    response = client.post(reverse("events:console_create"), bad)

    assert response.context["form"].errors["invitees"] == [
        "Line 3: several members are called 刘洋: give the ID number",
        f"Line 4: no member you may see has the ID number {outside.id_card_masked}",
        "Line 5: no member you may see is called 陈静",
    ]
    good = bad | {
        "invitees": f"{by_number.id_card}\n赵强\n刘洋 {twin_b.id_card_masked}\n\n赵强",
    }
    assert client.post(reverse("events:console_create"), good).status_code == 302
    event = Event.objects.get()
    invited = set(event.invitees.values_list("member_id", flat=True))
    assert invited == {by_number.pk, by_name.pk, twin_b.pk}
    assert twin_a.pk not in invited
    # the settings page lists them as names and masked numbers, which post back as they are
    form = client.get(reverse("events:console_edit", args=[event.slug])).context["form"]
    assert form["invitees"].value() == (
        f"{twin_b.name} {twin_b.id_card_masked}\n{by_number.name} {by_number.id_card_masked}\n"
        f"{by_name.name} {by_name.id_card_masked}"
    )


def test_editing_an_event_keeps_its_questions_and_tells_registrants_of_a_new_venue(
    event_factory, world, users, member_self
):
    event = event_factory(
        unit=world.district, questions=[("T恤尺码", "choice", "S\nM", True)], booths={}
    )
    question = event.questions.get()
    services.registration_create(
        acting_user=users["member"],
        event=event,
        member=member_self,
        answers={str(question.pk): "M"},
    )
    client = signed_in(users["unit_admin"])
    form = client.get(reverse("events:console_edit", args=[event.slug])).context["form"]
    assert form["questions"].value() == [("T恤尺码", "choice", "S\nM", True)]
    data = event_form_data(
        world,
        title=event.title,
        venue="云阳县文化广场",
        starts_at=local(event.starts_at),
        ends_at=local(event.ends_at),
        registration_opens_at=local(event.registration_opens_at),
        registration_closes_at=local(event.registration_closes_at),
        **rows_data(
            "questions",
            [{"text": "T恤尺码", "kind": "choice", "choices": "S\nM", "required": "on"}],
        ),
    )
    del data["slug"]

    response = client.post(reverse("events:console_edit", args=[event.slug]), data)

    assert response.status_code == 302
    event.refresh_from_db()
    assert event.venue == "云阳县文化广场"
    assert event.questions.get().pk == question.pk  # unchanged: not rewritten
    told = Notification.objects.get(recipient=users["member"])
    assert "云阳县文化广场" in told.body
    assert OutgoingMessage.objects.filter(to=member_self.mobile).count() == 1


def test_the_cover_image_goes_through_the_media_pipeline(
    world, users, django_capture_on_commit_callbacks
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = signed_in(users["federation_admin"])
    cover = SimpleUploadedFile("cover.jpg", jpeg(photo(7)), content_type="image/jpeg")

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("events:console_create"), event_form_data(world, cover_upload=cover)
        )

    assert response.status_code == 302
    event = Event.objects.get()
    assert event.cover.original_name == "cover.jpg"
    assert event.cover.status == MediaAsset.Status.READY  # checked and resized after commit
    detail = page(client.get(reverse("events:console_detail", args=[event.slug])))
    assert 'id="event-cover" data-status="ready"' in detail
    assert '<img class="thumb" src="/media/' in detail
    data = event_form_data(world, cover_remove="on")
    del data["slug"]
    client.post(reverse("events:console_edit", args=[event.slug]), data)
    event.refresh_from_db()
    assert event.cover is None


# --- booths and slots ------------------------------------------------------------------------


def test_an_organiser_adds_a_booth_and_its_slots_then_changes_and_removes_them(
    event_factory, world, users
):
    event = event_factory(unit=world.district, booths={}, state="draft")
    client = signed_in(users["unit_admin"])

    response = client.post(reverse("events:console_booths", args=[event.slug]), {"name": "剪纸馆"})
    booth = event.booths.get()
    here = reverse("events:console_booth", args=[event.slug, booth.pk])
    assert response["Location"] == here
    new_slot = {"action": "slot_add", "new-starts_at": local(at(9)), "new-ends_at": local(at(10))}
    assert client.post(here, new_slot | {"new-capacity": "12"}).status_code == 302
    slot = booth.slots.get()
    assert (slot.starts_at, slot.ends_at, slot.capacity) == (at(9), at(10), 12)
    # the next slot's form starts where the last one ended, as long and as large
    initial = client.get(here).context["new_slot_form"].initial
    assert (initial["starts_at"], initial["ends_at"], initial["capacity"]) == (at(10), at(11), 12)

    edit = {
        "action": "slot_save",
        "slot": str(slot.pk),
        f"slot-{slot.pk}-starts_at": local(at(9)),
        f"slot-{slot.pk}-ends_at": local(at(11)),
        f"slot-{slot.pk}-capacity": "15",
    }
    assert client.post(here, edit).status_code == 302
    slot.refresh_from_db()
    assert (slot.ends_at, slot.capacity) == (at(11), 15)
    client.post(here, {"action": "rename", "name": "剪纸体验馆", "description": "红色剪纸"})
    booth.refresh_from_db()
    assert (booth.name, booth.description) == ("剪纸体验馆", "红色剪纸")
    client.post(here, {"action": "slot_delete", "slot": str(slot.pk)})
    assert not booth.slots.exists()
    response = client.post(here, {"action": "delete"})
    assert response["Location"] == reverse("events:console_booths", args=[event.slug])
    assert not event.booths.exists()


def test_a_slot_cannot_have_fewer_places_than_are_taken_and_the_form_says_so(
    event_factory, world, users
):
    event = event_factory(unit=world.district, booths={"花艺馆": [(9, 10, 3)]})
    slot = slot_of(event, "花艺馆", 9)
    for n in range(2):
        services.registration_create(
            acting_user=None, event=event, slot=slot, member=make_member(world.grassroots, 30 + n)
        )
    here = reverse("events:console_booth", args=[event.slug, slot.booth.pk])
    edit = {
        "action": "slot_save",
        "slot": str(slot.pk),
        f"slot-{slot.pk}-starts_at": local(at(9)),
        f"slot-{slot.pk}-ends_at": local(at(10)),
        f"slot-{slot.pk}-capacity": "1",
    }

    response = signed_in(users["unit_admin"]).post(here, edit)

    assert response.status_code == 200
    form = next(row["form"] for row in response.context["slot_rows"] if row["slot"] == slot)
    assert form.errors["capacity"] == ["2 places are taken in this slot: it cannot have fewer."]
    assert "2 places are taken in this slot" in page(response)
    slot.refresh_from_db()
    assert slot.capacity == 3


def test_a_booth_people_registered_for_stays_and_the_page_says_why(
    event_factory, world, users, member_self
):
    event = event_factory(unit=world.district)
    slot = slot_of(event, "花艺馆", 9)
    services.registration_create(acting_user=None, event=event, slot=slot, member=member_self)
    client = signed_in(users["unit_admin"])
    here = reverse("events:console_booth", args=[event.slug, slot.booth.pk])

    response = client.post(here, {"action": "delete"}, follow=True)

    assert "花艺馆 has registrations; cancel them first, or keep the booth." in page(response)
    assert event.booths.filter(pk=slot.booth.pk).exists()
    response = client.post(here, {"action": "slot_delete", "slot": str(slot.pk)}, follow=True)
    assert "People have registered for this slot; it stays." in page(response)


# --- states --------------------------------------------------------------------------------


def test_registration_opens_and_closes_from_the_overview(event_factory, world, users):
    event = event_factory(unit=world.district, state="draft")
    client = signed_in(users["unit_admin"])
    state_url = reverse("events:console_state", args=[event.slug])

    assert 'id="state-open"' in page(
        client.get(reverse("events:console_detail", args=[event.slug]))
    )
    client.post(state_url, {"state": "open"})
    event.refresh_from_db()
    assert event.state == Event.State.OPEN
    client.post(state_url, {"state": "closed"})
    event.refresh_from_db()
    assert event.state == Event.State.CLOSED
    response = client.post(state_url, {"state": "draft"}, follow=True)
    assert "An event that is registration closed cannot become draft." in page(response)


def test_cancelling_asks_first_with_the_people_told_then_tells_them(
    event_factory, world, users, member_self, district_team
):
    event = event_factory(
        unit=world.district, booths={"花艺馆": [(9, 10, 1)], "剪纸馆": [(9, 10, 3)]}
    )
    services.registration_create(
        acting_user=users["member"],
        event=event,
        slot=slot_of(event, "花艺馆", 9),
        member=member_self,
    )
    waiting = make_member(world.grassroots, 40, name="候补甲")
    services.registration_create(
        acting_user=None, event=event, slot=slot_of(event, "花艺馆", 9), member=waiting
    )
    services.registration_create(
        acting_user=users["unit_admin"],
        event=event,
        slot=slot_of(event, "剪纸馆", 9),
        team=district_team,
    )
    client = signed_in(users["unit_admin"])
    state_url = reverse("events:console_state", args=[event.slug])

    asked = client.post(state_url, {"state": "cancelled"})

    assert asked.status_code == 200
    assert 'data-consequence="registrations" data-count="3"' in page(asked)
    assert "3 registrations (5 people, registered or waiting) are told" in page(asked)
    event.refresh_from_db()
    assert event.state == Event.State.OPEN
    assert not Notification.objects.exists()
    assert not OutgoingMessage.objects.exists()

    client.post(state_url, {"state": "cancelled", "confirm": "1"})

    event.refresh_from_db()
    assert event.state == Event.State.CANCELLED
    assert (
        Notification.objects.get(recipient=users["member"]).title == f"“{event.title}” is cancelled"
    )
    leader = district_team.leader
    told = set(OutgoingMessage.objects.values_list("to", flat=True))
    assert told == {member_self.mobile, waiting.mobile, leader.mobile}
    # the admin who registered the team hears of it in their inbox too
    assert Notification.objects.filter(recipient=users["unit_admin"]).count() == 1


# --- occupancy -----------------------------------------------------------------------------


def test_the_occupancy_chart_shows_each_booth_and_slot_with_those_waiting(
    event_factory, world, users
):
    event = event_factory(unit=world.district, booths={"花艺馆": [(9, 10, 2), (10, 11, 2)]})
    first, second = slot_of(event, "花艺馆", 9), slot_of(event, "花艺馆", 10)
    for n in range(3):  # two registered, one waiting
        services.registration_create(
            acting_user=None, event=event, slot=first, member=make_member(world.grassroots, 60 + n)
        )
    services.registration_create(
        acting_user=None, event=event, slot=second, member=make_member(world.grassroots, 70)
    )
    client = signed_in(users["unit_admin"])
    url = reverse("events:console_occupancy", args=[event.slug])

    partial = page(client.get(url, headers={"HX-Request": "true"}))

    assert partial.lstrip().startswith("<section")
    assert "<html" not in partial
    assert 'hx-trigger="every 5s"' in partial
    booth = first.booth.pk
    assert (
        f'id="occupancy-booth-{booth}" data-capacity="4" data-registered="3" data-waiting="1"'
        in partial
    )
    assert (
        f'id="occupancy-slot-{first.pk}" data-capacity="2" data-registered="2" data-waiting="1"'
        in partial
    )
    assert "width-100" in partial
    assert "width-50" in partial
    assert "width-75" in partial
    assert "2 / 2" in partial
    assert "1 waiting" in partial
    # the full page without script; no polling once registration has closed
    assert "<html" in page(client.get(url))
    services.event_state_set(acting_user=users["unit_admin"], event=event, state="closed")
    assert "hx-trigger" not in page(client.get(url, headers={"HX-Request": "true"}))


def test_an_event_without_booths_is_one_bar_of_its_own(event_factory, world, users, member_self):
    event = event_factory(unit=world.district, booths={}, capacity=10)
    services.registration_create(acting_user=None, event=event, member=member_self)

    body = page(
        signed_in(users["unit_admin"]).get(reverse("events:console_detail", args=[event.slug]))
    )

    assert 'id="occupancy-event" data-capacity="10" data-registered="1" data-waiting="0"' in body
    assert 'data-people="1" data-capacity="10"' in body


# --- registrations -----------------------------------------------------------------------------


@pytest.fixture
def carnival(event_factory, world, users, member_self, district_team):
    """An open event of the district with a question; the member registered (answering it),
    two more registered at the other district, one waiting, the district's team registered."""
    event = event_factory(
        unit=world.district,
        booths={"花艺馆": [(9, 10, 3)], "剪纸馆": [(9, 11, 5)]},
        questions=[("T恤尺码", "choice", "S\nM\nL", False), ("是否素食", "yes_no", "", False)],
    )
    size, vegetarian = (str(q.pk) for q in event.questions.all())
    flowers, paper = slot_of(event, "花艺馆", 9), slot_of(event, "剪纸馆", 9)
    services.registration_create(
        acting_user=users["member"],
        event=event,
        slot=flowers,
        member=member_self,
        answers={size: "M", vegetarian: "yes"},
    )
    for n, name in ((80, "奉节甲"), (81, "奉节乙"), (82, "奉节丙")):  # the third waits
        services.registration_create(
            acting_user=None,
            event=event,
            slot=flowers,
            member=make_member(world.other_grassroots, n, name=name),
            answers={vegetarian: "no"},
        )
    services.registration_create(
        acting_user=users["unit_admin"], event=event, slot=paper, team=district_team
    )
    return event


def test_the_registrations_list_searches_filters_and_masks(
    carnival, world, users, member_self, district_team
):
    client = signed_in(users["unit_admin"])
    url = reverse("events:console_registrations", args=[carnival.slug])
    mine = Registration.objects.get(member=member_self)
    waiting = Registration.objects.get(member__name="奉节丙")
    team = Registration.objects.get(team=district_team)

    body = page(client.get(url))
    assert len(registration_ids(client.get(url))) == 5
    assert member_self.mobile not in body
    assert member_self.mobile_masked in body
    assert district_team.leader.mobile_masked in body
    assert "Waiting, place 1" in body
    assert registration_ids(client.get(url, {"q": "李明"})) == [mine.pk]
    assert registration_ids(client.get(url, {"q": "代表队"})) == [team.pk]
    assert registration_ids(client.get(url, {"q": member_self.mobile[-4:]})) == [mine.pk]
    assert registration_ids(client.get(url, {"q": member_self.mobile})) == []  # no permission
    in_district = registration_ids(client.get(url, {"unit": world.district.pk}))
    assert sorted(in_district) == sorted([mine.pk, team.pk])
    assert registration_ids(client.get(url, {"state": "waiting"})) == [waiting.pk]
    paper = carnival.booths.get(name="剪纸馆")
    assert registration_ids(client.get(url, {"booth": paper.pk})) == [team.pk]


def test_the_registrations_export_holds_the_answers_and_masked_numbers(
    carnival, users, member_self, district_team
):
    client = signed_in(users["unit_admin"])
    url = reverse("events:console_registrations", args=[carnival.slug])

    rows = exported(client.get(url, {"export": "xlsx", "sort": "created_at"}))

    header = rows[0]
    assert header == [
        "Registrant",
        "People",
        "Mobile",
        "Unit",
        "Booth and time",
        "State",
        "Checked in",
        "T恤尺码",
        "是否素食",
        "Registered at",
    ]
    by_name = {row[0]: dict(zip(header, row, strict=True)) for row in rows[1:]}
    mine = by_name["李明"]
    assert mine["Mobile"] == member_self.mobile_masked
    assert (mine["T恤尺码"], mine["是否素食"]) == ("M", "Yes")
    assert mine["Booth and time"].startswith("花艺馆 ")
    assert mine["State"] == "Registered"
    assert by_name["奉节甲"]["是否素食"] == "No"
    assert by_name["奉节丙"]["State"] == "Waiting, place 1"
    assert by_name[district_team.name]["People"] == 3
    assert by_name[district_team.name]["Mobile"] == district_team.leader.mobile_masked
    assert not any(member_self.mobile in str(cell) for row in rows for cell in row)


def test_the_registrations_page_reads_the_same_queries_for_many_rows(
    event_factory, world, users, django_assert_max_num_queries
):
    event = event_factory(
        unit=world.district,
        booths={"花艺馆": [(9, 10, 20)]},
        questions=[("T恤尺码", "text", "", False)],
    )
    slot = slot_of(event, "花艺馆", 9)
    client = signed_in(users["unit_admin"])
    url = reverse("events:console_registrations", args=[event.slug])

    def register(numbers):
        for n in numbers:
            member = make_member(world.grassroots, 200 + n)
            services.registration_create(acting_user=None, event=event, slot=slot, member=member)
            leader = make_member(world.grassroots, 500 + n)
            team = team_create(
                acting_user=None,
                unit=world.grassroots,
                name=f"队{n}",
                leader=leader,
                members=[leader],
            )
            services.registration_create(acting_user=None, event=event, slot=slot, team=team)

    register(range(2))
    client.get(url)  # sessions and the like, once
    with django_assert_max_num_queries(20) as few:
        client.get(url)
    register(range(2, 20))  # 40 rows, 20 of them waiting
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert len(registration_ids(response)) == 40


def test_cancelling_a_registration_asks_first_then_says_who_moved_up(event_factory, world, users):
    event = event_factory(unit=world.district, booths={"花艺馆": [(9, 10, 1)]})
    slot = slot_of(event, "花艺馆", 9)
    held = services.registration_create(
        acting_user=None,
        event=event,
        slot=slot,
        member=make_member(world.grassroots, 90, name="甲"),
    ).registration
    next_in_line = make_member(world.grassroots, 91, name="乙")
    waiting = services.registration_create(
        acting_user=None, event=event, slot=slot, member=next_in_line
    ).registration
    client = signed_in(users["unit_admin"])
    url = reverse("events:console_registration_cancel", args=[event.slug, held.pk])

    asked = client.post(url)

    assert asked.status_code == 200
    assert 'data-consequence="waiting" data-count="1"' in page(asked)
    held.refresh_from_db()
    assert held.state == Registration.State.REGISTERED

    response = client.post(url, {"confirm": "1"}, follow=True)

    held.refresh_from_db()
    waiting.refresh_from_db()
    assert held.state == Registration.State.CANCELLED
    assert waiting.state == Registration.State.REGISTERED
    assert "The registration of 甲 is cancelled. Moved up and told: 乙 (registered)." in page(
        response
    )
    assert OutgoingMessage.objects.filter(to=next_in_line.mobile).count() == 1
    again = client.post(url, {"confirm": "1"}, follow=True)
    assert "This registration is already cancelled." in page(again)


def test_times_are_shown_and_read_in_beijing_time(event_factory, world, users):
    event = event_factory(unit=world.district)
    form = signed_in(users["unit_admin"]).get(reverse("events:console_edit", args=[event.slug]))
    body = page(form)
    assert f'value="{DAY:%Y-%m-%d}T09:00"' in body
    assert "Times are Beijing time." in body
