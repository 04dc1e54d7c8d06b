"""Reads several audiences share: an event's occupancy (per booth, or per slot), the people it
counts, a person's own registrations, its attendance while it runs, a meeting's roll, a
performance's programme, a course's attendance and its members' progress."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from django.db.models import (
    Count,
    IntegerField,
    Max,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy

from laurel.core.completion import Progress, Standing, classes_needed, progress
from laurel.core.durations import clock
from laurel.events.models import (
    Act,
    CheckIn,
    CourseSession,
    Event,
    EventInvitee,
    Registration,
    RollCallMark,
    Slot,
)
from laurel.members.models import Member, Team
from laurel.orgs.models import Unit


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


# --- attendance ------------------------------------------------------------------------------

# how long before its start and after its end an event counts as running (its figures live)
ATTENDANCE_MARGIN = timedelta(hours=1)


@dataclass(frozen=True)
class BoothAttendance:
    """A booth's attendance: its slots summed (``row``) and each of them (``slots``); for an
    event without booths, the event itself (``booth_id`` None, no slots)."""

    booth_id: int | None
    row: Occupancy
    slots: list[Occupancy]


@dataclass(frozen=True)
class UnitAttendance:
    """The places held and checked in by the registrations of a unit and the units below it."""

    unit_id: int
    name: str
    holding: int
    checked_in: int


@dataclass(frozen=True)
class Attendance:
    """Who has come to an event: places checked in of the places held (``Registration.HOLDING``),
    by booth and slot and by unit, and the scans behind them."""

    booths: list[BoothAttendance]
    units: list[UnitAttendance]  # the most checked in first, then by name
    holding: int
    checked_in: int
    duplicates: int  # scans of a ticket already checked in
    offline: int  # scans made on a device without the network and sent later
    last_check_in_at: datetime | None  # the latest first check-in


def _booths_attending(event: Event) -> list[BoothAttendance]:
    rows = occupancy(event, by_slot=True)
    if rows and rows[0].slot is None:  # no booths: the event itself
        return [BoothAttendance(None, rows[0], [])]
    slots_by_booth: dict[int, list[Occupancy]] = {}
    for row in rows:
        slots_by_booth.setdefault(row.slot.booth_id, []).append(row)
    return [
        BoothAttendance(booth_id, Occupancy.summed(slots[0].booth, slots), slots)
        for booth_id, slots in slots_by_booth.items()
    ]


def _rolled_up_unit_id(unit_id: int, path: str, organiser: Unit) -> int:
    """The unit one level beneath ``organiser`` that holds the unit (``unit_id``, ``path``);
    the unit itself when it is the organiser or outside the organiser's subtree."""
    if unit_id == organiser.pk or not path.startswith(organiser.path):
        return unit_id
    return int(path.strip("/").split("/")[organiser.depth + 1])


def _units_attending(event: Event) -> list[UnitAttendance]:
    sums = _sums()
    per_unit = (
        Registration.objects.filter(event=event, state__in=Registration.HOLDING)
        .values("unit_id", "unit__path")
        .annotate(holding=sums["registered"], checked_in=sums["checked_in"])
        .order_by()
    )
    totals: dict[int, list[int]] = {}
    for row in per_unit:
        unit_id = _rolled_up_unit_id(row["unit_id"], row["unit__path"], event.unit)
        holding, checked_in = totals.setdefault(unit_id, [0, 0])
        totals[unit_id] = [holding + row["holding"], checked_in + row["checked_in"]]
    names = dict(Unit.objects.filter(pk__in=totals).values_list("pk", "name"))
    units = [
        UnitAttendance(unit_id, names[unit_id], holding, checked_in)
        for unit_id, (holding, checked_in) in totals.items()
    ]
    return sorted(units, key=lambda unit: (-unit.checked_in, unit.name, unit.unit_id))


