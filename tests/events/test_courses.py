"""Courses (Events IV, 惠工课堂): a course's classes, attendance by a check-in inside a class's
window or by the teacher's roll call (a mark deciding over the gate), each member's progress
towards completion at the course's share of classes — exactly at it and just below —, the
completion certificates issued and revoked, and the checks on a course's and a showcase's
settings; every write audited."""

import re
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from laurel.audit.models import LogEntry
from laurel.core.completion import Standing
from laurel.events import services
from laurel.events.models import CheckIn, CourseCertificate, CourseSession, Event, RollCallMark
from laurel.events.selectors import Presence, course_attendance
from laurel.members.models import Member
from laurel.members.services import member_user_link
from laurel.notifications.models import Notification
from tests.conftest import make_member
from tests.events.check_ins import scan
from tests.events.conftest import at

PRESENT, ABSENT, TO_COME = Presence.PRESENT, Presence.ABSENT, Presence.TO_COME
LENGTH = timedelta(hours=2)  # every class: 19:00–21:00, a week apart


def class_start(n: int):
    """The start of the course's class ``n`` (from 0): weekly at 19:00 from the fixtures' day."""
    return at(19) + timedelta(days=7 * n)


def after(event: Event):
    """A moment after the course's last class."""
    return event.sessions.order_by("starts_at").last().ends_at + timedelta(days=1)


@pytest.fixture
def admin(users):
    return users["federation_admin"]


@pytest.fixture
def teacher(make_user):
    """The teacher who takes the roll calls: a check-in staff login."""
    return make_user("checkin_staff", display_name="陈雪梅")


@pytest.fixture
def course_factory(event_factory, admin):
    """``make(classes=4, percent=80, **fields)``: an open course of the federation with its
    weekly classes (``class_start``), for members registering themselves."""

    def make(*, classes: int = 4, percent: int | None = 80, **fields) -> Event:
        values = {
            "booths": {},
            "kind": Event.Kind.COURSE,
            "title": "2024年“惠工课堂”职工素质提升班",
            "venue": "永川区工人文化宫",
            "starts_at": class_start(0),
            "ends_at": class_start(classes - 1) + LENGTH,
            "completion_percent": percent,
        }
        event = event_factory(**{**values, **fields})
        for n in range(classes):
            services.session_save(
                acting_user=admin,
                event=event,
                topic=f"第{n + 1}课",
                starts_at=class_start(n),
                ends_at=class_start(n) + LENGTH,
                teacher="陈雪梅",
            )
        return event

    return make


@pytest.fixture
def people(world):
    counter = iter(range(500, 600))
    return lambda n: [make_member(world.grassroots, next(counter)) for _ in range(n)]


def enrol(event: Event, member):
    return services.registration_create(acting_user=None, event=event, member=member).registration


def classes_of(event: Event) -> list[CourseSession]:
    return list(event.sessions.order_by("starts_at"))


def mark(teacher, session, registration, present: bool, *, now=None):
    """The teacher's mark at ``session``'s roll call, taken ten minutes into the class."""
    return services.roll_call_mark(
        acting_user=teacher,
        session=session,
        registration=registration,
        present=present,
        now=now or session.starts_at + timedelta(minutes=10),
    )


def row_of(event: Event, registration, now):
    [row] = [
        row
        for row in course_attendance(event, now=now).rows
        if row.registration.pk == registration.pk
    ]
    return row


def presences(event: Event, registration, now) -> list[Presence]:
    return [held.presence for held in row_of(event, registration, now).classes]


def check_in(event: Event, registration, moment):
    """The registration's ticket scanned at the course's door at ``moment`` (refused or not)."""
    with translation.override("en"):
        return services.ticket_check_in(
            acting_user=None,
            event=event,
            scanned=services.ticket_of(registration).payload,
            device="文化宫门口",
            now=moment,
        )


# --- completion at the share, exactly and just below ------------------------------------------


