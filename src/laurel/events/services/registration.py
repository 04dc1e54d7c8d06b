"""Registering people and teams, cancelling, and the waiting list — never past capacity.

Places are counted under row locks, taken in one fixed order by every path that registers or
frees a place (``_locks_take``): the people concerned (members by pk), the team, the event
(when it has an event-wide capacity or quotas: then it is counted as a whole), and the
slots (by pk). Two transactions therefore never wait on each other in a circle, and two
registrations for the last place of a slot count one after the other. On PostgreSQL these
are ``SELECT … FOR UPDATE`` row locks; on SQLite (the embedded default) every write
transaction is ``IMMEDIATE`` (settings), so writers run one at a time anyway.

A freed place goes to the first registration waiting for it in the same transaction that
freed it (``_waiting_promote``): straight to registered, or as an offer that lapses after
``Event.offer_hours`` (``offers_lapse``, a periodic job), passing to the next in line.

A registration that becomes registered gets its ticket, and one cancelled or lapsed has it
revoked, in the same transaction (``tickets``).
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Count, Q, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from laurel.audit.services import audit_log
from laurel.events.models import Event, EventInvitee, EventQuota, Question, Registration, Slot
from laurel.events.services.notices import registrant_tell
from laurel.events.services.tickets import ticket_issue, ticket_revoke
from laurel.members.models import Member, Team


class RegistrationRefused(Exception):
    """A registration refused, nothing written: ``reason`` is a stable code, ``message`` the
    sentence the person reads."""

    REASONS = {
        "window": gettext_lazy("Registration is not open"),
        "full": gettext_lazy("No places left"),
        "overlap": gettext_lazy("Overlaps another slot"),
        "quota": gettext_lazy("The unit's quota is used up"),
        "audience": gettext_lazy("Not among the people this event is for"),
        "already": gettext_lazy("Already registered"),
        "slot": gettext_lazy("No such slot"),
        "registrant": gettext_lazy("Not a registration this event takes"),
        "answers": gettext_lazy("Answers missing or not valid"),
        "state": gettext_lazy("Cannot be changed now"),
    }

    def __init__(self, reason: str, message: str):
        super().__init__(message)
        self.reason = reason
        self.message = message

    @property
    def reason_label(self) -> str:
        return str(self.REASONS[self.reason])


@dataclass(frozen=True)
class Outcome:
    """What became of a registration asked for: registered, or waiting at ``waiting_place``
    (1 = next in line)."""

    registration: Registration
    waiting_place: int | None = None

    @property
    def state(self) -> str:
        return self.registration.state


# --- registering --------------------------------------------------------------------------


def registration_create(
    *,
    acting_user,
    event: Event,
    slot: Slot | None = None,
    member: Member | None = None,
    team: Team | None = None,
    answers: dict | None = None,
    at_gate: bool = False,
    now: datetime | None = None,
) -> Outcome:
    """Register ``member`` (themself, or by a unit admin) or ``team`` (by a unit admin) for
    ``slot`` of ``event`` — or for the event itself when it has no booths. Registered when a
    place is free in the slot, the event and the unit's quota; else on the waiting list when
    the event keeps one; else ``RegistrationRefused`` saying why, with nothing written.
    ``acting_user`` is None for a person verified without an account (``verification``).
    Whether the acting user may register this member or team is the view's policy.
    ``at_gate``: a walk-in registered by staff on the day — the registration window does not
    apply (the event must be open or closed, and not over) and no answer is required; every
    other rule does."""
    now = now or timezone.now()
    if (member is None) == (team is None):
        raise ValueError("register a member or a team")
    with transaction.atomic():
        _window_check(event, now, at_gate=at_gate)
        _registrant_kind_check(event, acting_user=acting_user, member=member, team=team)
        _slot_check(event, slot)
        cleaned = answers_check(event, answers or {}, required=not at_gate)
        people = _people(member=member, team=team)
        _audience_check(event, member=member, team=team, people=people)
        event, slot = _locks_take(
            event=event, slots=[slot] if slot else [], people=people, team=team
        )
        slot = slot[0] if slot else None
        _window_check(event, now, at_gate=at_gate)  # as locked: it may have closed meanwhile
        _already_check(event, slot, member=member, team=team)
        _overlap_check(event, slot, people=people, team=team)
        unit = member.unit if member else team.unit
        places = len(people)
        _quota_check(event, unit=unit, member=member, team=team)
        new = _new_people(event, member, team) if event.capacity is not None else 0
        fits = _fits(event, slot, places=places, new=new)
        if not fits and not event.waiting_list:
            raise RegistrationRefused("full", _full_message(event, slot))
        registration = Registration.objects.create(
            event=event,
            slot=slot,
            member=member,
            team=team,
            places=places,
            unit=unit,
            state=Registration.State.REGISTERED if fits else Registration.State.WAITING,
            answers=cleaned,
            registered_by=acting_user if getattr(acting_user, "is_authenticated", False) else None,
        )
        if fits:
            ticket_issue(registration, now=now)
        place = None if fits else waiting_place(registration)
        audit_log(
            actor=acting_user if registration.registered_by_id else None,
            action="events.registration.created" if fits else "events.registration.waiting",
            obj=registration,
            unit=unit,
            data=_audit_data(registration, waiting_place=place),
        )
    return Outcome(registration, place)


def _people(*, member: Member | None, team: Team | None) -> list[Member]:
    if member is not None:
        return [member]
    return list(team.members.select_related("unit").order_by("pk"))


def _window_check(event: Event, now: datetime, *, at_gate: bool = False) -> None:
    if at_gate:
        if event.state not in (Event.State.OPEN, Event.State.CLOSED) or now >= event.ends_at:
            raise RegistrationRefused(
                "window",
                _("“%(event)s” takes no walk-ins now (the event is “%(state)s”).")
                % {"event": event.title, "state": event.get_state_display()},
            )
        return
    if event.state != Event.State.OPEN:
        raise RegistrationRefused(
            "window",
            _("Registration for “%(event)s” is not open (the event is %(state)s).")
            % {"event": event.title, "state": event.get_state_display().lower()},
        )
    if now < event.registration_opens_at or now >= event.registration_closes_at:
        when = timezone.localtime(
            event.registration_opens_at
            if now < event.registration_opens_at
            else event.registration_closes_at
        )
        message = (
            _("Registration for “%(event)s” opens at %(time)s (Beijing time).")
            if now < event.registration_opens_at
            else _("Registration for “%(event)s” closed at %(time)s (Beijing time).")
        )
        raise RegistrationRefused(
            "window", message % {"event": event.title, "time": when.strftime("%Y-%m-%d %H:%M")}
        )


def _registrant_kind_check(event: Event, *, acting_user, member, team) -> None:
    if team is not None and not event.teams_register:
        raise RegistrationRefused("registrant", _("This event does not take teams."))
    if member is None or event.members_register:
        return
    if acting_user is None or member.user_id == acting_user.pk:  # registering themself
        raise RegistrationRefused(
            "registrant", _("People are registered for this event by their unit's admin.")
        )


def _slot_check(event: Event, slot: Slot | None) -> None:
    if slot is None and event.booths.exists():
        raise RegistrationRefused("slot", _("Choose a booth and a time slot."))
    if slot is not None and slot.booth.event_id != event.pk:
        raise RegistrationRefused("slot", _("That time slot is not one of this event's."))


def answers_check(event: Event, answers: dict, *, required: bool = True) -> dict:
    """The answers to the event's questions, cleaned (keys: the questions' pks as text), or
    ``RegistrationRefused`` naming the first question missing or answered wrongly."""
    cleaned = {}
    for question in event.questions.all():
        given = answers.get(str(question.pk), answers.get(question.pk, ""))
        given = given.strip() if isinstance(given, str) else given
        if given in ("", None):
            if question.required and required:
                raise RegistrationRefused(
                    "answers", _("Please answer “%(question)s”.") % {"question": question.text}
                )
            continue
        if question.kind == Question.Kind.YES_NO:
            if given not in (True, False, "yes", "no"):
                raise RegistrationRefused(
                    "answers", _("Answer “%(question)s” yes or no.") % {"question": question.text}
                )
            given = given in (True, "yes")
        elif question.kind == Question.Kind.CHOICE and given not in question.choice_list:
            raise RegistrationRefused(
                "answers",
                _("Choose one of the answers offered to “%(question)s”.")
                % {"question": question.text},
            )
        elif question.kind == Question.Kind.TEXT:
            given = str(given)[:1000]
        cleaned[str(question.pk)] = given
    return cleaned


def in_audience(event: Event, member: Member) -> bool:
    """Whether ``member`` is among the people the event is for."""
    return not _outside_audience(event, [member])


def _outside_audience(event: Event, people: list[Member]) -> list[Member]:
    if event.audience == Event.Audience.ALL:
        return []
    if event.audience == Event.Audience.INVITED:
        invited = set(
            EventInvitee.objects.filter(event=event, member__in=people).values_list(
                "member_id", flat=True
            )
        )
        return [person for person in people if person.pk not in invited]
    paths = list(event.audience_units.values_list("path", flat=True))
    return [p for p in people if not any(p.unit.path.startswith(path) for path in paths)]


def _audience_check(event, *, member, team, people) -> None:
    outside = _outside_audience(event, people)
    if not outside:
        return
    if member is not None:
        raise RegistrationRefused(
            "audience",
            _("“%(event)s” is for %(audience)s; you are not among them.")
            % {"event": event.title, "audience": event.get_audience_display().lower()},
        )
    raise RegistrationRefused(
        "audience",
        _("Team %(team)s cannot register: %(names)s not among the people “%(event)s” is for.")
        % {
            "team": team.name,
            "names": "、".join(person.name for person in outside),
            "event": event.title,
        },
    )


def _locks_take(
    *, event: Event, slots: list[Slot], people: list[Member] = (), team: Team | None = None
) -> tuple[Event, list[Slot]]:
    """Lock, in the one fixed order, the rows a registration counts under: the people (by
    pk), the team, the event when it is counted as a whole (an event-wide capacity or
    quotas), then the slots (by pk). Returns the event and the slots as locked."""
    if people:
        list(
            Member.objects.select_for_update()
            .filter(pk__in=[p.pk for p in people])
            .order_by("pk")
            .values_list("pk", flat=True)
        )
    if team is not None:
        Team.objects.select_for_update().filter(pk=team.pk).values_list("pk", flat=True).first()
    if event_counted_whole(event):
        event = Event.objects.select_for_update().get(pk=event.pk)
    else:
        event = Event.objects.get(pk=event.pk)
    by_pk = {
        slot.pk: slot
        for slot in Slot.objects.select_for_update()
        .select_related("booth")
        .filter(pk__in=[s.pk for s in slots])
        .order_by("pk")
    }
    return event, [by_pk[s.pk] for s in slots]


def event_counted_whole(event: Event) -> bool:
    """Whether the event's own row is locked when places change: it has an event-wide
    capacity or unit quotas, which count across slots."""
    return event.capacity is not None or EventQuota.objects.filter(event=event).exists()


def _holding(event: Event):
    return Registration.objects.filter(event=event, state__in=Registration.HOLDING)


def _already_check(event: Event, slot: Slot | None, *, member, team) -> None:
    mine = Registration.objects.filter(
        event=event,
        slot=slot,
        state__in=Registration.ACTIVE,
        **({"member": member} if member else {"team": team}),
    ).first()
    if mine is None:
        return
    who = _("You are") if member is not None else _("Team %(team)s is") % {"team": team.name}
    where = slot_name(slot) if slot else event.title
    raise RegistrationRefused(
        "already",
        _("%(who)s already %(state)s for %(where)s.")
        % {"who": who, "state": mine.get_state_display().lower(), "where": where},
    )


def _overlap_check(event: Event, slot: Slot | None, *, people: list[Member], team) -> None:
    """A person holds (or waits for) no two slots that overlap in time — in their own name
    or through a team."""
    if slot is None:
        return
    person_ids = [p.pk for p in people]
    clashes = (
        Registration.objects.filter(
            event=event,
            state__in=Registration.ACTIVE,
            slot__starts_at__lt=slot.ends_at,
            slot__ends_at__gt=slot.starts_at,
        )
        .filter(
            Q(member_id__in=person_ids)
            | Q(team__memberships__member_id__in=person_ids)
            | (Q(team=team) if team else Q(pk__in=[]))
        )
        .select_related("slot__booth", "member", "team")
        .distinct()
    )
    clash = clashes.first()
    if clash is None:
        return
    if team is None:
        message = _("That slot overlaps %(other)s, which you already hold or wait for.")
    else:
        message = _(
            "That slot overlaps %(other)s, which team %(team)s or one of its members already "
            "holds or waits for (%(holder)s)."
        )
    raise RegistrationRefused(
        "overlap",
        message
        % {
            "other": slot_name(clash.slot),
            "team": team.name if team else "",
            "holder": clash.registrant_name,
        },
    )


def _new_people(event: Event, member, team, *, among=Registration.HOLDING) -> int:
    """How many people this registration adds to the event's count: none when the member
    (or team) already holds a place in it — a person is counted once however many slots
    they hold. ``among``: the states counted (quotas count those waiting too)."""
    holding = Registration.objects.filter(event=event, state__in=among)
    if member is not None:
        return 0 if holding.filter(member=member).exists() else 1
    return 0 if holding.filter(team=team).exists() else team.memberships.count()


def people_count(registrations) -> int:
    """People among ``registrations``: each member once, each team once at its size."""
    members = registrations.filter(member__isnull=False).aggregate(
        n=Count("member", distinct=True)
    )["n"]
    team_places = {
        row["team"]: row["places"]
        for row in registrations.filter(team__isnull=False).values("team", "places")
    }
    return members + sum(team_places.values())


def _quota_check(event: Event, *, unit, member, team) -> None:
    """Each quota whose unit holds ``unit`` in its subtree: the people of that subtree who
    hold or wait for places, plus these (unless already among them), are at most the quota."""
    quotas = [
        quota
        for quota in EventQuota.objects.filter(event=event).select_related("unit")
        if unit.path.startswith(quota.unit.path)
    ]
    new = _new_people(event, member, team, among=Registration.ACTIVE) if quotas else 0
    for quota in quotas:
        active = Registration.objects.filter(
            event=event, state__in=Registration.ACTIVE, unit__path__startswith=quota.unit.path
        )
        used = people_count(active)
        if new and used + new > quota.places:
            raise RegistrationRefused(
                "quota",
                _(
                    "%(unit)s may send at most %(places)d people to “%(event)s”; %(used)d "
                    "are registered or waiting, so %(new)d more do not fit."
                )
                % {
                    "unit": quota.unit.name,
                    "places": quota.places,
                    "event": event.title,
                    "used": used,
                    "new": new,
                },
            )


def slot_taken(slot: Slot) -> int:
    return (
        Registration.objects.filter(slot=slot, state__in=Registration.HOLDING).aggregate(
            n=Sum("places")
        )["n"]
        or 0
    )


def _fits(event: Event, slot: Slot | None, *, places: int, new: int) -> bool:
    """Whether ``places`` more fit the slot (or, with no booths, the event) and ``new`` more
    people the event's own capacity."""
    if slot is not None and slot_taken(slot) + places > slot.capacity:
        return False
    return event.capacity is None or people_count(_holding(event)) + new <= event.capacity


