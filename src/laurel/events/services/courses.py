"""Courses (``Event.Kind.COURSE``, 惠工课堂): their classes, the teacher's roll call, and the
completion certificates (结业证书).

Members enrol in the course as in any event (``registration``: its places and its waiting
list). Each class (``CourseSession``) is attended by a check-in inside its window at the
gate (``tickets.check_in_record`` files it under the class) or by the mark of its roll call
(``roll_call_mark``), which decides when both are there. ``Registration.checked_in_at`` is
when a member first came: their first check-in, or the start of the first class they were
marked present at.

A member completes the course when they have attended its share of classes
(``Event.completion_percent``, ``core.completion``); ``certificates_issue`` gives each who
completed a certificate and revokes the certificate of one who no longer does (a roll call
corrected). Every write is atomic and audited.
"""

from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Min
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from laurel.audit.services import audit_log
from laurel.core.completion import Standing
from laurel.events.models import (
    CheckIn,
    CourseCertificate,
    CourseSession,
    Event,
    Registration,
    RollCallMark,
)
from laurel.events.selectors import course_attendance
from laurel.notifications.services import notification_send

SESSION_FIELDS = ("topic", "starts_at", "ends_at", "place", "teacher")


def _course_check(event: Event) -> None:
    if event.kind != Event.Kind.COURSE:
        raise ValidationError(_("Only a course has classes."))


def _session_data(session: CourseSession) -> dict:
    return {
        "event": session.event.slug,
        "topic": session.topic,
        "starts_at": timezone.localtime(session.starts_at).isoformat(),
        "ends_at": timezone.localtime(session.ends_at).isoformat(),
    }


@transaction.atomic
def session_save(
    *, acting_user, event: Event, session: CourseSession | None = None, **fields
) -> CourseSession:
    """Add a class to ``event`` (a course), or change ``session``: its topic, times, place
    and teacher. A class that has attendance recorded keeps its times: moving it would move
    the check-ins counted in it."""
    _course_check(event)
    unknown = set(fields) - set(SESSION_FIELDS)
    if unknown:
        raise ValueError(f"not class fields: {sorted(unknown)}")
    adding = session is None
    session = session or CourseSession(event=event)
    if session.event_id != event.pk:
        raise ValueError("a class of another course")
    if not adding and _has_attendance(session):
        moved = [
            name
            for name in ("starts_at", "ends_at")
            if name in fields and fields[name] != getattr(session, name)
        ]
        if moved:
            raise ValidationError(
                _("This class has attendance recorded: its times cannot change any more.")
            )
    for name, value in fields.items():
        setattr(session, name, value)
    if session.ends_at and session.starts_at and session.ends_at <= session.starts_at:
        raise ValidationError({"ends_at": _("The class must end after it starts.")})
    session.full_clean()
    session.save()
    audit_log(
        actor=acting_user,
        action="events.session.added" if adding else "events.session.changed",
        obj=session,
        unit=event.unit,
        data=_session_data(session),
    )
    return session


def _has_attendance(session: CourseSession) -> bool:
    return session.marks.exists() or session.check_ins.exists()


@transaction.atomic
def session_delete(*, acting_user, session: CourseSession) -> None:
    """Take a class off its course; refused once attendance is recorded for it."""
    if _has_attendance(session):
        raise ValidationError(_("This class has attendance recorded: it cannot be deleted."))
    audit_log(
        actor=acting_user,
        action="events.session.deleted",
        obj=session.event,
        unit=session.event.unit,
        data=_session_data(session),
    )
    session.delete()


def session_at(event: Event, at: datetime) -> CourseSession | None:
    """The class of ``event`` a check-in at ``at`` is for: the one whose window holds it (of
    two, the one starting first)."""
    return (
        event.sessions.filter(starts_at__lte=at + CourseSession.CHECK_IN_EARLY, ends_at__gte=at)
        .order_by("starts_at", "pk")
        .first()
    )


def roll_call_open(session: CourseSession, now: datetime) -> bool:
    """A class's roll call may be taken from when its check-in opens (``CHECK_IN_EARLY``
    before it starts), and corrected any time after."""
    return now >= session.starts_at - CourseSession.CHECK_IN_EARLY