@pytest.mark.parametrize(
    ("classes", "percent", "needed", "attended", "standing"),
    [
        (10, 80, 8, 8, Standing.COMPLETED),
        (10, 80, 8, 7, Standing.OUT_OF_REACH),
        (9, 75, 7, 7, Standing.COMPLETED),  # 6.75 rounds up to 7
        (9, 75, 7, 6, Standing.OUT_OF_REACH),
    ],
)
def test_a_member_completes_exactly_at_the_courses_share_and_not_one_class_below(
    course_factory, people, teacher, classes, percent, needed, attended, standing
):
    event = course_factory(classes=classes, percent=percent)
    registration, classmate = [enrol(event, member) for member in people(2)]
    for n, session in enumerate(classes_of(event)):
        mark(teacher, session, classmate, present=True)  # each class's roll call taken
        if n < attended:
            mark(teacher, session, registration, present=True)
        elif n % 2:  # of the others, some marked absent, some with nothing recorded for them
            mark(teacher, session, registration, present=False)
    attendance = course_attendance(event, now=after(event))
    assert (attendance.percent, attendance.needed) == (percent, needed)
    [row] = [row for row in attendance.rows if row.registration == registration]
    assert (row.progress.attended, row.progress.classes, row.progress.to_come) == (
        attended,
        classes,
        0,
    )
    assert row.progress.needed == needed
    assert row.progress.standing == standing
    assert attendance.count(standing) == 1 + (standing == Standing.COMPLETED)  # the classmate's


def test_a_course_without_a_share_asks_for_every_class(course_factory, people, teacher):
    event = course_factory(classes=3, percent=None)
    [registration] = [enrol(event, member) for member in people(1)]
    sessions = classes_of(event)
    mark(teacher, sessions[0], registration, present=True)
    mark(teacher, sessions[1], registration, present=True)
    attendance = course_attendance(event, now=sessions[1].ends_at)
    assert (attendance.percent, attendance.needed) == (100, 3)
    assert attendance.rows[0].progress.standing == Standing.ON_TRACK
    mark(teacher, sessions[2], registration, present=True)
    assert course_attendance(event, now=after(event)).rows[0].progress.standing == (
        Standing.COMPLETED
    )


# --- what counts at a class: a mark, a check-in, or neither -----------------------------------


def test_a_check_in_inside_the_window_counts_without_a_mark(course_factory, people):
    event = course_factory()
    [registration] = [enrol(event, member) for member in people(1)]
    first = classes_of(event)[0]
    scan(registration, at=first.starts_at - timedelta(minutes=5))
    [held, *_rest] = row_of(event, registration, after(event)).classes
    assert (held.presence, held.marked, held.checked_in) == (PRESENT, None, True)
    assert row_of(event, registration, after(event)).progress.attended == 1


def test_an_absent_mark_wins_over_a_check_in_at_the_same_class(course_factory, people, teacher):
    event = course_factory()
    [registration] = [enrol(event, member) for member in people(1)]
    first = classes_of(event)[0]
    scanned_at = first.starts_at - timedelta(minutes=5)
    scan(registration, at=scanned_at)
    registration.refresh_from_db()
    assert registration.checked_in_at == scanned_at
    mark(teacher, first, registration, present=False)  # came in, left before the roll call
    [held, *_rest] = row_of(event, registration, after(event)).classes
    assert (held.presence, held.marked, held.checked_in) == (ABSENT, False, True)
    assert row_of(event, registration, after(event)).progress.attended == 0
    registration.refresh_from_db()
    assert registration.checked_in_at is None  # the one time they came does not count


def test_a_present_mark_counts_without_a_check_in(course_factory, people, teacher):
    event = course_factory()
    [registration] = [enrol(event, member) for member in people(1)]
    first = classes_of(event)[0]
    mark(teacher, first, registration, present=True)
    [held, *_rest] = row_of(event, registration, after(event)).classes
    assert (held.presence, held.marked, held.checked_in) == (PRESENT, True, False)
    registration.refresh_from_db()
    assert registration.checked_in_at == first.starts_at


