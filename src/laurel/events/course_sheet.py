"""A course's attendance as an Excel workbook (惠工课堂): the grid — a row per enrolled member
(name, unit), a column per class with the member's presence in words (present, absent, or a
dash for a class to come), then the classes attended, the classes needed and the standing —
and a sheet of the classes themselves. Names only: no ID-card or mobile number is in it.
Written by the one writer, ``core.sheet_writer``: a name that starts like a formula stays text.
"""

from django.utils import timezone
from django.utils.translation import gettext as _

from laurel.core.sheet_writer import Sheet, xlsx_write
from laurel.events.models import CourseSession
from laurel.events.selectors import CourseAttendance, Presence

TO_COME = "—"  # a class not held yet: neither present nor absent


def class_heading(number: int, session: CourseSession) -> str:
    """A class's column heading: its number, its date (Beijing time) and its topic."""
    return f"{number}. {timezone.localtime(session.starts_at):%m-%d} {session.topic}"


def _presence_words() -> dict[Presence, str]:
    return {Presence.PRESENT: _("Present"), Presence.ABSENT: _("Absent"), Presence.TO_COME: TO_COME}


def _grid_sheet(attendance: CourseAttendance) -> Sheet:
    words = _presence_words()
    header = [
        _("Name"),
        _("Unit"),
        *(class_heading(n, s) for n, s in enumerate(attendance.sessions, start=1)),
        _("Classes attended"),
        _("Classes needed"),
        _("Standing"),
    ]
    rows = (
        [
            row.registration.member.name,
            row.registration.unit.name,
            *(words[mark.presence] for mark in row.classes),
            row.progress.attended,
            row.progress.needed,
            row.standing_label,
        ]
        for row in attendance.rows
    )
    return Sheet(title=_("Attendance"), header=header, rows=rows)


def _classes_sheet(attendance: CourseAttendance) -> Sheet:
    venue = attendance.event.venue
    present = attendance.present_per_class()
    header = [
        _("Number"),
        _("Starts"),
        _("Ends"),
        _("Topic"),
        _("Place"),
        _("Teacher"),
        _("Present"),
        _("Enrolled"),
    ]
    rows = [
        [
            number,
            # local and naive, as a spreadsheet shows a time
            timezone.localtime(session.starts_at).replace(tzinfo=None),
            timezone.localtime(session.ends_at).replace(tzinfo=None),
            session.topic,
            session.place or venue,
            session.teacher,
            present[number - 1],
            len(attendance.rows),
        ]
        for number, session in enumerate(attendance.sessions, start=1)
    ]
    return Sheet(title=_("Classes"), header=header, rows=rows)


def course_workbook(attendance: CourseAttendance) -> bytes:
    """``attendance`` (``selectors.course_attendance``) as a workbook of two sheets, headed in
    the reader's language: the members by class, and the classes."""
    return xlsx_write([_grid_sheet(attendance), _classes_sheet(attendance)])