def attendance(event: Event) -> Attendance:
    """The event's attendance as it stands: places held and checked in per booth (its slots
    summed) and per slot, and per unit — each registration counted under the unit one level
    beneath the organiser unit that holds its own unit, or under its own unit when that is
    the organiser or outside the organiser's subtree. Four queries whatever the number of
    slots and units (one more for an event without booths, one more when ``event.unit`` is
    not loaded yet)."""
    units = _units_attending(event)
    scans = CheckIn.objects.filter(registration__event=event).aggregate(
        duplicates=Count("pk", filter=Q(duplicate_of__isnull=False)),
        offline=Count("pk", filter=Q(synced_at__isnull=False)),
        last_check_in_at=Max("at", filter=Q(duplicate_of__isnull=True)),
    )
    return Attendance(
        booths=_booths_attending(event),
        units=units,
        holding=sum(unit.holding for unit in units),
        checked_in=sum(unit.checked_in for unit in units),
        **scans,
    )


def attendance_phase(event: Event, *, now: datetime | None = None) -> str:
    """Where the event stands for its attendance: "running" (open or closed for registration,
    and within an hour of its times: the figures change), "final" (ended, cancelled, or more
    than an hour past its end) or "not-started"."""
    now = now or timezone.now()
    if event.state in (Event.State.ENDED, Event.State.CANCELLED):
        return "final"
    if event.state == Event.State.DRAFT or now < event.starts_at - ATTENDANCE_MARGIN:
        return "not-started"
    if now > event.ends_at + ATTENDANCE_MARGIN:
        return "final"
    return "running"


# --- every event's figures (``laurel events list``) ------------------------------------------


@dataclass(frozen=True)
class EventFigures:
    """An event with its people registered and checked in (``events_figures``)."""

    event: Event
    registered: int
    checked_in: int


def _per_event(rows: QuerySet, total) -> Coalesce:
    """``total`` over ``rows`` of the outer event, as a subquery (0 when it has none)."""
    rows = rows.filter(event=OuterRef("pk")).order_by().values("event").annotate(n=total)
    return Coalesce(Subquery(rows.values("n"), output_field=IntegerField()), Value(0))


def events_figures() -> list[EventFigures]:
    """Every event, by its start and then its short name, with ``registered``: the places
    held (``Registration.HOLDING``, a team counting its places, as ``occupancy`` counts
    them) — for a meeting with an invitation list, its invitees —; and ``checked_in``: the
    places held whose people were let in (a ticket scanned, a name ticked on the list: the
    first check-in sets ``Registration.checked_in_at``). One query whatever the number of
    events."""
    sums = _sums()
    registrations = Registration.objects.all()
    events = Event.objects.annotate(
        held=_per_event(registrations, sums["registered"]),
        came=_per_event(registrations, sums["checked_in"]),
        invited=_per_event(EventInvitee.objects.all(), Count("pk")),
    ).order_by("starts_at", "slug")
    return [
        EventFigures(
            event,
            event.invited if event.kind == Event.Kind.MEETING and event.invited else event.held,
            event.came,
        )
        for event in events
    ]


# --- a meeting's roll (签到表) -----------------------------------------------------------------

# where each invitee stands, in the order the roll counts them
STANDINGS = {
    "on_time": gettext_lazy("On time"),
    "late": gettext_lazy("Late"),
    "on_leave": gettext_lazy("On leave"),
    "absent": gettext_lazy("Absent"),
    "expected": gettext_lazy("Expected"),
}


def standing_of(
    *, signed_in_at: datetime | None, leave_at: datetime | None, starts_at: datetime, now: datetime
) -> str:
    """Where an invitee stands at ``now``: "on_time" (signed in by the start), "late" (signed
    in after it), "on_leave" (leave asked, not signed in), "absent" (not signed in, no leave,
    the meeting started) or "expected" (not yet started)."""
    if signed_in_at is not None:
        return "on_time" if signed_in_at <= starts_at else "late"
    if leave_at is not None:
        return "on_leave"
    return "absent" if now >= starts_at else "expected"


@dataclass(frozen=True)
class RollRow:
    """One invitee on a meeting's roll: ``number`` their place on it (1, 2, …), ``method`` how
    they signed in (``CheckIn.Method``; "" when they have not)."""

    number: int
    registration: Registration
    name: str
    unit: str
    position: str
    signed_in_at: datetime | None
    method: str
    standing: str
    leave_reason: str
    leave_at: datetime | None

    @property
    def standing_label(self) -> str:
        return str(STANDINGS[self.standing])