def test_a_class_is_to_come_until_it_ends_with_attendance_recorded_and_then_absent(
    course_factory, people, teacher
):
    event = course_factory(classes=3)
    nothing, marked_absent, came = (enrol(event, member) for member in people(3))
    first, second, _third = classes_of(event)
    during_second = second.starts_at + timedelta(minutes=30)
    # the first class has ended, but nobody's attendance was recorded at it: not yet recorded
    assert presences(event, nothing, during_second) == [TO_COME] * 3
    mark(teacher, second, marked_absent, present=False, now=during_second)
    scan(came, at=second.starts_at - timedelta(minutes=1))
    assert presences(event, nothing, during_second) == [TO_COME, TO_COME, TO_COME]
    assert presences(event, marked_absent, during_second) == [TO_COME, ABSENT, TO_COME]
    assert presences(event, came, during_second) == [TO_COME, PRESENT, TO_COME]
    progress = row_of(event, nothing, during_second).progress
    assert (progress.attended, progress.to_come, progress.percent_attended) == (0, 3, 0)
    # the second class has ended, with attendance recorded: who is not recorded was absent
    assert presences(event, nothing, second.ends_at) == [TO_COME, ABSENT, TO_COME]
    assert presences(event, nothing, second.ends_at - timedelta(seconds=1)) == [TO_COME] * 3
    # a roll call sent late for the first class: the others are absent at it from then on
    mark(teacher, first, came, present=True, now=second.ends_at)
    assert presences(event, nothing, second.ends_at) == [ABSENT, ABSENT, TO_COME]
    assert presences(event, came, second.ends_at) == [PRESENT, PRESENT, TO_COME]
    assert presences(event, nothing, first.starts_at - timedelta(days=1)) == [TO_COME] * 3


def test_only_members_holding_their_place_are_on_the_courses_rows(course_factory, people):
    event = course_factory(capacity=2)
    first, second, waiting = (enrol(event, member) for member in people(3))
    services.registration_cancel(acting_user=None, registration=second)
    waiting.refresh_from_db()  # moved up into the place freed
    rows = course_attendance(event, now=after(event)).rows
    assert {row.registration.pk for row in rows} == {first.pk, waiting.pk}


def test_course_attendance_reads_in_the_same_queries_whatever_the_number_of_members(
    course_factory, people, teacher
):
    def queries(members: int) -> int:
        event = course_factory(classes=3)
        for member in people(members):
            registration = enrol(event, member)
            for session in classes_of(event):
                mark(teacher, session, registration, present=True)
        now = after(event)
        with CaptureQueriesContext(connection) as captured:
            course_attendance(event, now=now)
        return len(captured)

    assert queries(1) == queries(5) == 5  # classes, members, marks, check-ins, classes recorded


# --- the gate: a check-in filed under the class on ------------------------------------------


def test_a_scan_is_filed_under_the_class_in_whose_window_it_falls(course_factory, people):
    event = course_factory(classes=3)
    [registration] = [enrol(event, member) for member in people(1)]
    first, second, _third = classes_of(event)
    came = first.starts_at - CourseSession.CHECK_IN_EARLY  # the earliest the gate takes it
    outcome = check_in(event, registration, came)
    assert outcome.ok, outcome.message
    assert outcome.check_in.session == first
    # scanned again in the same class: a duplicate of the first
    again = check_in(event, registration, first.ends_at)
    assert (again.ok, again.reason) == (False, "duplicate")
    assert again.check_in.duplicate_of == outcome.check_in
    assert again.check_in.session == first
    # the next week's class: a check-in of its own
    next_week = check_in(event, registration, second.starts_at + timedelta(minutes=3))
    assert next_week.ok, next_week.message
    assert (next_week.check_in.session, next_week.check_in.duplicate_of) == (second, None)
    # the third class: nobody checked in or marked, so not yet recorded
    assert presences(event, registration, after(event)) == [PRESENT, PRESENT, TO_COME]
    registration.refresh_from_db()
    assert registration.checked_in_at == came  # the first time they came


