"""A course (惠工课堂) to test with: classes on days around today, members enrolled, their
attendance recorded as the gate and the teacher's roll call record it."""

from datetime import timedelta

from django.utils import timezone

from laurel.events import services
from laurel.events.models import CourseSession, Event, Registration
from tests.events.check_ins import scan

TODAY = timezone.localtime(timezone.now()).replace(hour=0, minute=0, second=0, microsecond=0)


def evening(days: int):
    """19:00 (Beijing time) ``days`` from today."""
    return TODAY + timedelta(days=days, hours=19)


def course_create(
    admin,
    unit,
    *,
    slug: str = "huigong",
    title: str = "惠工课堂",
    days=(-30, -20, -10, -5),
    percent: int | None = 75,
) -> Event:
    """An open course of ``unit``: one two-hour class at 19:00 on each of ``days`` (from
    today), running from a day before the first to a day after the last and taking
    enrolments until then."""
    now = timezone.now()
    course = services.event_create(
        acting_user=admin,
        slug=slug,
        kind=Event.Kind.COURSE,
        title=title,
        venue="职工服务中心",
        starts_at=evening(min(days) - 1),
        ends_at=evening(max(days) + 1),
        unit=unit,
        registration_opens_at=now - timedelta(days=60),
        registration_closes_at=evening(max(days) + 1) - timedelta(hours=1),
        completion_percent=percent,
    )
    for number, day in enumerate(days, 1):
        services.session_save(
            acting_user=admin,
            event=course,
            topic=f"第{number}课",
            starts_at=evening(day),
            ends_at=evening(day) + timedelta(hours=2),
            teacher="王老师",
        )
    return services.event_state_set(acting_user=admin, event=course, state=Event.State.OPEN)


def enrol(course: Event, member) -> Registration:
    """``member`` enrolled while enrolment was open (a course may have run its classes)."""
    return services.registration_create(
        acting_user=None,
        event=course,
        member=member,
        now=course.registration_opens_at + timedelta(hours=1),
    ).registration


def classes_of(course: Event) -> list[CourseSession]:
    return list(course.sessions.order_by("starts_at"))


def checked_in(registration: Registration, session: CourseSession) -> None:
    """The member's ticket scanned at the gate ten minutes into ``session``."""
    scan(registration, at=session.starts_at + timedelta(minutes=10))


def marked(admin, registration: Registration, session: CourseSession, present: bool) -> None:
    services.roll_call_mark(
        acting_user=admin, session=session, registration=registration, present=present
    )