@dataclass(frozen=True)
class Roll:
    """A meeting's roll at ``now``: a row per invitee holding a place, by unit and name, and
    how many stand where (``counts``: every one of ``STANDINGS``)."""

    rows: list[RollRow]
    counts: dict[str, int]
    started: bool

    @property
    def total(self) -> int:
        return len(self.rows)


def meeting_roll(event: Event, *, now: datetime | None = None) -> Roll:
    """The roll of the meeting ``event``: its invitees — the member registrations registered
    for it — by their unit (its place in the tree) and name, each with their sign-in (the
    first check-in: a ticket scanned, or a name ticked) and standing at ``now``
    (``standing_of``); latecomers are those signed in after ``event.starts_at``. One query."""
    now = now or timezone.now()
    first_method = CheckIn.objects.filter(
        registration=OuterRef("pk"), duplicate_of__isnull=True
    ).values("method")[:1]
    registrations = (
        Registration.objects.filter(
            event=event, state=Registration.State.REGISTERED, member__isnull=False
        )
        .select_related("member", "unit")
        .annotate(first_method=Subquery(first_method))
        .order_by("unit__path", "member__name", "pk")
    )
    rows = [
        RollRow(
            number=number,
            registration=registration,
            name=registration.member.name,
            unit=registration.unit.name,
            position=registration.member.job_title,
            signed_in_at=registration.checked_in_at,
            method=registration.first_method or "",
            standing=standing_of(
                signed_in_at=registration.checked_in_at,
                leave_at=registration.leave_at,
                starts_at=event.starts_at,
                now=now,
            ),
            leave_reason=registration.leave_reason,
            leave_at=registration.leave_at,
        )
        for number, registration in enumerate(registrations, start=1)
    ]
    counts = dict.fromkeys(STANDINGS, 0)
    for row in rows:
        counts[row.standing] += 1
    return Roll(rows=rows, counts=counts, started=now >= event.starts_at)


# --- a performance's programme ----------------------------------------------------------------


@dataclass(frozen=True)
class ProgrammeAct:
    """An act in its place: ``starts_after`` the running time of the acts before it (seconds),
    ``starts_at`` when it should begin if the event starts on time, its performers' names."""

    act: Act
    starts_after: int
    starts_at: datetime
    teams: tuple[str, ...]
    members: tuple[str, ...]

    @property
    def performers(self) -> str:
        """Who performs: the teams, the members, then the guests as the organiser typed them."""
        guests = [self.act.guests] if self.act.guests else []
        return "、".join([*self.teams, *self.members, *guests])

    @property
    def duration(self) -> str:
        return clock(self.act.duration_seconds)

    @property
    def offset(self) -> str:
        return clock(self.starts_after)


@dataclass(frozen=True)
class Programme:
    """A programme's acts in order and their running time in all (seconds)."""

    acts: list[ProgrammeAct]
    total_seconds: int

    @property
    def total(self) -> str:
        return clock(self.total_seconds)


def programme(event: Event) -> Programme:
    """``event``'s acts by their numbers, each with the running time before it and its
    performers (teams, then members, by name); three queries whatever the number of acts."""
    acts = (
        Act.objects.filter(event=event)
        .order_by("position", "pk")
        .prefetch_related(
            Prefetch("teams", queryset=Team.objects.order_by("name", "pk")),
            Prefetch("members", queryset=Member.objects.order_by("name", "pk")),
        )
    )
    rows, elapsed = [], 0
    for act in acts:
        rows.append(
            ProgrammeAct(
                act=act,
                starts_after=elapsed,
                starts_at=event.starts_at + timedelta(seconds=elapsed),
                teams=tuple(team.name for team in act.teams.all()),
                members=tuple(member.name for member in act.members.all()),
            )
        )
        elapsed += act.duration_seconds
    return Programme(rows, elapsed)


# --- a course's attendance and its members' progress -----------------------------------------


class Presence(StrEnum):
    """A member at one class: how the course counts them (``course_attendance``)."""

    PRESENT = "present"  # checked in inside its window, or marked present in its roll call
    ABSENT = "absent"  # held and recorded, and neither (or marked absent, whatever the gate)
    TO_COME = "to_come"  # not held yet, or held with nothing recorded for anyone so far


PRESENCES = {
    Presence.PRESENT: gettext_lazy("Present"),
    Presence.ABSENT: gettext_lazy("Absent"),
    Presence.TO_COME: gettext_lazy("Not recorded yet"),
}