@pytest.mark.parametrize(
    "moment",
    [
        lambda first: first.starts_at - CourseSession.CHECK_IN_EARLY - timedelta(seconds=1),
        lambda first: first.ends_at + timedelta(seconds=1),
        lambda first: first.starts_at + timedelta(days=3),
    ],
    ids=["before-the-window", "after-the-class", "between-classes"],
)
def test_a_scan_outside_every_classs_window_is_refused_as_no_class(course_factory, people, moment):
    event = course_factory(classes=2)
    [registration] = [enrol(event, member) for member in people(1)]
    outcome = check_in(event, registration, moment(classes_of(event)[0]))
    assert (outcome.ok, outcome.reason) == (False, "no-class")
    assert outcome.message == f"No class of “{event.title}” takes check-ins now."
    assert not CheckIn.objects.filter(registration=registration).exists()
    registration.refresh_from_db()
    assert registration.checked_in_at is None
    assert LogEntry.objects.filter(action="events.ticket.refused", data__reason="no-class").count()


# --- when a member first came -----------------------------------------------------------------


def test_came_at_is_the_first_time_they_came_and_follows_the_marks_corrected(
    course_factory, people, teacher
):
    event = course_factory(classes=3)
    [registration] = [enrol(event, member) for member in people(1)]
    first, second, _third = classes_of(event)

    def came_at():
        registration.refresh_from_db()
        return registration.checked_in_at

    scanned_at = second.starts_at - timedelta(minutes=8)
    scan(registration, at=scanned_at)
    assert came_at() == scanned_at
    later = second.ends_at  # the teacher fills in the first class's roll call late
    mark(teacher, first, registration, present=True, now=later)
    assert came_at() == first.starts_at
    mark(teacher, first, registration, present=False, now=later)  # corrected
    assert came_at() == scanned_at
    mark(teacher, second, registration, present=False, now=later)  # they left early
    assert came_at() is None
    services.came_at_refresh(registration)  # nothing more to find
    assert came_at() is None


def test_the_only_present_mark_becoming_absent_clears_when_they_came(
    course_factory, people, teacher
):
    event = course_factory()
    [registration] = [enrol(event, member) for member in people(1)]
    first = classes_of(event)[0]
    mark(teacher, first, registration, present=True)
    registration.refresh_from_db()
    assert registration.checked_in_at == first.starts_at
    mark(teacher, first, registration, present=False)
    registration.refresh_from_db()
    assert registration.checked_in_at is None


# --- the roll call --------------------------------------------------------------------------


def test_marking_again_changes_the_one_mark_and_each_mark_is_audited(
    course_factory, people, teacher
):
    event = course_factory()
    [registration] = [enrol(event, member) for member in people(1)]
    first = classes_of(event)[0]
    mark(teacher, first, registration, present=True)
    corrected = mark(teacher, first, registration, present=False, now=first.ends_at)
    assert RollCallMark.objects.filter(registration=registration).count() == 1
    stored = RollCallMark.objects.get(pk=corrected.pk)
    assert (stored.present, stored.marked_by, stored.marked_at) == (False, teacher, first.ends_at)
    entries = LogEntry.objects.filter(action="events.roll_call.marked").order_by("pk")
    assert [(e.actor, e.data["present"], e.data["changed"]) for e in entries] == [
        (teacher, True, False),
        (teacher, False, True),
    ]
    assert entries[0].data["event"] == event.slug
    assert entries[0].data["topic"] == first.topic


def test_the_roll_call_opens_when_the_classs_check_in_does(course_factory, people, teacher):
    event = course_factory()
    [registration] = [enrol(event, member) for member in people(1)]
    first = classes_of(event)[0]
    opens = first.starts_at - CourseSession.CHECK_IN_EARLY
    assert not services.roll_call_open(first, opens - timedelta(seconds=1))
    with translation.override("en"), pytest.raises(ValidationError, match="not open"):
        mark(teacher, first, registration, present=True, now=opens - timedelta(seconds=1))
    assert not RollCallMark.objects.exists()
    assert services.roll_call_open(first, opens)
    mark(teacher, first, registration, present=True, now=opens)
    assert RollCallMark.objects.filter(session=first, present=True).count() == 1


