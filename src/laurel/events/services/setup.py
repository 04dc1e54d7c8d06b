"""Setting an event up — its fields, audience, quotas, questions, booths and slots — and
moving it through its states; every write atomic and audited. A changed time or venue, a
cancellation and the day-before reminder tell everyone registered (``notices``)."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from laurel.audit.services import audit_log
from laurel.events.keys import key_pair_new
from laurel.events.models import (
    Booth,
    Event,
    EventInvitee,
    EventQuota,
    Question,
    Registration,
    Slot,
)
from laurel.events.services.notices import change_sentence, event_when, registrants_tell
from laurel.events.services.registration import (
    people_count,
    places_changed,
    slot_lock,
    slot_taken,
)
from laurel.media.services import assets_publish

EVENT_FIELDS = (
    "kind",
    "title",
    "description",
    "cover",
    "venue",
    "starts_at",
    "ends_at",
    "unit",
    "audience",
    "registration_opens_at",
    "registration_closes_at",
    "capacity",
    "completion_percent",
    "showcase_of",
    "members_register",
    "teams_register",
    "waiting_list",
    "offer_hours",
)
# what the people registered are told about when it changes
NOTICED_FIELDS = ("starts_at", "ends_at", "venue")

TRANSITIONS = {
    Event.State.DRAFT: (Event.State.OPEN, Event.State.CANCELLED),
    Event.State.OPEN: (Event.State.CLOSED, Event.State.ENDED, Event.State.CANCELLED),
    Event.State.CLOSED: (Event.State.OPEN, Event.State.ENDED, Event.State.CANCELLED),
    Event.State.ENDED: (),
    Event.State.CANCELLED: (),
}

QuestionRow = tuple[str, str, str, bool]  # text, kind, choices (one per line), required


def _told_of_changes(event: Event):
    """The registrations told when the event changes or is cancelled: those registered,
    offered a place or waiting."""
    return event.registrations.filter(state__in=Registration.ACTIVE)


@dataclass(frozen=True)
class CancelPreview:
    """What cancelling an event reaches: the registrations told (a team through its leader)
    and the people they stand for."""

    registrations: int
    people: int


def event_cancel_preview(event: Event) -> CancelPreview:
    """Who cancelling ``event`` tells, counted as ``event_state_set`` will tell them."""
    told = _told_of_changes(event)
    return CancelPreview(registrations=told.count(), people=people_count(told))


def _parts_set(event, *, audience_units, invitees, quotas, questions) -> None:
    if audience_units is not None:
        event.audience_units.set(audience_units)
    if invitees is not None:
        EventInvitee.objects.filter(event=event).exclude(member__in=invitees).delete()
        have = set(EventInvitee.objects.filter(event=event).values_list("member_id", flat=True))
        EventInvitee.objects.bulk_create(
            [EventInvitee(event=event, member=m) for m in invitees if m.pk not in have]
        )
    if quotas is not None:
        EventQuota.objects.filter(event=event).delete()
        EventQuota.objects.bulk_create(
            [EventQuota(event=event, unit=unit, places=places) for unit, places in quotas]
        )
    if questions is not None:
        _questions_set(event, questions)


def _questions_set(event: Event, rows: Sequence[QuestionRow]) -> None:
    """The questions in the order given; a question keeps its row (and the answers given to
    it) while it stays at its place."""
    existing = list(event.questions.order_by("order", "pk"))
    for order, (text, kind, choices, required) in enumerate(rows):
        question = existing[order] if order < len(existing) else Question(event=event)
        question.order, question.text, question.kind = order, text, kind
        question.choices, question.required = choices, required
        if kind == Question.Kind.CHOICE and not question.choice_list:
            raise ValidationError(
                {
                    "questions": _("Question %(n)d: give the choices, one per line.")
                    % {"n": order + 1}
                }
            )
        question.full_clean()
        question.save()
    for question in existing[len(rows) :]:
        question.delete()


def _event_check(event: Event) -> None:
    event.full_clean()
    if event.ends_at <= event.starts_at:
        raise ValidationError({"ends_at": _("The event must end after it starts.")})
    if event.registration_closes_at <= event.registration_opens_at:
        raise ValidationError(
            {"registration_closes_at": _("Registration must close after it opens.")}
        )
    if event.registration_closes_at > event.ends_at:
        raise ValidationError(
            {"registration_closes_at": _("Registration must close before the event ends.")}
        )
    if event.completion_percent is not None and event.kind != Event.Kind.COURSE:
        raise ValidationError(
            {"completion_percent": _("Only a course asks for a share of its classes.")}
        )
    if event.showcase_of_id is not None and (
        event.kind != Event.Kind.PERFORMANCE or event.showcase_of.kind != Event.Kind.COURSE
    ):
        raise ValidationError(
            {"showcase_of": _("A performance shows a course's work: choose a course.")}
        )


@transaction.atomic
def event_create(
    *,
    acting_user,
    slug: str,
    audience_units=(),
    invitees=(),
    quotas: Sequence[tuple[object, int]] = (),
    questions: Sequence[QuestionRow] = (),
    **fields,
) -> Event:
    event = Event(slug=slug, created_by=acting_user, **fields)
    event.public_key, event.private_key_sealed = key_pair_new()  # signs its tickets
    _event_check(event)
    event.save()
    _parts_set(
        event, audience_units=audience_units, invitees=invitees, quotas=quotas, questions=questions
    )
    audit_log(
        actor=acting_user,
        action="events.event.created",
        obj=event,
        unit=event.unit,
        data={"slug": slug, "title": event.title, "kind": event.kind},
    )
    return event


@transaction.atomic
def event_update(
    *,
    acting_user,
    event: Event,
    audience_units=None,
    invitees=None,
    quotas=None,
    questions=None,
    **fields,
) -> Event:
    """Change an event's settings. A new time or venue is told to everyone registered or
    waiting; places added go to those waiting."""
    event = Event.objects.select_for_update().get(pk=event.pk)
    if event.state in (Event.State.ENDED, Event.State.CANCELLED):
        raise ValidationError(_("An event that has ended or been cancelled cannot change."))
    unknown = set(fields) - set(EVENT_FIELDS)
    if unknown:
        raise ValueError(f"not event fields: {sorted(unknown)}")
    before = {name: getattr(event, name) for name in fields}
    for name, value in fields.items():
        setattr(event, name, value)
    _event_check(event)
    event.save()
    _parts_set(
        event, audience_units=audience_units, invitees=invitees, quotas=quotas, questions=questions
    )
    changed = sorted(name for name in fields if before[name] != fields[name])
    audit_log(
        actor=acting_user,
        action="events.event.updated",
        obj=event,
        unit=event.unit,
        data={"changed": changed},
    )
    if any(name in NOTICED_FIELDS for name in changed):
        registrants_tell(
            _told_of_changes(event),
            title=_("“%(event)s” has changed") % {"event": event.title},
            body=change_sentence(event, changed),
            link=reverse("events:detail", args=[event.slug]),
        )
    if "capacity" in changed or quotas is not None:
        places_changed(event=event, slots=[])
    if "cover" in changed:
        _cover_publish(event, acting_user=acting_user, previous=before["cover"])
    return event


def _cover_publish(event: Event, *, acting_user, previous=None) -> None:
    """An event past its draft is public, and so is its cover (its thumbnail and display
    copy); a cover replaced is private again."""
    if event.state == Event.State.DRAFT:
        return
    assets_publish(
        acting_user=acting_user,
        published=[event.cover_id] if event.cover_id else [],
        withdrawn=[previous.pk] if previous is not None else [],
    )


@transaction.atomic
def event_state_set(*, acting_user, event: Event, state: str) -> Event:
    """Move an event on (``TRANSITIONS``). Cancelling tells everyone registered or waiting."""
    event = Event.objects.select_for_update().get(pk=event.pk)
    if state not in TRANSITIONS[event.state]:
        raise ValidationError(
            _("An event that is %(now)s cannot become %(then)s.")
            % {
                "now": event.get_state_display().lower(),
                "then": Event.State(state).label.lower(),
            }
        )
    before = event.state
    event.state = state
    event.save(update_fields=["state", "updated_at"])
    audit_log(
        actor=acting_user,
        action="events.event.state_changed",
        obj=event,
        unit=event.unit,
        data={"from": before, "to": state},
    )
    if before == Event.State.DRAFT:
        _cover_publish(event, acting_user=acting_user)
    if state == Event.State.CANCELLED:
        registrants_tell(
            _told_of_changes(event),
            title=_("“%(event)s” is cancelled") % {"event": event.title},
            body=_("“%(event)s” (%(when)s, %(venue)s) will not take place.")
            % {"event": event.title, "when": event_when(event), "venue": event.venue},
            link=reverse("events:detail", args=[event.slug]),
        )
    return event


# --- booths and slots ------------------------------------------------------------------------


def _editable(event: Event) -> None:
    if event.state in (Event.State.ENDED, Event.State.CANCELLED):
        raise ValidationError(_("An event that has ended or been cancelled cannot change."))


@transaction.atomic
def booth_save(
    *, acting_user, event: Event, name: str, description: str = "", booth: Booth | None = None
) -> Booth:
    """Add a booth to ``event``, or rename ``booth``."""
    _editable(event)
    if booth is None:
        booth = Booth(event=event, order=event.booths.count())
    booth.name, booth.description = name.strip(), description
    booth.full_clean()
    booth.save()
    audit_log(
        actor=acting_user,
        action="events.booth.saved",
        obj=booth,
        unit=event.unit,
        data={"event": event.slug, "name": booth.name},
    )
    return booth


@transaction.atomic
def booth_delete(*, acting_user, booth: Booth) -> None:
    """Take out a booth nobody has registered for."""
    if Registration.objects.filter(slot__booth=booth).exists():
        raise ValidationError(
            _("%(booth)s has registrations; cancel them first, or keep the booth.")
            % {"booth": booth.name}
        )
    audit_log(
        actor=acting_user,
        action="events.booth.deleted",
        obj=booth.event,
        unit=booth.event.unit,
        data={"name": booth.name},
    )
    booth.delete()


@transaction.atomic
def slot_save(
    *,
    acting_user,
    booth: Booth,
    starts_at: datetime,
    ends_at: datetime,
    capacity: int,
    slot: Slot | None = None,
) -> Slot:
    """Add a time slot to ``booth``, or change ``slot``. Its places never drop below those
    taken; places added go to the people waiting."""
    event = booth.event
    _editable(event)
    if slot is not None:
        slot = slot_lock(slot)
        taken = slot_taken(slot)
        if capacity < taken:
            raise ValidationError(
                {
                    "capacity": _("%(taken)d places are taken in this slot: it cannot have fewer.")
                    % {"taken": taken}
                }
            )
        if (slot.starts_at, slot.ends_at) != (starts_at, ends_at) and Registration.objects.filter(
            slot=slot, state__in=Registration.ACTIVE
        ).exists():
            raise ValidationError(
                {"starts_at": _("People are registered for this slot: its time stays as it is.")}
            )
    else:
        slot = Slot(booth=booth)
    added = slot.pk is not None and capacity > slot.capacity
    slot.starts_at, slot.ends_at, slot.capacity = starts_at, ends_at, capacity
    slot.full_clean()
    if not (event.starts_at <= starts_at and ends_at <= event.ends_at):
        raise ValidationError({"starts_at": _("A slot lies within the event's own times.")})
    slot.save()
    audit_log(
        actor=acting_user,
        action="events.slot.saved",
        obj=slot,
        unit=event.unit,
        data={"booth": booth.name, "capacity": capacity},
    )
    if added:
        places_changed(event=event, slots=[slot])
    return slot


@transaction.atomic
def slot_delete(*, acting_user, slot: Slot) -> None:
    """Take out a time slot nobody has registered for."""
    if Registration.objects.filter(slot=slot).exists():
        raise ValidationError(_("People have registered for this slot; it stays."))
    audit_log(
        actor=acting_user,
        action="events.slot.deleted",
        obj=slot.booth.event,
        unit=slot.booth.event.unit,
        data={"booth": slot.booth.name, "starts_at": slot.starts_at.isoformat()},
    )
    slot.delete()


# --- the day before ----------------------------------------------------------------------------


def reminders_send(*, now: datetime | None = None) -> int:
    """Remind everyone holding a place of an event that starts tomorrow (Beijing time),
    once per event. Returns how many people were reminded. A periodic job."""
    now = now or timezone.now()
    tomorrow = timezone.localtime(now).date() + timedelta(days=1)
    start = timezone.make_aware(datetime.combine(tomorrow, datetime.min.time()))
    due = Event.objects.filter(
        state__in=(Event.State.OPEN, Event.State.CLOSED),
        reminded_at__isnull=True,
        starts_at__gte=start,
        starts_at__lt=start + timedelta(days=1),
    )
    told = 0
    for pk in list(due.values_list("pk", flat=True)):
        with transaction.atomic():
            event = Event.objects.select_for_update().get(pk=pk)
            if event.reminded_at is not None:
                continue
            count = registrants_tell(
                event.registrations.filter(state=Registration.State.REGISTERED),
                title=_("Tomorrow: %(event)s") % {"event": event.title},
                body=_("“%(event)s” is tomorrow, %(when)s, at %(venue)s.")
                % {"event": event.title, "when": event_when(event), "venue": event.venue},
                link=reverse("events:mine"),
            )
            event.reminded_at = now
            event.save(update_fields=["reminded_at"])
            audit_log(
                actor=None,
                action="events.event.reminded",
                obj=event,
                unit=event.unit,
                data={"people": count},
            )
            told += count
    return told
