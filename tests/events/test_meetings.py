"""Meetings (Events IV): the invitation list (people, and every admin of some units), sign-in
by ticket or by a name ticked, latecomers and absentees, leave with a reason, the organisers'
roll page and the attendance sheet (签到表) as Excel and as a PDF with a signature column; the
invitee asking for leave on their own page."""

import io
from datetime import timedelta

import openpyxl
import pypdfium2
import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from laurel.audit.models import LogEntry
from laurel.events import services
from laurel.events.models import CheckIn, Event, EventInvitee, Registration, Ticket
from laurel.events.roll_pdf import roll_pdf
from laurel.events.selectors import meeting_roll
from laurel.members.services import member_user_link
from laurel.notifications.models import Notification, OutgoingMessage
from tests.conftest import english_client, make_member
from tests.events.conftest import at
from tests.events.test_console import event_form_data, local
from tests.helpers import response_body

START, END = at(9), at(11)


@pytest.fixture
def meeting(event_factory):
    """An open meeting of the federation, 09:00–11:00, for invited people only."""
    return event_factory(
        booths={},
        kind=Event.Kind.MEETING,
        title="市总工会直属机关干部大会",
        venue="机关大楼三楼会议室",
        starts_at=START,
        ends_at=END,
        audience=Event.Audience.INVITED,
        members_register=False,
        teams_register=False,
        waiting_list=False,
    )


@pytest.fixture
def people(world):
    """Five members of the district's grassroots union, 赵一 … 孙五 (their names in the roll's
    order: one unit, by name as stored)."""
    names = ["赵一", "钱二", "孙三", "李四", "周五"]
    return [
        make_member(world.grassroots, 300 + n, name=name, job_title="科员")
        for n, name in enumerate(names)
    ]


@pytest.fixture
def invited(meeting, people, users):
    outcome = services.meeting_invite(
        acting_user=users["federation_admin"], event=meeting, members=people
    )
    return {r.member.name: r for r in outcome.invited}


def signed_in(user):
    client = english_client()
    client.force_login(user)
    return client


def payload_of(registration) -> str:
    return services.ticket_of(registration).payload


def standings(event, now) -> dict[str, str]:
    return {row.name: row.standing for row in meeting_roll(event, now=now).rows}


# --- invitations -----------------------------------------------------------------------------


def test_inviting_registers_each_person_with_a_ticket_and_inviting_again_changes_nothing(
    meeting, people, users, world
):
    admin = users["federation_admin"]
    first = services.meeting_invite(acting_user=admin, event=meeting, members=people[:3])
    assert len(first.invited) == 3
    assert first.already == []
    for registration in first.invited:
        assert registration.state == Registration.State.REGISTERED
        assert registration.slot is None
        assert registration.registered_by == admin
        assert Ticket.objects.get(registration=registration).revoked_at is None
    newcomer = make_member(world.other_grassroots, 399, name="吴六")
    again = services.meeting_invite(
        acting_user=admin, event=meeting, members=[*people[1:3], newcomer]
    )
    assert [r.member for r in again.invited] == [newcomer]
    assert again.already == people[1:3]
    assert Registration.objects.filter(event=meeting).count() == 4
    assert EventInvitee.objects.filter(event=meeting).count() == 4
    assert LogEntry.objects.filter(action="events.invitee.invited").count() == 4


def test_every_admin_of_a_unit_is_invited_and_one_without_a_member_record_is_named(
    meeting, users, world, make_user
):
    admin = users["federation_admin"]
    linked = users["unit_admin"]  # administers 永川区
    record = make_member(world.district, 410, name="王区长")
    member_user_link(acting_user=None, member=record, user=linked)
    unlinked = make_user("unit_admin", world.district, display_name="张干事")
    below = make_user("unit_admin", world.grassroots)  # the unit below: not this unit's admin
    member_user_link(
        acting_user=None, member=make_member(world.grassroots, 411, name="基层"), user=below
    )
    outcome = services.meeting_invite(
        acting_user=admin, event=meeting, admin_units=[world.district]
    )
    assert [r.member for r in outcome.invited] == [record]
    assert outcome.admins_unlinked == [unlinked]
    assert outcome.already == []


