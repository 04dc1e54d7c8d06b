"""The demo's course (``huigong-2024``): 永川区's 2024 惠工课堂, its sixty places taken and a
few waiting, half-way on the day of its showcase — the classes held with their attendance (by
the gate and by the roll call), the rest to come, its members' standings mixed — and the
showcase (``huigong-2024-zhanyan``) whose acts the course's members perform; ``laurel events
list`` counting everyone who came; a second run changing nothing."""

import io
from datetime import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from laurel.core.completion import Standing
from laurel.demo.loaders import course as demo_course
from laurel.demo.loaders.logins import MEMBER_LOGIN_ID_CARD
from laurel.events.models import Act, CheckIn, CourseSession, Event, Registration, RollCallMark
from laurel.events.selectors import Presence, course_attendance, programme
from laurel.notifications.models import OutgoingMessage

# a world whose 永川区 has more members than the course takes (63 besides 万承尧)
COMMAND = ("demo", "--only", "units,members,logins,course", "--members", "2200")


def snapshot() -> dict:
    return {
        model.__name__: list(model.objects.order_by("pk").values())
        for model in (Event, CourseSession, Registration, CheckIn, RollCallMark, Act)
    }


def local(moment: datetime):
    return timezone.make_aware(moment)  # the bulletin's dates: no --today, no photo contest


@pytest.mark.django_db
def test_the_demo_loads_the_course_half_way_with_its_showcase_once():
    """One load (the slow part), each part checked by its own function below."""
    out = io.StringIO()
    call_command(*COMMAND, stdout=out)
    course_half_way_on_its_showcase_day(out.getvalue())
    showcase_performed_by_the_courses_members()
    events_list_counting_everyone_who_came()
    before = snapshot()
    call_command(*COMMAND, stdout=io.StringIO())
    assert snapshot() == before


def course_half_way_on_its_showcase_day(printed: str) -> None:
    event = Event.objects.get(slug="huigong-2024")
    assert (event.kind, event.state) == (Event.Kind.COURSE, Event.State.CLOSED)
    assert event.unit.code == "cq/yongchuan"
    assert "惠工课堂" in event.title
    assert (event.completion_percent, event.capacity) == (80, 60)
    sessions = list(event.sessions.all())
    assert len(sessions) == 12
    assert sessions[0].starts_at == local(datetime(2024, 3, 5, 19))  # noqa: DTZ001 - local
    assert sessions[-1].starts_at == local(datetime(2024, 5, 28, 19))  # noqa: DTZ001 - local
    assert all(session.teacher for session in sessions)
    # sixty places held, those who did not get one waiting, one cancelled before the start
    states = {
        state: event.registrations.filter(state=state).count() for state in Registration.State
    }
    assert states[Registration.State.REGISTERED] == 60
    assert states[Registration.State.WAITING] == demo_course.APPLICANTS - 60 - 1
    assert states[Registration.State.CANCELLED] == 1
    enrolled = event.registrations.filter(state=Registration.State.REGISTERED)
    assert not enrolled.exclude(member__unit__path__startswith=event.unit.path).exists()

    showcase_ends = local(demo_course.SHOWCASE_ENDS)
    attendance = course_attendance(event, now=showcase_ends)
    held = [s for s in sessions if s.ends_at <= showcase_ends]
    assert len(held) == 8  # the classes before the showcase; four to come
    recorded = set(RollCallMark.objects.values_list("session", flat=True))
    recorded |= set(CheckIn.objects.values_list("session", flat=True))
    assert recorded == {session.pk for session in held}
    for row in attendance.rows:
        presences = [mark.presence for mark in row.classes]
        assert Presence.TO_COME not in presences[:8]
        assert presences[8:] == [Presence.TO_COME] * 4
    # most came, some by the gate and most by the roll call; the absent marked so
    marks = [mark for row in attendance.rows for mark in row.classes[:8]]
    present = [mark for mark in marks if mark.presence == Presence.PRESENT]
    by_gate = [mark for mark in present if mark.checked_in and mark.marked is None]
    by_roll_call = [mark for mark in present if mark.marked]
    assert len(present) > 0.8 * len(marks)
    assert len(by_roll_call) > len(by_gate) > 0.1 * len(present)
    assert len(by_gate) + len(by_roll_call) == len(present)
    absent = [mark for mark in marks if mark.presence == Presence.ABSENT]
    assert absent
    assert all(mark.marked is False for mark in absent)
    # standings mixed: nobody completed yet (ten of twelve needed, eight held)
    assert attendance.needed == 10
    assert attendance.count(Standing.COMPLETED) == 0
    assert attendance.count(Standing.ON_TRACK) > 40
    assert attendance.count(Standing.OUT_OF_REACH) > 0
    # the member login's 万承尧 is enrolled and came to every class held
    [own] = [r for r in attendance.rows if r.registration.member.id_card == MEMBER_LOGIN_ID_CARD]
    assert (own.progress.attended, own.progress.standing) == (8, Standing.ON_TRACK)
    # the teacher's roll calls by the check-in staff login, who keeps the course's gate
    assert set(RollCallMark.objects.values_list("marked_by__username", flat=True)) == {"checkin"}
    assert event.staff.filter(user__username="checkin").exists()
    # no certificates: the course is not over
    assert not event.certificates.exists()
    # enrolments in the story's time
    created = {r.created_at for r in event.registrations.all()}
    assert all(local(demo_course.REGISTRATION_OPENS) <= at < event.starts_at for at in created)
    login_enrolled = event.registrations.get(member__id_card=MEMBER_LOGIN_ID_CARD)
    assert login_enrolled.created_at == local(demo_course.LOGIN_ENROLS)
    # the one moved up was told by SMS when the place was freed, in the story's time
    [told] = OutgoingMessage.objects.filter(body__contains=event.title)
    assert told.created_at == local(demo_course.ONE_CANCELS)

    counts = (
        attendance.count(Standing.ON_TRACK),
        attendance.count(Standing.OUT_OF_REACH),
    )
    assert (
        f"Event huigong-2024: {event.get_state_display()}, 60 enrolled (3 waiting); on 2024-04-25 "
        f"8 of 12 classes held, 0 completed, {counts[0]} on track, {counts[1]} cannot complete"
    ) in printed