def _full_message(event: Event, slot: Slot | None) -> str:
    if slot is not None and slot_taken(slot) >= slot.capacity:
        return _("%(slot)s is full and keeps no waiting list.") % {"slot": slot_name(slot)}
    return _("“%(event)s” is full and keeps no waiting list.") % {"event": event.title}


def slot_name(slot: Slot) -> str:
    start, end = timezone.localtime(slot.starts_at), timezone.localtime(slot.ends_at)
    return _("%(booth)s, %(day)s %(start)s–%(end)s") % {
        "booth": slot.booth.name,
        "day": start.strftime("%m-%d"),
        "start": start.strftime("%H:%M"),
        "end": end.strftime("%H:%M"),
    }


def waiting_place(registration: Registration) -> int | None:
    """A waiting registration's place in line (1 = next), else None."""
    if registration.state != Registration.State.WAITING:
        return None
    return Registration.objects.filter(
        event_id=registration.event_id,
        slot_id=registration.slot_id,
        state=Registration.State.WAITING,
        pk__lte=registration.pk,
    ).count()


# --- freeing places -------------------------------------------------------------------------


def registration_cancel(*, acting_user, registration: Registration, now=None) -> list[Registration]:
    """Cancel a registration (held, offered or waiting); its place goes to the first in line
    in the same transaction. Someone else cancelling it (an organiser, a unit admin) tells
    the registrant. An event that has ended or been cancelled keeps its registrations as
    they were. Returns the registrations that moved up."""
    if registration.event.state in (Event.State.ENDED, Event.State.CANCELLED):
        raise RegistrationRefused(
            "state",
            _("“%(event)s” is %(state)s: its registrations stay as they were.")
            % {
                "event": registration.event.title,
                "state": registration.event.get_state_display().lower(),
            },
        )
    with transaction.atomic():
        registration, promoted = _free(
            registration, Registration.State.CANCELLED, now=now or timezone.now()
        )
        if not _by_registrant(acting_user, registration):
            where = slot_name(registration.slot) if registration.slot else registration.event.title
            registrant_tell(
                registration,
                title=_("Registration cancelled: %(where)s") % {"where": where},
                body=_("Your registration for “%(event)s” (%(where)s) was cancelled by %(who)s.")
                % {
                    "event": registration.event.title,
                    "where": where,
                    "who": getattr(acting_user, "display_name", "") or _("the organisers"),
                },
                link=reverse("events:mine"),
            )
        audit_log(
            actor=acting_user if getattr(acting_user, "is_authenticated", False) else None,
            action="events.registration.cancelled",
            obj=registration,
            unit=registration.unit,
            data=_audit_data(registration),
        )
    return promoted


