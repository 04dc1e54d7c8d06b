"""The organisers' occupancy chart: one bar per booth (its slots summed) and one per slot,
each as long as its places taken are of its capacity, the people waiting beside it; an event
without booths is one bar of its own. Drawn by ``events/_occupancy.html`` with the shared
chart classes (``web.charts``): the content security policy allows no ``style``.

The attendance chart: the same bars, and one per unit, each as long as its places checked in
are of its places held. Drawn by ``events/_attendance.html``."""

from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from laurel.events.models import Event, Registration
from laurel.events.selectors import (
    Attendance,
    Occupancy,
    attendance,
    attendance_phase,
    occupancy,
)
from laurel.events.services import people_count


@dataclass(frozen=True)
class OccupancyBar:
    """One bar: ``key`` names it in the page (``booth-3``, ``slot-17``, ``event``)."""

    key: str
    label: str
    row: Occupancy
    is_slot: bool = False

    @property
    def percent(self) -> str:
        """How full, in percent of the capacity (0 with no limit), for ``width_class``."""
        return f"{100 * self.row.share:.2f}"


@dataclass(frozen=True)
class OccupancyChart:
    bars: list[OccupancyBar]
    people: int | None  # people holding places, when the event counts them against a capacity
    capacity: int | None  # the event-wide capacity

    @property
    def registered(self) -> int:
        return sum(bar.row.registered for bar in self.bars if not bar.is_slot)

    @property
    def waiting(self) -> int:
        return sum(bar.row.waiting for bar in self.bars if not bar.is_slot)


def _slot_label(row: Occupancy, *, days: int) -> str:
    start, end = timezone.localtime(row.starts_at), timezone.localtime(row.ends_at)
    if days > 1:
        return f"{start:%m-%d %H:%M}–{end:%H:%M}"
    return f"{start:%H:%M}–{end:%H:%M}"


def occupancy_chart(event: Event) -> OccupancyChart:
    """The chart of ``event`` as it stands: two queries, whatever the number of slots (three
    with an event-wide capacity)."""
    rows = occupancy(event, by_slot=True)
    people = None
    if event.capacity is not None:
        people = people_count(
            Registration.objects.filter(event=event, state__in=Registration.HOLDING)
        )
    if rows and rows[0].slot is None:  # no booths: the event itself
        return OccupancyChart(
            [OccupancyBar("event", _("The whole event"), rows[0])], people, event.capacity
        )
    days = len({timezone.localtime(row.starts_at).date() for row in rows})
    booths: dict[int, list[Occupancy]] = {}
    for row in rows:
        booths.setdefault(row.slot.booth_id, []).append(row)
    bars = []
    for booth_id, slots in booths.items():
        summed = Occupancy.summed(slots[0].booth, slots)
        bars.append(OccupancyBar(f"booth-{booth_id}", summed.booth, summed))
        bars.extend(
            OccupancyBar(f"slot-{slot.slot.pk}", _slot_label(slot, days=days), slot, is_slot=True)
            for slot in slots
        )
    return OccupancyChart(bars, people, event.capacity)


@dataclass(frozen=True)
class AttendanceBar:
    """One bar: ``key`` names it in the page (``booth-3``, ``slot-17``, ``event``,
    ``unit-5``)."""

    key: str
    label: str
    checked_in: int
    holding: int
    is_slot: bool = False

    @property
    def percent(self) -> str:
        """Places checked in, in percent of the places held (0 with none held), for
        ``width_class``."""
        share = min(self.checked_in / self.holding, 1.0) if self.holding else 0.0
        return f"{100 * share:.2f}"


@dataclass(frozen=True)
class AttendanceChart:
    booths: list[AttendanceBar]  # each booth's bar followed by its slots' bars
    units: list[AttendanceBar]
    figures: Attendance
    phase: str  # ``selectors.attendance_phase``: "running", "not-started" or "final"

    @property
    def running(self) -> bool:
        return self.phase == "running"


def attendance_chart(event: Event) -> AttendanceChart:
    """The attendance chart of ``event`` as it stands (``selectors.attendance``)."""
    figures = attendance(event)
    slot_rows = [slot for booth in figures.booths for slot in booth.slots]
    days = len({timezone.localtime(row.starts_at).date() for row in slot_rows})
    booths = []
    for booth in figures.booths:
        row = booth.row
        if booth.booth_id is None:  # no booths: the event itself
            booths.append(
                AttendanceBar("event", _("The whole event"), row.checked_in, row.registered)
            )
            continue
        booths.append(
            AttendanceBar(f"booth-{booth.booth_id}", row.booth, row.checked_in, row.registered)
        )
        booths.extend(
            AttendanceBar(
                f"slot-{slot.slot.pk}",
                _slot_label(slot, days=days),
                slot.checked_in,
                slot.registered,
                is_slot=True,
            )
            for slot in booth.slots
        )
    units = [
        AttendanceBar(f"unit-{unit.unit_id}", unit.name, unit.checked_in, unit.holding)
        for unit in figures.units
    ]
    return AttendanceChart(booths, units, figures, attendance_phase(event))