def test_only_a_meeting_takes_invitations(event_factory, people, users):
    carnival = event_factory()
    with pytest.raises(ValidationError):
        services.meeting_invite(
            acting_user=users["federation_admin"], event=carnival, members=people
        )
    assert not Registration.objects.filter(event=carnival).exists()


def test_an_invitee_taken_off_the_list_loses_the_ticket_and_cannot_be_ticked(
    meeting, invited, users
):
    admin = users["federation_admin"]
    registration = invited["赵一"]
    services.invitee_remove(acting_user=admin, registration=registration)
    registration.refresh_from_db()
    assert registration.state == Registration.State.CANCELLED
    assert Ticket.objects.get(registration=registration).revoked_at is not None
    assert not EventInvitee.objects.filter(event=meeting, member=registration.member).exists()
    outcome = services.sign_in_by_list(
        acting_user=admin, event=meeting, registration=registration, now=at(8, 50)
    )
    assert (outcome.ok, outcome.reason) == (False, "cancelled")
    assert "赵一" not in standings(meeting, at(10))


# --- sign-in, latecomers, absentees and leave -------------------------------------------------


def test_standings_before_and_after_the_start_with_absentees_latecomers_and_leave(
    meeting, invited, users
):
    admin = users["federation_admin"]
    services.ticket_check_in(
        acting_user=admin,
        event=meeting,
        scanned=payload_of(invited["赵一"]),
        device="门口",
        now=at(8, 45),
    )
    services.leave_request(
        acting_user=admin, registration=invited["孙三"], reason="出差", now=at(8)
    )
    services.leave_request(
        acting_user=admin, registration=invited["周五"], reason="病假", now=at(8)
    )
    before = {"赵一": "on_time", "钱二": "expected", "孙三": "on_leave", "李四": "expected"}
    assert standings(meeting, at(8, 55)) == before | {"周五": "on_leave"}
    # 钱二 ticked ten minutes late; 周五 came after all, late; 李四 never came
    services.sign_in_by_list(
        acting_user=admin, event=meeting, registration=invited["钱二"], now=at(9, 10)
    )
    services.sign_in_by_list(
        acting_user=admin, event=meeting, registration=invited["周五"], now=at(9, 20)
    )
    after = standings(meeting, at(9, 30))
    assert after == {
        "赵一": "on_time",
        "钱二": "late",
        "孙三": "on_leave",
        "李四": "absent",
        "周五": "late",
    }
    roll = meeting_roll(meeting, now=at(9, 30))
    assert roll.counts == {"on_time": 1, "late": 2, "on_leave": 1, "absent": 1, "expected": 0}
    methods = {row.name: row.method for row in roll.rows}
    assert (methods["赵一"], methods["钱二"], methods["李四"]) == ("scan", "list", "")


def test_latecomers_are_those_signed_in_after_the_start(meeting, invited, users):
    admin = users["federation_admin"]
    services.sign_in_by_list(
        acting_user=admin, event=meeting, registration=invited["赵一"], now=START
    )
    services.sign_in_by_list(
        acting_user=admin,
        event=meeting,
        registration=invited["钱二"],
        now=START + timedelta(seconds=1),
    )
    shown = standings(meeting, at(10))
    assert (shown["赵一"], shown["钱二"]) == ("on_time", "late")


def test_a_second_tick_is_a_duplicate_never_a_second_sign_in(meeting, invited, users):
    admin = users["federation_admin"]
    registration = invited["赵一"]
    first = services.sign_in_by_list(
        acting_user=admin, event=meeting, registration=registration, now=at(8, 50)
    )
    second = services.sign_in_by_list(
        acting_user=admin, event=meeting, registration=registration, now=at(8, 55)
    )
    scan = services.ticket_check_in(
        acting_user=admin, event=meeting, scanned=payload_of(registration), now=at(8, 56)
    )
    assert first.ok
    assert first.check_in.method == CheckIn.Method.LIST
    assert first.check_in.device == admin.display_name
    assert (second.ok, second.reason, scan.ok, scan.reason) == (
        False,
        "duplicate",
        False,
        "duplicate",
    )
    check_ins = CheckIn.objects.filter(registration=registration)
    assert check_ins.filter(duplicate_of__isnull=True).get() == first.check_in
    assert check_ins.filter(duplicate_of=first.check_in).count() == 2
    registration.refresh_from_db()
    assert registration.checked_in_at == at(8, 50)