COURSE_STANDINGS = {
    Standing.COMPLETED: gettext_lazy("Completed"),
    Standing.ON_TRACK: gettext_lazy("On track"),
    Standing.OUT_OF_REACH: gettext_lazy("Cannot complete"),
}


@dataclass(frozen=True)
class ClassMark:
    """A member at one class: ``presence``, and how it was known: ``marked`` (the roll call's
    mark, True/False; None without one) and ``checked_in`` (a check-in in its window)."""

    session: CourseSession
    presence: Presence
    marked: bool | None
    checked_in: bool


@dataclass(frozen=True)
class CourseRow:
    registration: Registration
    classes: list[ClassMark]
    progress: Progress

    @property
    def standing_label(self) -> str:
        return str(COURSE_STANDINGS[self.progress.standing])


@dataclass(frozen=True)
class CourseAttendance:
    event: Event
    sessions: list[CourseSession]
    percent: int
    needed: int
    rows: list[CourseRow]

    def count(self, standing: Standing) -> int:
        return sum(1 for row in self.rows if row.progress.standing == standing)

    def present_per_class(self) -> list[int]:
        """How many of the rows were present at each class, in the classes' order."""
        return [
            sum(row.classes[index].presence == Presence.PRESENT for row in self.rows)
            for index in range(len(self.sessions))
        ]


def course_enrolled(event: Event) -> QuerySet[Registration]:
    """A course's members holding a place (enrolled): its roll, by name."""
    return (
        event.registrations.filter(state=Registration.State.REGISTERED, member__isnull=False)
        .select_related("member__user", "unit")
        .order_by("member__name", "pk")
    )


def class_held(session: CourseSession, now: datetime) -> bool:
    """A class is held once it has ended."""
    return session.ends_at <= now


def classes_recorded(event: Event) -> set[int]:
    """The classes of ``event`` with attendance recorded for anyone: a roll-call mark or a
    check-in. Only these count an absence: a class whose roll call nobody has sent yet (and
    that nobody checked in at) is still to be recorded, not a class everyone missed."""
    marked = RollCallMark.objects.filter(session__event=event).order_by().values_list("session_id")
    checked = CheckIn.objects.filter(session__event=event).order_by().values_list("session_id")
    return {session_id for (session_id,) in marked.union(checked)}


def course_attendance(
    event: Event,
    *,
    registrations: QuerySet[Registration] | None = None,
    now: datetime | None = None,
) -> CourseAttendance:
    """Each enrolled member of ``event`` (or each of ``registrations``) at each of its classes,
    and their progress towards completion: a class they were marked present at, or checked in
    at without a mark, counts; a mark of absent counts as absent whatever the gate recorded; a
    class ended with attendance recorded (``classes_recorded``) and neither counts as absent;
    any other is to come. Five queries."""
    now = now or timezone.now()
    percent = event.percent_to_complete
    sessions = list(event.sessions.all())
    rows = list(course_enrolled(event) if registrations is None else registrations)
    ids = [row.pk for row in rows]
    marks = {
        (session_id, registration_id): present
        for session_id, registration_id, present in RollCallMark.objects.filter(
            registration_id__in=ids
        ).values_list("session_id", "registration_id", "present")
    }
    checked = set(
        CheckIn.objects.filter(registration_id__in=ids, session__isnull=False).values_list(
            "session_id", "registration_id"
        )
    )
    recorded = classes_recorded(event)
    result = []
    for registration in rows:
        classes = []
        for session in sessions:
            key = (session.pk, registration.pk)
            marked = marks.get(key)
            came = marked if marked is not None else key in checked
            if came:
                presence = Presence.PRESENT
            elif marked is False or (class_held(session, now) and session.pk in recorded):
                presence = Presence.ABSENT
            else:
                presence = Presence.TO_COME
            classes.append(ClassMark(session, presence, marked, key in checked))
        attended = sum(1 for mark in classes if mark.presence == Presence.PRESENT)
        to_come = sum(1 for mark in classes if mark.presence == Presence.TO_COME)
        result.append(
            CourseRow(registration, classes, progress(attended, len(sessions), to_come, percent))
        )
    needed = classes_needed(len(sessions), percent)
    return CourseAttendance(event, sessions, percent, needed, result)
