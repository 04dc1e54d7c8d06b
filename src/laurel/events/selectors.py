"""Reads several audiences share: an event's occupancy (per booth, or per slot), the people it
counts, a person's own registrations."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Q, Sum

from laurel.events.models import Event, Registration, Slot


@dataclass(frozen=True)
class Occupancy:
    """One row of an event's occupancy: a booth (its slots summed), one slot, or — for an
    event without booths — the event itself (``booth`` "")."""

    booth: str
    slot: Slot | None
    starts_at: datetime | None
    ends_at: datetime | None
    capacity: int | None  # None: no limit
    registered: int  # places held (registered, or offered and not yet answered)
    waiting: int  # places asked for on the waiting list
    checked_in: int

    @property
    def free(self) -> int | None:
        return None if self.capacity is None else max(self.capacity - self.registered, 0)

    @property
    def full(self) -> bool:
        return self.capacity is not None and self.registered >= self.capacity

    @classmethod
    def summed(cls, booth, rows: "list[Occupancy]") -> "Occupancy":
        """A booth's row: its slots' rows summed."""
        return cls(
            booth,
            None,
            min(r.starts_at for r in rows),
            max(r.ends_at for r in rows),
            sum(r.capacity for r in rows),
            sum(r.registered for r in rows),
            sum(r.waiting for r in rows),
            sum(r.checked_in for r in rows),
        )

    @property
    def share(self) -> float:
        """How full, 0 to 1 (0 with no limit)."""
        return min(self.registered / self.capacity, 1.0) if self.capacity else 0.0


def _sums(prefix: str = "") -> dict:
    def places(condition: Q):
        return Sum(f"{prefix}places", filter=condition, default=0)

    return {
        "registered": places(Q(**{f"{prefix}state__in": Registration.HOLDING})),
        "waiting": places(Q(**{f"{prefix}state": Registration.State.WAITING})),
        "checked_in": places(
            Q(
                **{
                    f"{prefix}state__in": Registration.HOLDING,
                    f"{prefix}checked_in_at__isnull": False,
                }
            )
        ),
    }


def occupancy(event: Event, *, by_slot: bool = False) -> list[Occupancy]:
    """The event's occupancy: one row per booth (its slots summed), or per slot with
    ``by_slot``, in the booths' order; an event without booths is one row of its own."""
    slots = list(
        Slot.objects.filter(booth__event=event)
        .select_related("booth")
        .annotate(**_sums("registrations__"))
        .order_by("booth__order", "booth__pk", "starts_at", "pk")
    )
    if not slots:
        sums = Registration.objects.filter(event=event, slot__isnull=True).aggregate(**_sums())
        return [Occupancy("", None, event.starts_at, event.ends_at, event.capacity, **sums)]
    rows = [
        Occupancy(
            s.booth.name,
            s,
            s.starts_at,
            s.ends_at,
            s.capacity,
            s.registered,
            s.waiting,
            s.checked_in,
        )
        for s in slots
    ]
    if by_slot:
        return rows
    booths: dict[str, list[Occupancy]] = {}
    for row in rows:
        booths.setdefault(row.booth, []).append(row)
    return [Occupancy.summed(name, parts) for name, parts in booths.items()]


def open_slots(event: Event) -> list[Occupancy]:
    """The slots a person may choose from, with their places left (``occupancy`` by slot)."""
    return [row for row in occupancy(event, by_slot=True) if row.slot is not None]


def registrations_of_member(member) -> "list[Registration]":
    """A member's registrations in their own name and through their teams, newest event
    first, cancelled ones last."""
    return list(
        Registration.objects.filter(Q(member=member) | Q(team__memberships__member=member))
        .select_related("event", "slot__booth", "team", "member")
        .distinct()
        .order_by("-event__starts_at", "slot__starts_at", "pk")
    )


def waiting_places(event_ids) -> dict[int, int]:
    """Every waiting registration of these events and its place in its line (its slot's, or
    its event's without booths; 1 = next), as ``services.waiting_place`` counts it: one
    query for all of them."""
    lines = Registration.objects.filter(
        event_id__in=set(event_ids), state=Registration.State.WAITING
    ).order_by("pk")
    counted: dict[tuple, int] = {}
    places = {}
    for pk, event_id, slot_id in lines.values_list("pk", "event_id", "slot_id"):
        line = (event_id, slot_id)
        counted[line] = counted.get(line, 0) + 1
        places[pk] = counted[line]
    return places
