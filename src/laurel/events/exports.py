"""The organisers' attendance export: one workbook, a sheet for each view of the attendance
page — by booth and slot, by unit — and one of the people checked in, each with when, how
(scanned, or ticked on the list), on which device and at which booth. Written through the one
safe writer (``core.sheet_writer``); it holds names, never an ID-card or phone number.

Times are Beijing time, written as spreadsheet date-times (a cell holds no time zone)."""

from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from laurel.core.sheet_writer import Sheet, xlsx_write
from laurel.events.models import CheckIn, Event, Registration
from laurel.events.selectors import Attendance, attendance
from laurel.events.tables import CHECK_IN_METHODS, slot_label


@dataclass(frozen=True)
class AttendanceExport:
    """The workbook, and how many people checked in it lists (what the audit entry says)."""

    content: bytes
    rows: int


def _local(moment: datetime | None) -> datetime | None:
    """A moment as a spreadsheet holds it: Beijing time, without a zone."""
    return None if moment is None else timezone.localtime(moment).replace(tzinfo=None)


def _slot_hours(starts_at: datetime, ends_at: datetime) -> str:
    start, end = timezone.localtime(starts_at), timezone.localtime(ends_at)
    return f"{start:%Y-%m-%d %H:%M}–{end:%H:%M}"


def _booths_sheet(figures: Attendance) -> Sheet:
    rows = []
    for booth in figures.booths:
        row = booth.row
        name = row.booth or _("The whole event")
        rows.append([name, "", row.registered, row.checked_in])
        rows.extend(
            [name, _slot_hours(slot.starts_at, slot.ends_at), slot.registered, slot.checked_in]
            for slot in booth.slots
        )
    return Sheet(
        title=_("By booth and slot"),
        header=[_("Booth"), _("Time slot"), _("Places held"), _("Checked in")],
        rows=rows,
    )


def _units_sheet(figures: Attendance) -> Sheet:
    return Sheet(
        title=_("By unit"),
        header=[_("Unit"), _("Places held"), _("Checked in")],
        rows=[[unit.name, unit.holding, unit.checked_in] for unit in figures.units],
    )


def _people_rows(event: Event) -> list[list]:
    """One row per registration holding a place that was let in, by its first check-in."""
    firsts = (
        CheckIn.objects.filter(
            registration__event=event,
            registration__state__in=Registration.HOLDING,
            duplicate_of__isnull=True,
        )
        .select_related(
            "registration__member",
            "registration__team",
            "registration__unit",
            "registration__slot__booth",
            "booth",
        )
        .order_by("at", "pk")
    )
    return [
        [
            check_in.registration.registrant_name,
            check_in.registration.places,
            check_in.registration.unit.name,
            slot_label(check_in.registration.slot),
            _local(check_in.at),
            str(CHECK_IN_METHODS.get(check_in.method, check_in.method)),
            check_in.device,
            check_in.booth.name if check_in.booth_id else "",
        ]
        for check_in in firsts
    ]


def attendance_export(event: Event) -> AttendanceExport:
    """The event's attendance as it stands, as a workbook of three sheets: by booth and slot
    (each booth's row, then its slots'), by unit (as the attendance page rolls them up) and
    the people checked in, in the order they came."""
    figures = attendance(event)
    people = _people_rows(event)
    content = xlsx_write(
        [
            _booths_sheet(figures),
            _units_sheet(figures),
            Sheet(
                title=_("People checked in"),
                header=[
                    _("Registrant"),
                    _("People"),
                    _("Unit"),
                    _("Booth and time"),
                    _("Checked in at"),
                    _("How"),
                    _("Device"),
                    _("Checked in at booth"),
                ],
                rows=people,
            ),
        ]
    )
    return AttendanceExport(content=content, rows=len(people))