def showcase_performed_by_the_courses_members() -> None:
    course = Event.objects.get(slug="huigong-2024")
    showcase = Event.objects.get(slug="huigong-2024-zhanyan")
    assert (showcase.kind, showcase.state) == (Event.Kind.PERFORMANCE, Event.State.ENDED)
    assert showcase.showcase_of == course
    assert showcase.title == "“中国梦·劳动美”永川区庆五一暨2024年“惠工课堂”展演"
    starts = timezone.localtime(showcase.starts_at)
    assert (starts.year, starts.month, starts.day) == (2024, 4, 25)  # the bulletin's day
    shown = programme(showcase)
    assert [row.act.title for row in shown.acts] == [title for title, *_ in demo_course.ACTS]
    assert {"合唱", "舞蹈", "诗朗诵", "书法展示", "器乐"} <= {row.act.kind for row in shown.acts}
    students = set(
        course.registrations.filter(state=Registration.State.REGISTERED).values_list(
            "member", flat=True
        )
    )
    for row in shown.acts:
        performers = set(row.act.members.values_list("pk", flat=True))
        assert performers, row.act.title
        assert performers <= students, row.act.title
    reciting = Act.objects.get(event=showcase, kind="诗朗诵")
    assert reciting.members.filter(id_card=MEMBER_LOGIN_ID_CARD).exists()  # 万承尧
    finale = shown.acts[-1].act
    performed = {member for row in shown.acts[:-1] for member in row.act.members.all()}
    assert set(finale.members.all()) == performed


def events_list_counting_everyone_who_came() -> None:
    course = Event.objects.get(slug="huigong-2024")
    # the gate's and the roll call's people: nobody both scanned and marked at one class
    scanned = set(CheckIn.objects.values_list("session", "registration"))
    assert not scanned & set(RollCallMark.objects.values_list("session", "registration"))
    came = {
        *RollCallMark.objects.filter(present=True).values_list("registration", flat=True),
        *(registration for _session, registration in scanned),
    }
    out = io.StringIO()
    call_command("events", "list", stdout=out)
    [line] = [line for line in out.getvalue().splitlines() if line.startswith("huigong-2024,")]
    starts = timezone.localtime(course.starts_at).isoformat()
    assert line == f"huigong-2024,course,{course.title},{starts},60,{len(came)}"
    assert 50 < len(came) <= 60
