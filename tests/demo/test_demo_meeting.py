"""The demo's cadres' meeting (``ganbu-2024-04-29``): the federation's meeting of 29 April 2024
as the bulletin tells it, its invitees signed in by QR code or ticked, a few late, three on
leave with their reasons, a few absent, ended — in the 2024 story's time; a second run
changes nothing."""

import io
from datetime import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from laurel.demo.loaders import meeting as demo_meeting
from laurel.demo.loaders.logins import MEMBER_LOGIN_ID_CARD
from laurel.events.models import CheckIn, Event, EventInvitee, Registration, Ticket
from laurel.events.selectors import meeting_roll
from laurel.members.models import Member
from laurel.notifications.models import OutgoingMessage
from laurel.orgs.models import Unit


def snapshot() -> dict:
    return {
        model.__name__: list(model.objects.order_by("pk").values())
        for model in (Event, EventInvitee, Registration, Ticket, CheckIn)
    }


@pytest.mark.django_db
def test_the_demo_loads_the_cadres_meeting_once_with_its_sign_ins_and_leave():
    out = io.StringIO()
    command = ("demo", "--only", "units,members,logins,meeting", "--members", "40")
    call_command(*command, stdout=out)
    event = Event.objects.get(slug="ganbu-2024-04-29")
    assert event.kind == Event.Kind.MEETING
    assert event.state == Event.State.ENDED
    assert event.title == "市总工会直属机关干部大会暨党纪学习教育推进会"
    assert event.unit.code == "cq"
    assert event.audience == Event.Audience.INVITED
    starts = timezone.make_aware(datetime(2024, 4, 29, 9))  # noqa: DTZ001 - local time
    assert event.starts_at == starts  # the bulletin's day: no --today, no photo contest

    roll = meeting_roll(event)
    # in a world of 40 (fewer than 60): everyone outside 云阳县 (its carnival's county), and 万承尧
    county = Unit.objects.get(code="cq/yunyang").path
    invited = Member.objects.exclude(unit__path__startswith=county).count()
    assert 30 < invited <= 41
    assert roll.total == invited == EventInvitee.objects.filter(event=event).count()
    late, on_leave, absent = demo_meeting.LATE, len(demo_meeting.LEAVE), demo_meeting.ABSENT
    assert roll.counts == {
        "on_time": invited - late - on_leave - absent,
        "late": late,
        "on_leave": on_leave,
        "absent": absent,
        "expected": 0,
    }
    reasons = {row.leave_reason for row in roll.rows if row.standing == "on_leave"}
    assert reasons == {reason for _when, reason, _themself in demo_meeting.LEAVE}
    methods = [row.method for row in roll.rows if row.signed_in_at]
    assert methods.count("list") == demo_meeting.TICKED + 1  # and the last latecomer
    assert methods.count("scan") == invited - on_leave - absent - demo_meeting.TICKED - 1
    assert all(row.signed_in_at.date() == starts.date() for row in roll.rows if row.signed_in_at)
    # the member login's own record is invited and came through the door
    login_member = Member.objects.get(id_card=MEMBER_LOGIN_ID_CARD)
    [own] = [row for row in roll.rows if row.registration.member_id == login_member.pk]
    assert (own.standing, own.method) == ("on_time", "scan")
    # the invitations in the story's time
    created = {r.created_at for r in Registration.objects.filter(event=event)}
    assert created == {timezone.make_aware(demo_meeting.INVITED)}
    # each invitee told by SMS, when the story invited them
    told = OutgoingMessage.objects.filter(body__contains=event.title)
    assert told.count() == invited
    assert set(told.values_list("created_at", flat=True)) == {
        timezone.make_aware(demo_meeting.INVITED)
    }

    before = snapshot()
    call_command(*command, stdout=io.StringIO())
    assert snapshot() == before