def test_leave_needs_a_reason_of_at_most_500_characters(meeting, invited, users):
    admin = users["federation_admin"]
    registration = invited["赵一"]
    for reason in ("", "   ", "长" * 501):
        with pytest.raises(ValidationError) as refused:
            services.leave_request(
                acting_user=admin, registration=registration, reason=reason, now=at(8)
            )
        assert "reason" in refused.value.message_dict
    services.leave_request(
        acting_user=admin, registration=registration, reason=f"  {'长' * 500}  ", now=at(8)
    )
    registration.refresh_from_db()
    assert registration.leave_reason == "长" * 500
    assert registration.leave_at == at(8)
    assert LogEntry.objects.filter(action="events.leave.requested").count() == 1


def test_the_invitee_asks_before_the_start_and_an_organiser_records_until_the_end(
    meeting, people, invited, users
):
    admin = users["federation_admin"]
    registration = invited["钱二"]
    member_user_link(acting_user=None, member=people[1], user=users["member"])
    registration.refresh_from_db()
    with pytest.raises(ValidationError):  # the invitee themself, once it has started
        services.leave_request(
            acting_user=users["member"], registration=registration, reason="堵车", now=at(9, 5)
        )
    services.leave_request(  # an organiser, for them, while it runs
        acting_user=admin, registration=registration, reason="堵车", now=at(9, 5)
    )
    with pytest.raises(ValidationError):  # nobody once it is over
        services.leave_withdraw(acting_user=admin, registration=registration, now=END)
    services.leave_withdraw(acting_user=admin, registration=registration, now=at(10))
    registration.refresh_from_db()
    assert (registration.leave_reason, registration.leave_at) == ("", None)
    services.sign_in_by_list(
        acting_user=admin, event=meeting, registration=registration, now=at(10)
    )
    with pytest.raises(ValidationError):  # signed in: no leave
        services.leave_request(
            acting_user=admin, registration=registration, reason="早退", now=at(10, 5)
        )


# --- the organisers' page --------------------------------------------------------------------


def test_the_roll_page_lists_the_invitees_with_counts_and_searches_by_name(
    meeting, invited, users, event_factory
):
    admin = users["federation_admin"]
    services.leave_request(
        acting_user=admin, registration=invited["孙三"], reason="出差", now=at(8)
    )
    client = signed_in(admin)
    url = reverse("events:console_roll", args=[meeting.slug])
    page = response_body(client.get(url)).decode()
    assert 'id="nav-roll"' in page
    assert 'aria-current="page"' in page
    for name in invited:
        assert name in page
    assert 'id="count-on_leave" data-count="1"' in page
    assert 'id="count-expected" data-count="4"' in page
    assert 'id="count-total" data-count="5"' in page
    found = response_body(client.get(url, {"q": "孙", "part": "roll"}, HTTP_HX_REQUEST="true"))
    assert found.decode().count('data-registration="') == 1
    assert "出差" in found.decode()
    # another kind of event has no roll, nor the tab
    carnival = event_factory()
    assert client.get(reverse("events:console_roll", args=[carnival.slug])).status_code == 404
    detail = response_body(client.get(reverse("events:console_detail", args=[carnival.slug])))
    assert b'id="nav-roll"' not in detail


def test_a_tick_answers_its_row_and_tells_the_counts_to_fetch_again(meeting, invited, users):
    client = signed_in(users["federation_admin"])
    registration = invited["李四"]
    url = reverse("events:console_roll_sign_in", args=[meeting.slug, registration.pk])
    response = client.post(url, HTTP_HX_REQUEST="true")
    row = response_body(response).decode()
    assert row.lstrip().startswith(f'<tr id="roll-row-{registration.pk}"')
    assert 'data-standing="on_time"' in row  # 10 days before the start
    assert response["HX-Trigger"] == "rollChanged"
    again = response_body(client.post(url, HTTP_HX_REQUEST="true")).decode()
    assert "was already checked in" in again
    assert CheckIn.objects.filter(registration=registration, duplicate_of__isnull=True).count() == 1


