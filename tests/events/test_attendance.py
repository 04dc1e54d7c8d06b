"""Live attendance: places checked in of the places held, by booth and slot and by unit (rolled
up to the units one level beneath the organiser), the duplicate and offline scans, the last
check-in; the organisers' page, which polls itself only while the event runs."""

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from laurel.events import services
from laurel.events.models import Event, Ticket
from laurel.events.selectors import attendance, attendance_phase
from laurel.orgs.services import unit_create
from tests.conftest import english_client, make_member
from tests.events.conftest import at, slot_of
from tests.helpers import response_body


def signed_in(user):
    client = english_client()
    client.force_login(user)
    return client


def page(response) -> str:
    return response_body(response).decode()


def register(event, slot, **registrant):
    return services.registration_create(
        acting_user=None, event=event, slot=slot, **registrant
    ).registration


def check_in(event, registration, moment):
    return services.ticket_check_in(
        acting_user=None,
        event=event,
        scanned=services.ticket_of(registration).payload,
        device="gate-1",
        now=moment,
    )


@pytest.fixture
def running(event_factory, world, users, district_team):
    """The district's carnival, its people checked in as it runs:

    - 花艺馆 09:00: four of a workplace beneath the grassroots union, three checked in;
    - 花艺馆 10:00: one of the grassroots union, checked in (10:02) and scanned again (10:30);
    - 剪纸馆 09:00: the district's own team of three, checked in on a device offline (09:30);
      one of the other district's grassroots union, not checked in; one of the other
      district's own union checked in (09:01) and then cancelled, holding no place.
    """
    event = event_factory(
        unit=world.district, booths={"花艺馆": [(9, 10, 5), (10, 11, 5)], "剪纸馆": [(9, 11, 6)]}
    )
    workplace = unit_create(
        acting_user=None,
        name="车间",
        code="cq/yc/jg/cj",
        kind="workplace",
        parent=world.grassroots,
    )
    early, late = slot_of(event, "花艺馆", 9), slot_of(event, "花艺馆", 10)
    paper = slot_of(event, "剪纸馆", 9)
    came = [register(event, early, member=make_member(workplace, 10 + n)) for n in range(4)]
    stayed_away = came.pop(1)
    twice = register(event, late, member=make_member(world.grassroots, 20))
    services.registration_create(
        acting_user=users["unit_admin"], event=event, slot=paper, team=district_team
    )
    team = event.registrations.get(team=district_team)
    register(event, paper, member=make_member(world.other_grassroots, 30))
    gone = register(event, paper, member=make_member(world.other_district, 31))

    check_in(event, gone, at(9, 1))
    services.registration_cancel(acting_user=None, registration=gone)
    for minute, registration in enumerate(came, start=5):
        check_in(event, registration, at(9, minute))
    check_in(event, twice, at(10, 2))
    assert check_in(event, twice, at(10, 30)).reason == "duplicate"
    offline_scan = services.OfflineScan(
        key="scan-1",
        ticket_id=Ticket.objects.get(registration=team).pk,
        at=at(9, 30),
        device="gate-2",
    )
    (synced,) = services.check_ins_sync(acting_user=None, event=event, scans=[offline_scan])
    assert synced.ok
    return {
        "event": event,
        "workplace": workplace,
        "slots": (early, late, paper),
        "stayed_away": stayed_away,
    }


# --- the figures ------------------------------------------------------------------------------


def test_attendance_counts_places_checked_in_of_places_held(running, world):
    event = running["event"]
    early, late, paper = running["slots"]

    figures = attendance(event)

    flowers, paper_booth = figures.booths
    assert (flowers.booth_id, flowers.row.booth) == (early.booth_id, "花艺馆")
    assert (flowers.row.checked_in, flowers.row.registered) == (4, 5)
    assert [(s.slot, s.checked_in, s.registered) for s in flowers.slots] == [
        (early, 3, 4),
        (late, 1, 1),
    ]
    assert (paper_booth.row.checked_in, paper_booth.row.registered) == (3, 4)
    assert [(s.slot, s.checked_in, s.registered) for s in paper_booth.slots] == [(paper, 3, 4)]
    # the workplace counts under the grassroots union beneath the organiser; the organiser's
    # own team under the organiser; the other district's people under their own unit, and
    # a unit holding no place not at all; the most checked in first
    assert [(u.unit_id, u.name, u.checked_in, u.holding) for u in figures.units] == [
        (world.grassroots.pk, "机关工会", 4, 5),
        (world.district.pk, "永川区总工会", 3, 3),
        (world.other_grassroots.pk, "机关工会", 0, 1),
    ]
    assert (figures.checked_in, figures.holding) == (7, 9)
    assert figures.duplicates == 1
    assert figures.offline == 1
    assert figures.last_check_in_at == at(10, 2)  # the duplicate at 10:30 is no check-in


