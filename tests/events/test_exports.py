"""The organisers' exports: the registrations (with when and how each was checked in, and a
meeting's leave), the waiting list as a file of its own, the attendance as a workbook of its
views — every one opened again with openpyxl, masked by role and recorded in the audit log."""

import io
import json
import re
from datetime import datetime

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from laurel.accounts.models import Role
from laurel.accounts.services import role_grant
from laurel.audit.models import LogEntry
from laurel.events import services
from laurel.events.models import Event, Registration
from tests.conftest import english_client, make_member
from tests.events.check_ins import scan, tick
from tests.events.conftest import DAY, at, slot_of
from tests.helpers import response_body

DATE = f"{DAY:%Y-%m-%d}"
MONTH_DAY = f"{DAY:%m-%d}"


def signed_in(user):
    client = english_client()
    client.force_login(user)
    return client


def workbook(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return load_workbook(io.BytesIO(response_body(response)))


def sheet_rows(sheet) -> list[list]:
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def by_registrant(rows: list[list]) -> dict[str, dict]:
    header = rows[0]
    return {row[0]: dict(zip(header, row, strict=True)) for row in rows[1:]}


def headings(page: str) -> list[str]:
    """The registrations table's column headings as the page shows them."""
    return [text.strip() for text in re.findall(r"<th[^>]*>\s*(?:<a[^>]*>)?([^<]*)", page)]


def every_cell(book) -> list[str]:
    return [str(cell) for sheet in book.worksheets for row in sheet_rows(sheet) for cell in row]


def local_naive(moment) -> datetime:
    return moment.replace(tzinfo=None)


@pytest.fixture
def carnival(event_factory, world, users, district_team):
    """永川区's carnival: 花艺馆 09–10 (one place: 李明 holds it, scanned in at 08:55 at the
    booth and again at 09:30; 王芳 and 赵六 wait), 剪纸馆 09–11 (the district's team of three,
    ticked on the list at 09:05 by 张三; 陈静, not come)."""
    event = event_factory(
        unit=world.district, booths={"花艺馆": [(9, 10, 1)], "剪纸馆": [(9, 11, 5)]}
    )
    flowers, paper = slot_of(event, "花艺馆", 9), slot_of(event, "剪纸馆", 9)

    def register(slot, **registrant):
        return services.registration_create(
            acting_user=users["unit_admin"], event=event, slot=slot, **registrant
        ).registration

    people = {
        name: make_member(world.grassroots, n, name=name)
        for n, name in enumerate(["李明", "王芳", "赵六", "陈静"], start=41)
    }
    came = register(flowers, member=people["李明"])
    register(flowers, member=people["王芳"])
    register(flowers, member=people["赵六"])
    team = register(paper, team=district_team)
    register(paper, member=people["陈静"])
    scan(came, device="gate-1", booth=flowers.booth, at=at(8, 55))
    tick(team, by=users["unit_admin"], device="张三", at=at(9, 5))
    again = services.ticket_check_in(
        acting_user=None,
        event=event,
        scanned=services.ticket_of(came).payload,
        device="gate-2",
        now=at(9, 30),
    )
    assert again.reason == "duplicate"  # kept as a duplicate: never a second person
    return event, people


def registrations_url(event) -> str:
    return reverse("events:console_registrations", args=[event.slug])


# --- the registrations ------------------------------------------------------------------------


def test_the_registrations_export_says_when_and_how_each_was_checked_in(
    carnival, users, district_team
):
    event, _people = carnival
    client = signed_in(users["unit_admin"])

    response = client.get(registrations_url(event), {"export": "xlsx", "sort": "created_at"})

    assert f'filename="{event.slug}-registrations.xlsx"' in response["Content-Disposition"]
    rows = sheet_rows(workbook(response).active)
    assert rows[0] == [
        "Registrant",
        "People",
        "Mobile",
        "Unit",
        "Booth and time",
        "State",
        "Checked in",
        "Registered at",
    ]  # no leave: not a meeting
    shown = by_registrant(rows)
    assert shown["李明"]["Checked in"] == f"{DATE} 08:55 scanned"
    assert shown[district_team.name]["Checked in"] == f"{DATE} 09:05 ticked"
    assert shown[district_team.name]["People"] == 3
    assert shown["陈静"]["Checked in"] is None
    assert shown["王芳"]["State"] == "Waiting, place 1"

    entry = LogEntry.objects.get(action="events.registrations.exported")
    assert entry.actor == users["unit_admin"]
    assert (entry.object_id, entry.unit) == (str(event.pk), event.unit)
    assert entry.data == {"event": event.slug, "rows": 5, "filters": {"sort": "created_at"}}


def test_the_registrations_page_shows_the_check_ins_too(carnival, users):
    event, people = carnival
    client = signed_in(users["unit_admin"])
    body = response_body(client.get(registrations_url(event))).decode()

    came = Registration.objects.get(member=people["李明"])
    absent = Registration.objects.get(member=people["陈静"])
    rows = {
        pk: body.split(f'<tr id="registration-{pk}"')[1].split("</tr>")[0]
        for pk in (came.pk, absent.pk)
    }
    assert "Checked in" in headings(body)
    assert "Leave" not in headings(body)  # not a meeting
    assert f"{DATE} 08:55 scanned" in rows[came.pk]
    assert "scanned" not in rows[absent.pk]
    assert "—" in rows[absent.pk]
    assert not LogEntry.objects.filter(action__startswith="events.registrations.").exists()


def test_a_meetings_registrations_carry_the_leave_and_its_reason(event_factory, world, users):
    invitees = [make_member(world.grassroots, n, name=f"干部{n}") for n in (61, 62)]
    meeting = event_factory(
        unit=world.district,
        booths={},
        kind=Event.Kind.MEETING,
        title="干部大会",
        audience=Event.Audience.INVITED,
        invitees=invitees,
    )
    for member in invitees:
        services.registration_create(acting_user=None, event=meeting, member=member)
    Registration.objects.filter(member=invitees[1]).update(leave_reason="外出培训", leave_at=at(7))
    client = signed_in(users["unit_admin"])

    rows = sheet_rows(workbook(client.get(registrations_url(meeting), {"export": "xlsx"})).active)

    assert rows[0][4:7] == ["State", "Checked in", "Leave"]  # no booths: no slot column
    shown = by_registrant(rows)
    assert shown["干部62"]["Leave"] == "外出培训"
    assert shown["干部61"]["Leave"] is None
    body = response_body(client.get(registrations_url(meeting))).decode()
    assert "外出培训" in body
    assert "Leave" in headings(body)


def test_the_waiting_list_is_a_file_of_its_own_with_each_place(carnival, users):
    event, _people = carnival
    client = signed_in(users["unit_admin"])
    page = response_body(client.get(registrations_url(event))).decode()
    assert 'id="export-waiting-list" href="?state=waiting&amp;export=xlsx"' in page

    response = client.get(registrations_url(event), {"state": "waiting", "export": "xlsx"})

    assert f'filename="{event.slug}-waiting-list.xlsx"' in response["Content-Disposition"]
    rows = sheet_rows(workbook(response).active)
    assert [(row[0], row[5]) for row in rows[1:]] == [
        ("王芳", "Waiting, place 1"),
        ("赵六", "Waiting, place 2"),
    ]
    entry = LogEntry.objects.get(action="events.registrations.exported")
    assert entry.data["rows"] == 2
    assert entry.data["filters"] == {"state": "waiting"}


def test_an_event_with_no_one_waiting_offers_no_waiting_list(event_factory, world, users):
    event = event_factory(unit=world.district)
    page = response_body(signed_in(users["unit_admin"]).get(registrations_url(event))).decode()
    assert "export-waiting-list" not in page


# --- masking --------------------------------------------------------------------------------


def test_a_unit_admin_without_the_permission_exports_masked_mobiles_even_asking_for_them(
    carnival, users, district_team
):
    event, people = carnival
    client = signed_in(users["unit_admin"])
    assert "export-full-numbers" not in response_body(client.get(registrations_url(event))).decode()

    for asked in ({"export": "xlsx"}, {"export": "xlsx", "full_numbers": "1"}):
        book = workbook(client.get(registrations_url(event), asked))
        shown = by_registrant(sheet_rows(book.active))
        assert shown["李明"]["Mobile"] == people["李明"].mobile_masked
        assert shown[district_team.name]["Mobile"] == district_team.leader.mobile_masked
        cells = every_cell(book)
        for person in [*people.values(), district_team.leader]:
            assert not any(person.mobile in cell for cell in cells)
    assert LogEntry.objects.filter(action="events.registrations.exported").count() == 2
    assert not LogEntry.objects.filter(action="events.registrations.exported_unmasked").exists()


def test_with_the_permission_whole_mobiles_only_when_asked_and_recorded_as_such(
    carnival, users, world, district_team
):
    event, people = carnival
    role_grant(
        acting_user=None, user=users["unit_admin"], role=Role.PERSONAL_DATA, unit=world.district
    )
    client = signed_in(users["unit_admin"])
    page = response_body(client.get(registrations_url(event))).decode()
    assert 'id="export-full-numbers"' in page

    masked = by_registrant(
        sheet_rows(workbook(client.get(registrations_url(event), {"export": "xlsx"})).active)
    )
    assert masked["李明"]["Mobile"] == people["李明"].mobile_masked

    whole = by_registrant(
        sheet_rows(
            workbook(
                client.get(registrations_url(event), {"export": "xlsx", "full_numbers": "1"})
            ).active
        )
    )
    assert whole["李明"]["Mobile"] == people["李明"].mobile
    assert whole[district_team.name]["Mobile"] == district_team.leader.mobile
    entry = LogEntry.objects.get(action="events.registrations.exported_unmasked")
    assert entry.data == {"event": event.slug, "rows": 5, "filters": {}}


def test_a_whole_number_searched_is_recorded_masked(carnival, users, world):
    event, people = carnival
    role_grant(
        acting_user=None, user=users["unit_admin"], role=Role.PERSONAL_DATA, unit=world.district
    )
    mobile = people["李明"].mobile
    client = signed_in(users["unit_admin"])

    rows = sheet_rows(
        workbook(client.get(registrations_url(event), {"q": mobile, "export": "xlsx"})).active
    )

    assert [row[0] for row in rows[1:]] == ["李明"]
    entry = LogEntry.objects.get(action="events.registrations.exported")
    assert entry.data["filters"] == {"q": people["李明"].mobile_masked}
    assert mobile not in json.dumps(entry.data)


# --- attendance -----------------------------------------------------------------------------


def test_the_attendance_export_holds_a_sheet_for_each_view_and_the_people_checked_in(
    carnival, users, world, district_team
):
    event, _people = carnival
    client = signed_in(users["unit_admin"])
    url = reverse("events:console_attendance", args=[event.slug])
    assert 'id="export-attendance" href="?export=xlsx"' in response_body(client.get(url)).decode()

    response = client.get(url, {"export": "xlsx"})

    assert f'filename="{event.slug}-attendance.xlsx"' in response["Content-Disposition"]
    book = workbook(response)
    assert book.sheetnames == ["By booth and slot", "By unit", "People checked in"]
    assert sheet_rows(book["By booth and slot"]) == [
        ["Booth", "Time slot", "Places held", "Checked in"],
        ["花艺馆", None, 1, 1],
        ["花艺馆", f"{DATE} 09:00–10:00", 1, 1],
        ["剪纸馆", None, 4, 3],
        ["剪纸馆", f"{DATE} 09:00–11:00", 4, 3],
    ]
    assert sheet_rows(book["By unit"]) == [
        ["Unit", "Places held", "Checked in"],
        [world.district.name, 3, 3],  # the team, registered in the organiser's own unit
        [world.grassroots.name, 2, 1],  # 李明 came, 陈静 did not; the waiting hold nothing
    ]
    assert sheet_rows(book["People checked in"]) == [
        [
            "Registrant",
            "People",
            "Unit",
            "Booth and time",
            "Checked in at",
            "How",
            "Device",
            "Checked in at booth",
        ],
        [
            "李明",
            1,
            world.grassroots.name,
            f"花艺馆 {MONTH_DAY} 09:00–10:00",
            local_naive(at(8, 55)),
            "scanned",
            "gate-1",
            "花艺馆",
        ],
        [
            district_team.name,
            3,
            world.district.name,
            f"剪纸馆 {MONTH_DAY} 09:00–11:00",
            local_naive(at(9, 5)),
            "ticked",
            "张三",
            None,
        ],
    ]
    assert not any(district_team.leader.mobile in cell for cell in every_cell(book))
    entry = LogEntry.objects.get(action="events.attendance.exported")
    assert entry.actor == users["unit_admin"]
    assert (entry.object_id, entry.unit) == (str(event.pk), event.unit)
    assert entry.data == {"event": event.slug, "rows": 2, "filters": {}}


def test_another_districts_attendance_is_not_found_nor_exported(event_factory, world, users):
    other = event_factory(unit=world.other_district)
    client = signed_in(users["unit_admin"])
    url = reverse("events:console_attendance", args=[other.slug])
    assert client.get(url, {"export": "xlsx"}).status_code == 404
    assert not LogEntry.objects.filter(action="events.attendance.exported").exists()


def test_the_exports_read_the_same_queries_for_many_rows(
    event_factory, world, users, django_assert_max_num_queries
):
    event = event_factory(unit=world.district, booths={"花艺馆": [(9, 10, 40)]})
    slot = slot_of(event, "花艺馆", 9)
    role_grant(
        acting_user=None, user=users["unit_admin"], role=Role.PERSONAL_DATA, unit=world.district
    )
    client = signed_in(users["unit_admin"])
    exports = [
        (registrations_url(event), {"export": "xlsx", "full_numbers": "1"}),
        (reverse("events:console_attendance", args=[event.slug]), {"export": "xlsx"}),
    ]

    def come(numbers):
        for n in numbers:
            member = make_member(world.grassroots, 300 + n)
            scan(
                services.registration_create(
                    acting_user=None, event=event, slot=slot, member=member
                ).registration
            )

    come(range(2))
    client.get(exports[0][0])  # sessions and the like, once
    counted = []
    for url, params in exports:
        with django_assert_max_num_queries(30) as few:
            client.get(url, params)
        counted.append(len(few.captured_queries))
    come(range(2, 30))
    for (url, params), before in zip(exports, counted, strict=True):
        with django_assert_max_num_queries(before):
            assert len(sheet_rows(workbook(client.get(url, params)).worksheets[-1])) == 31