def _by_registrant(acting_user, registration: Registration) -> bool:
    """Whether the person cancelling is the registrant: a person verified without an account
    (no user), the member's own login, or the team's leader's."""
    if not getattr(acting_user, "is_authenticated", False):
        return True
    person = registration.member if registration.member_id else registration.team.leader
    return person.user_id == acting_user.pk


def slot_lock(slot: Slot) -> Slot:
    """``slot`` locked for a change of its places, in the fixed order (its event first when
    the event is counted as a whole)."""
    _event, [locked] = _locks_take(event=slot.booth.event, slots=[slot])
    return locked


def _free(
    registration: Registration, state: str, *, now, freed_from=Registration.ACTIVE
) -> tuple[Registration, list]:
    """Move ``registration`` to ``state`` under the locks — refused unless it is still in
    one of ``freed_from`` — and give the place it held to the first in line."""
    event = registration.event
    slots = _slots_to_promote(event, registration.slot)
    event, slots = _locks_take(event=event, slots=slots)
    registration = Registration.objects.select_related(
        "event", "slot__booth", "member", "team"
    ).get(pk=registration.pk)
    if registration.state not in freed_from:
        raise RegistrationRefused(
            "state",
            _("This registration is already %(state)s.")
            % {"state": registration.get_state_display().lower()},
        )
    was_holding = registration.holds_place
    registration.state = state
    registration.offer_expires_at = None
    registration.save(update_fields=["state", "offer_expires_at", "updated_at"])
    ticket_revoke(registration, now=now)
    promoted = _waiting_promote(event, slots, now=now) if was_holding else []
    return registration, promoted