def test_the_organisers_invite_people_and_unit_admins_within_their_reach(
    meeting, people, users, world
):
    client = signed_in(users["federation_admin"])
    url = reverse("events:console_roll_invite", args=[meeting.slug])
    response = client.post(url, {"members": [people[0].pk, people[1].pk]})
    assert response.status_code == 302
    assert Registration.objects.filter(event=meeting).count() == 2
    # a unit admin organising the district's meeting reaches no one of the other district
    Event.objects.filter(pk=meeting.pk).update(unit=world.district)
    outsider = make_member(world.other_grassroots, 420, name="外区")
    refused = signed_in(users["unit_admin"]).post(url, {"members": [outsider.pk]})
    assert refused.status_code == 404
    assert not Registration.objects.filter(member=outsider).exists()


def test_the_member_asks_for_leave_on_their_registration_page_and_withdraws_it(
    meeting, people, invited, users, member_self
):
    admin = users["federation_admin"]
    [mine] = services.meeting_invite(
        acting_user=admin, event=meeting, members=[member_self]
    ).invited
    client = signed_in(users["member"])
    url = reverse("events:registration", args=[mine.pk])
    page = response_body(client.get(url)).decode()
    assert 'id="leave-form"' in page
    leave = reverse("events:leave", args=[mine.pk])
    client.post(leave, {"action": "request", "reason": "  外出培训  "})
    mine.refresh_from_db()
    assert mine.leave_reason == "外出培训"
    assert mine.leave_at is not None
    page = response_body(client.get(url)).decode()
    assert 'id="leave-asked"' in page
    assert "外出培训" in page
    client.post(leave, {"action": "withdraw"})
    mine.refresh_from_db()
    assert (mine.leave_reason, mine.leave_at) == ("", None)
    # nobody else's registration
    assert client.post(reverse("events:leave", args=[invited["赵一"].pk])).status_code == 404


# --- the attendance sheet ---------------------------------------------------------------------


def test_the_attendance_sheet_in_excel_keeps_a_formula_like_name_as_text(
    meeting, people, invited, users, world
):
    admin = users["federation_admin"]
    trap = make_member(world.grassroots, 430, name='=HYPERLINK("http://x")', job_title="")
    services.meeting_invite(acting_user=admin, event=meeting, members=[trap])
    services.sign_in_by_list(
        acting_user=admin, event=meeting, registration=invited["赵一"], now=at(8, 40)
    )
    services.leave_request(
        acting_user=admin, registration=invited["孙三"], reason="+出差", now=at(8)
    )
    response = signed_in(admin).get(reverse("events:console_roll_xlsx", args=[meeting.slug]))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = openpyxl.load_workbook(io.BytesIO(response_body(response))).active
    cells = list(sheet.iter_rows())
    values = [[cell.value for cell in row] for row in cells]
    assert values[0] == [
        "Number",
        "Name",
        "Unit",
        "Position",
        "Signed in at",
        "Standing",
        "Reason for leave",
    ]
    rows = {row[1]: row[1:] for row in values[1:]}
    signed = at(8, 40).replace(tzinfo=None)  # Beijing time, as the sheet shows it
    assert rows["赵一"] == ["赵一", "机关工会", "科员", signed, "On time", None]
    assert rows["孙三"][4:] == ["On leave", "'+出差"]
    assert '\'=HYPERLINK("http://x")' in rows  # text, never a formula
    assert [row[0] for row in values[1:]] == list(range(1, 7))
    assert all(cell.data_type != "f" for row in cells for cell in row)
    entry = LogEntry.objects.get(action="events.roll.exported")
    assert entry.data["kind"] == "xlsx"
    assert entry.data["rows"] == 6