def test_an_event_without_booths_is_one_row_of_its_own(event_factory, world):
    event = event_factory(unit=world.federation, booths={})
    first, second = (
        register(event, None, member=make_member(world.other_grassroots, 40 + n)) for n in range(2)
    )
    check_in(event, first, at(9, 10))

    figures = attendance(event)

    (whole,) = figures.booths
    assert (whole.booth_id, whole.slots) == (None, [])
    assert (whole.row.checked_in, whole.row.registered) == (1, 2)
    # beneath the federation, the other district holds its grassroots union
    assert [(u.unit_id, u.checked_in, u.holding) for u in figures.units] == [
        (world.other_district.pk, 1, 2)
    ]
    assert (figures.duplicates, figures.offline) == (0, 0)


def test_the_figures_are_read_in_a_few_queries_whatever_the_slots_and_units(
    event_factory, world, django_assert_max_num_queries
):
    event = event_factory(
        unit=world.federation,
        booths={f"馆{n}": [(9, 10, 5), (10, 11, 5), (11, 12, 5)] for n in range(4)},
    )
    event = Event.objects.select_related("unit").get(pk=event.pk)
    for n in range(12):
        unit = unit_create(
            acting_user=None,
            name=f"基层{n}",
            code=f"cq/{'fj' if n % 2 else 'yc'}/u{n}",
            kind="grassroots",
            parent=world.other_district if n % 2 else world.district,
        )
        registration = register(
            event, slot_of(event, f"馆{n % 4}", 9 + n % 3), member=make_member(unit, 50 + n)
        )
        if n % 3:
            check_in(event, registration, at(9, n))

    with django_assert_max_num_queries(4):
        figures = attendance(event)

    assert sum(len(booth.slots) for booth in figures.booths) == 12
    # as many checked in: by name, 奉节县 before 永川区
    assert [(u.unit_id, u.checked_in, u.holding) for u in figures.units] == [
        (world.other_district.pk, 4, 6),
        (world.district.pk, 4, 6),
    ]


@pytest.mark.parametrize(
    ("state", "moment", "phase"),
    [
        (Event.State.OPEN, at(7, 59), "not-started"),
        (Event.State.OPEN, at(8), "running"),  # an hour before the start
        (Event.State.CLOSED, at(12), "running"),
        (Event.State.CLOSED, at(18), "running"),  # an hour after the end
        (Event.State.CLOSED, at(18, 1), "final"),
        (Event.State.ENDED, at(12), "final"),
        (Event.State.CANCELLED, at(12), "final"),
        (Event.State.DRAFT, at(12), "not-started"),
    ],
)
def test_an_event_runs_from_an_hour_before_its_start_to_an_hour_after_its_end(state, moment, phase):
    event = Event(state=state, starts_at=at(9), ends_at=at(17))
    assert attendance_phase(event, now=moment) == phase


# --- the page ---------------------------------------------------------------------------------