def _slots_to_promote(event: Event, slot: Slot | None) -> list[Slot]:
    """The slots whose waiting lists a freed place may serve: its own, or every slot of the
    event when the event is counted as a whole (a place in the event frees for all)."""
    if event_counted_whole(event) and event.capacity is not None:
        return list(Slot.objects.filter(booth__event=event).order_by("pk"))
    return [slot] if slot is not None else []


def _waiting_promote(event: Event, slots: list[Slot], *, now) -> list[Registration]:
    """Give freed places to the registrations waiting for them, first come first served (in
    each slot's line, or the event's when it has no booths): registered at once, or offered
    for ``Event.offer_hours``. The line stops at the first who does not fit (a team larger
    than the places freed), so nobody is passed over. Called under the locks."""
    lines = Q(slot__in=slots) if slots else Q(slot__isnull=True)
    waiting = (
        Registration.objects.filter(lines, event=event, state=Registration.State.WAITING)
        .select_related("slot__booth", "member__user", "team__leader__user", "event")
        .order_by("pk")
    )
    promoted, stopped = [], set()
    for candidate in waiting:
        if candidate.slot_id in stopped:
            continue
        new = (
            _new_people(event, candidate.member, candidate.team)
            if event.capacity is not None
            else 0
        )
        if _fits(event, candidate.slot, places=candidate.places, new=new):
            _promote(candidate, now=now)
            promoted.append(candidate)
        else:
            stopped.add(candidate.slot_id)  # this line waits; the others may still move
    return promoted