def test_the_attendance_sheet_pdf_has_every_invitee_in_order_and_a_signature_column(
    meeting, invited, users, client_as
):
    admin = users["federation_admin"]
    services.leave_request(
        acting_user=admin, registration=invited["孙三"], reason="出差", now=at(8)
    )
    response = client_as("federation_admin").get(
        reverse("events:console_roll_pdf", args=[meeting.slug])
    )
    assert response["Content-Type"] == "application/pdf"
    document = pypdfium2.PdfDocument(response_body(response))
    width, height = document[0].get_size()
    assert (round(width / 72 * 25.4), round(height / 72 * 25.4)) == (210, 297)  # A4
    text = "".join(page.get_textpage().get_text_range() for page in document)
    assert "市总工会直属机关干部大会" in text
    assert "机关大楼三楼会议室" in text
    assert "签到表" in text
    assert "签名" in text
    assert "请假" in text
    names = [row.name for row in meeting_roll(meeting).rows]
    assert sorted(names) == sorted(invited)
    places = [text.index(name) for name in names]
    assert places == sorted(places)
    assert LogEntry.objects.filter(action="events.roll.exported", data__kind="pdf").exists()


def test_a_long_roll_runs_over_pages_each_headed(meeting, users, world):
    admin = users["federation_admin"]
    crowd = [make_member(world.grassroots, 500 + n, name=f"干部{n:02d}") for n in range(40)]
    services.meeting_invite(acting_user=admin, event=meeting, members=crowd)
    document = pypdfium2.PdfDocument(roll_pdf(meeting, meeting_roll(meeting)))
    assert len(document) >= 2
    pages = [page.get_textpage().get_text_range() for page in document]
    assert all("签名" in page for page in pages)
    assert "干部00" in pages[0]
    assert "干部39" in pages[-1]


def test_the_roll_page_takes_as_many_queries_for_five_invitees_as_for_forty(
    meeting, invited, users, world
):
    client = signed_in(users["federation_admin"])
    url = reverse("events:console_roll", args=[meeting.slug])

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured.captured_queries)

    few = queries()
    crowd = [make_member(world.grassroots, 600 + n, name=f"列席{n:02d}") for n in range(35)]
    admin = users["federation_admin"]
    outcome = services.meeting_invite(acting_user=admin, event=meeting, members=crowd)
    for registration in outcome.invited[:10]:
        services.sign_in_by_list(acting_user=admin, event=meeting, registration=registration)
    assert queries() == few


def test_saving_a_meetings_settings_keeps_its_invitation_list(meeting, invited, users, world):
    data = event_form_data(
        world,
        slug=meeting.slug,
        kind="meeting",
        title="市总工会直属机关干部大会（改期）",
        audience="all",  # the settings' own audience changed: the roll's invitees stay
        starts_at=local(meeting.starts_at),
        ends_at=local(meeting.ends_at),
        registration_opens_at=local(meeting.registration_opens_at),
        registration_closes_at=local(meeting.registration_closes_at),
        unit=str(meeting.unit_id),
    )
    for name in ("members_register", "teams_register", "waiting_list"):
        data.pop(name)
    response = signed_in(users["federation_admin"]).post(
        reverse("events:console_edit", args=[meeting.slug]), data
    )
    assert response.status_code == 302, response_body(response).decode()[:2000]
    meeting.refresh_from_db()
    assert meeting.title == "市总工会直属机关干部大会（改期）"
    invitees = EventInvitee.objects.filter(event=meeting).values_list("member__name", flat=True)
    assert sorted(invitees) == sorted(invited)
    assert meeting_roll(meeting).total == len(invited)


def test_each_invitee_is_told_by_sms_and_a_linked_login_in_the_inbox(meeting, people, users):
    login = users["member"]
    member_user_link(acting_user=None, member=people[0], user=login)
    people[0].refresh_from_db()
    with translation.override("en"):
        outcome = services.meeting_invite(
            acting_user=users["federation_admin"], event=meeting, members=people
        )
    texts = dict(OutgoingMessage.objects.values_list("to", "body"))
    assert set(texts) == {person.mobile for person in people}
    assert all(f"You are invited to “{meeting.title}”" in body for body in texts.values())
    assert all(meeting.venue in body for body in texts.values())
    [notice] = Notification.objects.filter(recipient=login)
    first = next(r for r in outcome.invited if r.member_id == people[0].pk)
    assert notice.link == reverse("events:registration", args=[first.pk])
    # inviting them again tells no one twice
    services.meeting_invite(acting_user=users["federation_admin"], event=meeting, members=people)
    assert OutgoingMessage.objects.count() == len(people)