def test_the_page_shows_the_figures_by_booth_slot_and_unit(running, world, users):
    event = running["event"]
    early, late, paper = running["slots"]
    url = reverse("events:console_attendance", args=[event.slug])

    body = page(signed_in(users["unit_admin"]).get(url))

    assert "<html" in body
    assert 'id="nav-attendance" aria-current="page"' in body
    assert f'id="attendance-booth-{early.booth_id}" data-checked-in="4" data-holding="5"' in body
    assert f'id="attendance-slot-{early.pk}" data-checked-in="3" data-holding="4"' in body
    assert f'id="attendance-slot-{late.pk}" data-checked-in="1" data-holding="1"' in body
    assert f'id="attendance-slot-{paper.pk}" data-checked-in="3" data-holding="4"' in body
    assert "width-80" in body  # 4 of 5
    assert "width-75" in body  # 3 of 4
    assert "width-100" in body  # 1 of 1
    units = body.index('id="attendance-units"')
    grassroots = body.index(
        f'id="attendance-unit-{world.grassroots.pk}" data-checked-in="4" data-holding="5"', units
    )
    district = body.index(f'id="attendance-unit-{world.district.pk}" data-checked-in="3"')
    other = body.index(f'id="attendance-unit-{world.other_grassroots.pk}" data-checked-in="0"')
    assert grassroots < district < other  # the most checked in first
    assert f'id="attendance-unit-{running["workplace"].pk}"' not in body
    assert f'id="attendance-unit-{world.other_district.pk}"' not in body
    assert 'data-duplicates="1" data-offline="1"' in body
    assert "7 / 9" in body
    assert "1 duplicate scan" in body
    assert "1 scan sent from a device that was offline" in body
    assert f"Last check-in: {at(10, 2):%m-%d %H:%M}" in body


def test_the_figures_poll_themselves_only_while_the_event_runs(running, users):
    event = running["event"]
    url = reverse("events:console_attendance", args=[event.slug])
    htmx = {"HX-Request": "true"}

    def partial_at(moment=None) -> str:
        if moment is None:
            return page(signed_in(users["unit_admin"]).get(url, headers=htmx))
        with time_machine.travel(moment, tick=False):  # signed in then: sessions expire
            return page(signed_in(users["unit_admin"]).get(url, headers=htmx))

    before = partial_at()
    during = partial_at(at(10))
    after = partial_at(at(19))
    services.event_state_set(acting_user=users["unit_admin"], event=event, state="ended")
    ended = partial_at(at(10))

    assert during.lstrip().startswith('<section class="card attendance" id="attendance"')
    assert "<html" not in during
    assert 'id="nav-attendance"' not in during
    assert f'hx-get="{url}" hx-trigger="every 5s" hx-swap="outerHTML"' in during
    assert 'data-checked-in="7" data-holding="9"' in during
    assert "hx-trigger" not in before
    assert "The event has not started" in before
    for final in (after, ended):
        assert "hx-trigger" not in final
        assert "these figures are final" in final
        assert 'data-checked-in="7" data-holding="9"' in final


def test_another_districts_admin_finds_no_page_and_a_judge_may_not_see_one(
    running, world, users, make_user
):
    url = reverse("events:console_attendance", args=[running["event"].slug])

    other_admin = signed_in(make_user("unit_admin", world.other_district))

    assert other_admin.get(url).status_code == 404
    assert signed_in(users["judge"]).get(url).status_code == 403
    assert signed_in(users["member"]).get(url).status_code == 403
    assert signed_in(users["federation_admin"]).get(url).status_code == 200


def test_the_pages_queries_do_not_grow_with_the_units_and_slots(
    event_factory, world, users, django_assert_max_num_queries
):
    event = event_factory(unit=world.district, booths={"剪纸馆": [(9, 17, 100)]})
    url = reverse("events:console_attendance", args=[event.slug])
    client = signed_in(users["federation_admin"])
    htmx = {"HX-Request": "true"}
    admin = users["federation_admin"]

    def grow(first: int, count: int) -> None:
        for n in range(first, first + count):
            booth = services.booth_save(acting_user=admin, event=event, name=f"馆{n}")
            slot = services.slot_save(
                acting_user=admin, booth=booth, starts_at=at(9), ends_at=at(10), capacity=5
            )
            unit = unit_create(
                acting_user=None,
                name=f"基层{n}",
                code=f"cq/yc/u{n}",
                kind="grassroots",
                parent=world.district,
            )
            check_in(event, register(event, slot, member=make_member(unit, 80 + n)), at(9, n))

    grow(0, 1)
    with CaptureQueriesContext(connection) as few:
        client.get(url, headers=htmx)
    grow(1, 10)
    with django_assert_max_num_queries(len(few.captured_queries)):
        partial = page(client.get(url, headers=htmx))
    assert partial.count('id="attendance-slot-') == 12
    assert partial.count('id="attendance-unit-') == 11  # each beneath the organiser