def test_only_a_member_enrolled_in_the_course_is_on_its_roll(course_factory, people, teacher):
    event = course_factory(capacity=2)
    kept, cancelled, moved_up, waiting = (enrol(event, member) for member in people(4))
    services.registration_cancel(acting_user=None, registration=cancelled)
    moved_up.refresh_from_db()
    waiting.refresh_from_db()
    assert (moved_up.state, waiting.state) == (waiting.State.REGISTERED, waiting.State.WAITING)
    first = classes_of(event)[0]
    mark(teacher, first, moved_up, present=True)  # enrolled now
    for refused in (cancelled, waiting):
        with translation.override("en"), pytest.raises(ValidationError, match="enrolled"):
            mark(teacher, first, refused, present=True)
    assert RollCallMark.objects.count() == 1
    mark(teacher, first, kept, present=True)
    assert RollCallMark.objects.count() == 2


def test_a_registration_of_another_course_is_a_programming_error(course_factory, people, teacher):
    event, other = course_factory(), course_factory()
    [registration] = [enrol(other, member) for member in people(1)]
    with pytest.raises(ValueError, match="another course"):
        mark(teacher, classes_of(event)[0], registration, present=True)
    assert not RollCallMark.objects.exists()


# --- a course's classes ------------------------------------------------------------------------


def test_a_class_added_is_audited_and_only_a_course_has_classes(
    course_factory, event_factory, admin
):
    event = course_factory(classes=1)
    added = LogEntry.objects.get(action="events.session.added")
    assert (added.actor, added.data["event"], added.data["topic"]) == (admin, event.slug, "第1课")
    assert added.data["starts_at"] == timezone.localtime(class_start(0)).isoformat()
    carnival = event_factory(booths={})
    with translation.override("en"), pytest.raises(ValidationError, match="Only a course"):
        services.session_save(
            acting_user=admin,
            event=carnival,
            topic="声乐基础",
            starts_at=class_start(0),
            ends_at=class_start(0) + LENGTH,
        )
    assert not carnival.sessions.exists()


def test_a_class_must_end_after_it_starts_and_takes_only_its_fields(course_factory, admin):
    event = course_factory(classes=1)
    with pytest.raises(ValidationError) as refused:
        services.session_save(
            acting_user=admin,
            event=event,
            topic="声乐基础",
            starts_at=class_start(1),
            ends_at=class_start(1),
        )
    assert "ends_at" in refused.value.message_dict
    with pytest.raises(ValueError, match="not class fields"):
        services.session_save(acting_user=admin, event=event, topic="声乐基础", venue="礼堂")
    assert event.sessions.count() == 1


@pytest.mark.parametrize("recorded", ["mark", "check-in"])
def test_a_class_with_attendance_keeps_its_times_and_cannot_be_deleted(
    course_factory, people, teacher, admin, recorded
):
    event = course_factory(classes=2)
    [registration] = [enrol(event, member) for member in people(1)]
    first, second = classes_of(event)
    if recorded == "mark":
        mark(teacher, first, registration, present=True)
    else:
        scan(registration, at=first.starts_at)
    # what it teaches and who teaches it may still change, and the same times again
    services.session_save(
        acting_user=admin,
        event=event,
        session=first,
        topic="声乐基础：科学发声",
        teacher="刘建华",
        place="二楼排练厅",
        starts_at=first.starts_at,
    )
    first.refresh_from_db()
    assert (first.topic, first.teacher, first.place) == (
        "声乐基础：科学发声",
        "刘建华",
        "二楼排练厅",
    )
    assert LogEntry.objects.filter(action="events.session.changed").count() == 1
    for moved in (
        {"starts_at": first.starts_at + timedelta(minutes=30)},
        {"ends_at": first.ends_at + timedelta(minutes=30)},
    ):
        with translation.override("en"), pytest.raises(ValidationError, match="attendance"):
            services.session_save(acting_user=admin, event=event, session=first, **moved)
    with translation.override("en"), pytest.raises(ValidationError, match="attendance"):
        services.session_delete(acting_user=admin, session=first)
    first.refresh_from_db()
    assert (first.starts_at, first.ends_at) == (class_start(0), class_start(0) + LENGTH)
    # the class without attendance moves, and goes
    services.session_save(
        acting_user=admin,
        event=event,
        session=second,
        starts_at=class_start(2),
        ends_at=class_start(2) + LENGTH,
    )
    second.refresh_from_db()
    assert (second.starts_at, second.ends_at) == (class_start(2), class_start(2) + LENGTH)
    services.session_delete(acting_user=admin, session=second)
    assert list(event.sessions.all()) == [first]
    deleted = LogEntry.objects.get(action="events.session.deleted")
    assert (deleted.data["event"], deleted.data["topic"]) == (event.slug, "第2课")