def _promote(registration: Registration, *, now) -> None:
    event = registration.event
    if event.offer_hours:
        registration.state = Registration.State.OFFERED
        registration.offer_expires_at = now + timedelta(hours=event.offer_hours)
    else:
        registration.state = Registration.State.REGISTERED
    registration.save(update_fields=["state", "offer_expires_at", "updated_at"])
    if registration.state == Registration.State.REGISTERED:
        ticket_issue(registration, now=now)
    audit_log(
        actor=None,
        action="events.registration.offered"
        if registration.state == Registration.State.OFFERED
        else "events.registration.promoted",
        obj=registration,
        unit=registration.unit,
        data=_audit_data(registration),
    )
    where = slot_name(registration.slot) if registration.slot else event.title
    if registration.state == Registration.State.OFFERED:
        expires = timezone.localtime(registration.offer_expires_at).strftime("%Y-%m-%d %H:%M")
        title = _("A place is free for you: %(where)s") % {"where": where}
        body = _(
            "A place has been freed at “%(event)s”. Take it by %(time)s (Beijing time) on your "
            "registrations page, or it passes to the next person waiting."
        ) % {"event": event.title, "time": expires}
    else:
        title = _("You have a place: %(where)s") % {"where": where}
        body = _("A place has been freed at “%(event)s” and it is yours: you are registered.") % {
            "event": event.title
        }
    registrant_tell(registration, title=title, body=body, link=reverse("events:mine"))