@transaction.atomic
def roll_call_mark(
    *,
    acting_user,
    session: CourseSession,
    registration: Registration,
    present: bool,
    now: datetime | None = None,
) -> RollCallMark:
    """Mark ``registration``'s member present or absent at ``session``: a member enrolled in
    the course (holding their place), a class whose roll call is open. Marking again changes
    the one mark. Under the registration's row lock, as a check-in."""
    now = now or timezone.now()
    event = session.event
    if registration.event_id != event.pk:
        raise ValueError("a registration of another course")
    registration = Registration.objects.select_for_update(of=("self",)).get(pk=registration.pk)
    if registration.member_id is None or registration.state != Registration.State.REGISTERED:
        raise ValidationError(_("Only a member enrolled in the course is on its roll."))
    if not roll_call_open(session, now):
        raise ValidationError(_("This class has not started yet: its roll call is not open."))
    mark, created = RollCallMark.objects.update_or_create(
        session=session,
        registration=registration,
        defaults={"present": present, "marked_by": acting_user, "marked_at": now},
    )
    came_at_refresh(registration)
    audit_log(
        actor=acting_user,
        action="events.roll_call.marked",
        obj=registration,
        unit=registration.unit,
        data={**_session_data(session), "present": present, "changed": not created},
    )
    return mark


def came_at_refresh(registration: Registration) -> None:
    """``checked_in_at`` again from what is recorded: the first check-in, or the start of the
    first class the member was marked present at (a mark of absent cancels that class's)."""
    absent = RollCallMark.objects.filter(registration=registration, present=False).values(
        "session_id"
    )
    checked = (
        CheckIn.objects.filter(registration=registration)
        .exclude(session_id__in=absent)
        .aggregate(first=Min("at"))["first"]
    )
    marked = RollCallMark.objects.filter(registration=registration, present=True).aggregate(
        first=Min("session__starts_at")
    )["first"]
    came = min((at for at in (checked, marked) if at is not None), default=None)
    if came != registration.checked_in_at:
        registration.checked_in_at = came
        registration.save(update_fields=["checked_in_at", "updated_at"])


# --- completion certificates --------------------------------------------------------------


@dataclass(frozen=True)
class CertificatesOutcome:
    issued: list[CourseCertificate]
    revoked: list[CourseCertificate]


def certificate_number(event: Event, sequence: int) -> str:
    """Year of the course, its id, and the certificate's sequence: 2024 K 0031 0012 — the K
    (课) keeps it apart from a contest's numbers, which are digits only."""
    return f"{timezone.localtime(event.starts_at).year}K{event.pk:04d}{sequence:04d}"


@transaction.atomic
def certificates_issue(
    *, acting_user, event: Event, now: datetime | None = None
) -> CertificatesOutcome:
    """A certificate for each member who completed ``event`` (a course) and holds none; the
    certificate of a member who no longer completes it (a mark corrected, the enrolment
    cancelled) revoked. Each member given one is told in their inbox. Issuing again changes
    nothing more."""
    _course_check(event)
    now = now or timezone.now()
    event = Event.objects.select_for_update().get(pk=event.pk)  # one issuing at a time
    attendance = course_attendance(event, now=now)
    completed = {
        row.registration.pk: row
        for row in attendance.rows
        if row.progress.standing == Standing.COMPLETED
    }
    valid = {
        certificate.registration_id: certificate
        for certificate in CourseCertificate.objects.filter(event=event, revoked_at__isnull=True)
    }
    revoked = [c for registration_id, c in valid.items() if registration_id not in completed]
    for certificate in revoked:
        certificate.revoked_at = now
        certificate.save(update_fields=["revoked_at"])
    sequence = CourseCertificate.objects.filter(event=event).count()
    issued = []
    for registration_id, row in completed.items():
        if registration_id in valid:
            continue
        sequence += 1
        registration = row.registration
        issued.append(
            CourseCertificate(
                number=certificate_number(event, sequence),
                event=event,
                registration=registration,
                recipient=registration.member.name,
                unit=registration.unit.name,
                attended=row.progress.attended,
                classes=row.progress.classes,
                issued_on=timezone.localdate(now),
                issued_by=acting_user,
            )
        )
    issued = CourseCertificate.objects.bulk_create(issued)
    _completed_notify(event, issued)
    audit_log(
        actor=acting_user,
        action="events.certificates.issued",
        obj=event,
        unit=event.unit,
        data={
            "event": event.slug,
            "issued": [c.number for c in issued],
            "revoked": [c.number for c in revoked],
        },
    )
    return CertificatesOutcome(issued, revoked)


def _completed_notify(event: Event, issued: list[CourseCertificate]) -> None:
    link = reverse("events:my_course", args=[event.slug])
    for certificate in issued:
        user = certificate.registration.member.user
        if user is None:
            continue
        notification_send(
            recipient=user,
            title=_("You completed %(course)s") % {"course": event.title},
            body=_("Certificate number %(number)s.") % {"number": certificate.number},
            link=link,
        )
