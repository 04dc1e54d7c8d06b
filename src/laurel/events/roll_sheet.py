"""A meeting's attendance sheet (签到表) as an Excel workbook: one row per invitee in the
roll's order (``selectors.meeting_roll``) — number, name, unit, position, when they signed in
(Beijing time), their standing and the reason for their leave. No ID-card or mobile number is
in it. Written by the one writer, ``core.sheet_writer``: a name or a reason that starts like a
formula stays text."""

from django.utils import timezone
from django.utils.translation import gettext as _

from laurel.core.sheet_writer import Sheet, xlsx_write
from laurel.events.selectors import Roll


def roll_workbook(roll: Roll) -> bytes:
    """The attendance sheet of ``roll``, headed in the reader's language."""
    header = [
        _("Number"),
        _("Name"),
        _("Unit"),
        _("Position"),
        _("Signed in at"),
        _("Standing"),
        _("Reason for leave"),
    ]
    rows = (
        [
            row.number,
            row.name,
            row.unit,
            row.position,
            # local and naive, as a spreadsheet shows a time
            timezone.localtime(row.signed_in_at).replace(tzinfo=None) if row.signed_in_at else None,
            row.standing_label,
            row.leave_reason,
        ]
        for row in roll.rows
    )
    return xlsx_write([Sheet(title=_("Attendance sheet"), header=header, rows=rows)])