# --- completion certificates ------------------------------------------------------------------


@pytest.fixture
def completed(course_factory, people, teacher, make_user, world):
    """A course of five classes at 80 % (four needed), every class held: 甲 attended all
    five, 乙 four, 丙 three and 丁 none; each with a login."""
    event = course_factory(classes=5, percent=80)
    registrations = {}
    for name, member, attended in zip("甲乙丙丁", people(4), (5, 4, 3, 0), strict=True):
        member.name = name
        member.save(update_fields=["name"])
        login = make_user("member", world.grassroots)
        member_user_link(acting_user=None, member=member, user=login)
        registration = enrol(event, member)
        for n, session in enumerate(classes_of(event)):
            mark(teacher, session, registration, present=n < attended)
        registrations[name] = registration
    return event, registrations


def told(registration) -> list[Notification]:
    """What the registration's member was told in their inbox, oldest first."""
    user = Member.objects.get(pk=registration.member_id).user
    return list(Notification.objects.filter(recipient=user).order_by("pk"))


def test_certificates_are_issued_to_those_who_completed_numbered_by_year_course_and_sequence(
    completed, admin
):
    event, people = completed
    now = after(event)
    outcome = services.certificates_issue(acting_user=admin, event=event, now=now)
    assert outcome.revoked == []
    issued = {c.registration_id: c for c in outcome.issued}
    assert set(issued) == {people["甲"].pk, people["乙"].pk}
    year = timezone.localtime(event.starts_at).year
    numbers = {c.number for c in outcome.issued}
    assert numbers == {f"{year}K{event.pk:04d}0001", f"{year}K{event.pk:04d}0002"}
    assert all(re.fullmatch(r"\d{4}K\d{8}", number) for number in numbers)
    first = CourseCertificate.objects.get(registration=people["乙"])
    assert (first.recipient, first.unit, first.attended, first.classes) == (
        "乙",
        people["乙"].unit.name,
        4,
        5,
    )
    assert (first.issued_on, first.issued_by, first.revoked_at) == (
        timezone.localdate(now),
        admin,
        None,
    )
    # each holder told once, with a link to their course; the others not at all
    for name in "甲乙":
        [notice] = told(people[name])
        assert notice.link == reverse("events:my_course", args=[event.slug])
        assert issued[people[name].pk].number in notice.body
    assert told(people["丙"]) == told(people["丁"]) == []
    entry = LogEntry.objects.get(action="events.certificates.issued")
    assert (entry.actor, entry.data["event"]) == (admin, event.slug)
    assert sorted(entry.data["issued"]) == sorted(numbers)
    assert entry.data["revoked"] == []


def test_issuing_again_issues_nothing_more(completed, admin):
    event, people = completed
    services.certificates_issue(acting_user=admin, event=event, now=after(event))
    again = services.certificates_issue(acting_user=admin, event=event, now=after(event))
    assert (again.issued, again.revoked) == ([], [])
    assert CourseCertificate.objects.count() == 2
    assert [len(told(people[name])) for name in "甲乙"] == [1, 1]


