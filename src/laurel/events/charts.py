"""The organisers' occupancy chart: one bar per booth (its slots summed) and one per slot,
each as long as its places taken are of its capacity, the people waiting beside it; an event
without booths is one bar of its own. Drawn by ``events/_occupancy.html`` with the shared
chart classes (``web.charts``): the content security policy allows no ``style``."""

from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from laurel.events.models import Event, Registration
from laurel.events.selectors import Occupancy, occupancy
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