def offer_accept(*, acting_user, registration: Registration, now=None) -> Registration:
    """Take an offered place before it lapses."""
    now = now or timezone.now()
    with transaction.atomic():
        _locks_take(
            event=registration.event, slots=[registration.slot] if registration.slot else []
        )
        registration = Registration.objects.select_related("event").get(pk=registration.pk)
        if registration.state != Registration.State.OFFERED or registration.offer_expires_at <= now:
            raise RegistrationRefused(
                "state", _("This offer is no longer open: the place has passed to the next person.")
            )
        registration.state = Registration.State.REGISTERED
        registration.offer_expires_at = None
        registration.save(update_fields=["state", "offer_expires_at", "updated_at"])
        ticket_issue(registration, now=now)
        audit_log(
            actor=acting_user if getattr(acting_user, "is_authenticated", False) else None,
            action="events.registration.offer_taken",
            obj=registration,
            unit=registration.unit,
            data=_audit_data(registration),
        )
    return registration


def offers_lapse(*, now: datetime | None = None) -> int:
    """Lapse the offers whose time has passed; each place goes to the next in line. Returns
    how many lapsed. A periodic job."""
    now = now or timezone.now()
    lapsed = 0
    due = Registration.objects.filter(
        state=Registration.State.OFFERED, offer_expires_at__lte=now
    ).values_list("pk", flat=True)
    for pk in list(due):
        with transaction.atomic():
            registration = Registration.objects.select_related("event", "slot").get(pk=pk)
            try:
                registration, _promoted = _free(
                    registration,
                    Registration.State.LAPSED,
                    now=now,
                    freed_from=(Registration.State.OFFERED,),
                )
            except RegistrationRefused:
                continue  # taken or cancelled meanwhile
            audit_log(
                actor=None,
                action="events.registration.offer_lapsed",
                obj=registration,
                unit=registration.unit,
                data=_audit_data(registration),
            )
            lapsed += 1
    return lapsed


def places_changed(*, event: Event, slots: list[Slot], now=None) -> list[Registration]:
    """After an organiser adds places (a slot's; or the event's capacity, raised or taken
    away: ``slots`` empty, every slot's line), give them to those waiting. Called inside the
    setup service's transaction."""
    if not slots:
        slots = list(Slot.objects.filter(booth__event=event).order_by("pk"))
    event, slots = _locks_take(event=event, slots=_slots_to_promote(event, None) or slots)
    return _waiting_promote(event, slots, now=now or timezone.now())


def _audit_data(registration: Registration, **extra) -> dict:
    data = {
        "event": registration.event.slug,
        "slot": registration.slot_id,
        "member": registration.member_id,
        "team": registration.team_id,
        "places": registration.places,
        "state": registration.state,
    }
    data.update({key: value for key, value in extra.items() if value is not None})
    return data