def test_a_corrected_mark_revokes_the_certificate_and_issuing_later_gives_a_new_number(
    completed, admin, teacher
):
    event, people = completed
    first = services.certificates_issue(acting_user=admin, event=event, now=after(event))
    [kept] = [c for c in first.issued if c.registration_id == people["甲"].pk]
    [lost] = [c for c in first.issued if c.registration_id == people["乙"].pk]
    fourth = classes_of(event)[3]
    corrected_at = after(event) + timedelta(days=1)
    mark(teacher, fourth, people["乙"], present=False, now=corrected_at)  # 乙 was not there
    revoking = services.certificates_issue(acting_user=admin, event=event, now=corrected_at)
    assert (revoking.issued, [c.pk for c in revoking.revoked]) == ([], [lost.pk])
    lost.refresh_from_db()
    kept.refresh_from_db()
    assert (lost.revoked_at, kept.revoked_at) == (corrected_at, None)
    entry = LogEntry.objects.filter(action="events.certificates.issued").order_by("pk").last()
    assert (entry.data["issued"], entry.data["revoked"]) == ([], [lost.number])
    # corrected back: a certificate again, under a new number; the revoked one stays revoked
    mark(teacher, fourth, people["乙"], present=True, now=corrected_at)
    reissued = services.certificates_issue(acting_user=admin, event=event, now=corrected_at)
    [new] = reissued.issued
    assert new.registration_id == people["乙"].pk
    assert new.number == f"{timezone.localtime(event.starts_at).year}K{event.pk:04d}0003"
    assert new.number != lost.number
    assert (
        CourseCertificate.objects.filter(registration=people["乙"], revoked_at__isnull=True).get()
        == new
    )
    assert [new.number in notice.body for notice in told(people["乙"])] == [False, True]


def test_a_cancelled_enrolment_loses_its_certificate(completed, admin):
    event, people = completed
    services.certificates_issue(acting_user=admin, event=event, now=after(event))
    services.registration_cancel(acting_user=admin, registration=people["甲"])
    outcome = services.certificates_issue(acting_user=admin, event=event, now=after(event))
    assert [c.registration_id for c in outcome.revoked] == [people["甲"].pk]


def test_only_a_course_issues_certificates(event_factory, admin):
    carnival = event_factory(booths={})
    with translation.override("en"), pytest.raises(ValidationError, match="Only a course"):
        services.certificates_issue(acting_user=admin, event=carnival)
    assert not LogEntry.objects.filter(action="events.certificates.issued").exists()


# --- a course's share and a showcase, as the event services check them -------------------------


@pytest.mark.parametrize("percent", [1, 100])
def test_a_course_takes_a_share_from_1_to_100(course_factory, percent):
    assert course_factory(classes=1, percent=percent).completion_percent == percent


@pytest.mark.parametrize("percent", [0, 101])
def test_a_share_outside_1_to_100_is_refused(course_factory, admin, percent):
    with pytest.raises(ValidationError):
        course_factory(classes=1, percent=percent)
    assert not Event.objects.filter(kind=Event.Kind.COURSE).exists()
    event = course_factory(classes=1, percent=80)
    with pytest.raises(ValidationError):
        services.event_update(acting_user=admin, event=event, completion_percent=percent)
    event.refresh_from_db()
    assert event.completion_percent == 80


def test_only_a_course_asks_for_a_share_of_its_classes(event_factory, admin):
    with pytest.raises(ValidationError) as refused:
        event_factory(booths={}, completion_percent=80)
    assert "completion_percent" in refused.value.message_dict
    carnival = event_factory(booths={})
    with pytest.raises(ValidationError) as refused:
        services.event_update(acting_user=admin, event=carnival, completion_percent=80)
    assert "completion_percent" in refused.value.message_dict
    carnival.refresh_from_db()
    assert carnival.completion_percent is None


def test_a_showcase_is_a_performance_of_a_course(course_factory, event_factory, admin):
    course = course_factory(classes=1)
    showcase = event_factory(
        booths={}, kind=Event.Kind.PERFORMANCE, title="“惠工课堂”展演", showcase_of=course
    )
    assert list(course.showcases.all()) == [showcase]
    performance = event_factory(booths={}, kind=Event.Kind.PERFORMANCE)
    for fields in (
        {"kind": Event.Kind.CARNIVAL, "showcase_of": course},  # not a performance
        {"kind": Event.Kind.PERFORMANCE, "showcase_of": performance},  # not of a course
    ):
        with pytest.raises(ValidationError) as refused:
            event_factory(booths={}, **fields)
        assert "showcase_of" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        services.event_update(acting_user=admin, event=showcase, showcase_of=performance)
    assert "showcase_of" in refused.value.message_dict
    showcase.refresh_from_db()
    assert showcase.showcase_of == course
