"""A performance's programme (节目单): its acts in order, each with its performers — members
and teams of the organiser's subtree, guest troupes by name — and how long it runs.

Acts are numbered 1, 2, … n without gaps. Every change that numbers them (an act added last,
one taken out, one moved to another number, the whole order set at once as a drag sends it)
locks the event's row first, so two organisers reordering at once are decided one after the
other and the numbers never collide. Only a performance or a ceremony has a programme, and it
no longer changes once the event has ended or been cancelled. Every write is atomic and
audited.
"""

from collections.abc import Iterable, Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from laurel.audit.services import audit_log
from laurel.events.models import Act, Event
from laurel.members.models import Member, Team

PROGRAMME_KINDS = (Event.Kind.PERFORMANCE, Event.Kind.CEREMONY)


def has_programme(event: Event) -> bool:
    """Whether ``event`` is of a kind that has a programme."""
    return event.kind in PROGRAMME_KINDS


def _event_locked(event: Event) -> Event:
    """The event's row, locked until the transaction ends; refused when its programme may not
    change."""
    event = Event.objects.select_for_update().get(pk=event.pk)  # its row only, not its unit's
    if not has_programme(event):
        raise ValidationError(_("Only a performance or a ceremony has a programme."))
    if event.state in (Event.State.ENDED, Event.State.CANCELLED):
        raise ValidationError(
            _("The programme of an event that has ended or been cancelled cannot change.")
        )
    return event


def _acts_in_order(event: Event) -> list[Act]:
    return list(Act.objects.filter(event=event).order_by("position", "pk"))


def _numbered(acts: Sequence[Act]) -> None:
    """Number ``acts`` 1 … n in the order given, writing only those whose number changes."""
    changed = []
    for position, act in enumerate(acts, start=1):
        if act.position != position:
            act.position = position
            changed.append(act)
    Act.objects.bulk_update(changed, ["position"])


def _performers_check(event: Event, members: list[Member], teams: list[Team]) -> None:
    """Refuse members or teams outside the subtree of the event's organiser."""
    reach = event.unit.path
    outside = [
        *Member.objects.filter(pk__in=[m.pk for m in members])
        .exclude(unit__path__startswith=reach)
        .values_list("name", flat=True),
        *Team.objects.filter(pk__in=[t.pk for t in teams])
        .exclude(unit__path__startswith=reach)
        .values_list("name", flat=True),
    ]
    if outside:
        raise ValidationError(
            _("Not of %(unit)s or a unit below it: %(names)s.")
            % {"unit": event.unit.name, "names": "、".join(outside)},
            code="outside_unit",
        )


@transaction.atomic
def act_save(
    *,
    acting_user,
    event: Event,
    act: Act | None = None,
    title: str,
    kind: str = "",
    members: Iterable[Member] = (),
    teams: Iterable[Team] = (),
    guests: str = "",
    duration_seconds: int,
    notes: str = "",
) -> Act:
    """Add an act to ``event``'s programme, last; or change ``act`` (it keeps its number)."""
    event = _event_locked(event)
    if act is None:
        act = Act(event=event, position=Act.objects.filter(event=event).count() + 1)
    else:
        act = Act.objects.get(pk=act.pk, event=event)
    act.title, act.kind, act.guests = title.strip(), kind.strip(), guests.strip()
    act.duration_seconds, act.notes = duration_seconds, notes.strip()
    act.full_clean()
    members, teams = list(members), list(teams)
    _performers_check(event, members, teams)
    act.save()
    act.members.set(members)
    act.teams.set(teams)
    audit_log(
        actor=acting_user,
        action="events.act.saved",
        obj=act,
        unit=event.unit,
        data={
            "event": event.slug,
            "position": act.position,
            "title": act.title,
            "kind": act.kind,
            "duration_seconds": act.duration_seconds,
            "members": [m.pk for m in members],
            "teams": [t.pk for t in teams],
            "guests": act.guests,
        },
    )
    return act


@transaction.atomic
def act_delete(*, acting_user, act: Act) -> None:
    """Take ``act`` out of its programme; those after it move up a number."""
    event = _event_locked(act.event)
    act = Act.objects.get(pk=act.pk, event=event)
    audit_log(
        actor=acting_user,
        action="events.act.deleted",
        obj=event,
        unit=event.unit,
        data={"event": event.slug, "position": act.position, "title": act.title},
    )
    act.delete()
    _numbered(_acts_in_order(event))


@transaction.atomic
def act_move(*, acting_user, act: Act, position: int) -> Act:
    """Give ``act`` the number ``position`` (1 … n); the acts between its old number and the
    new one shift by one to make room."""
    event = _event_locked(act.event)
    acts = _acts_in_order(event)
    moving = next((a for a in acts if a.pk == act.pk), None)
    if moving is None:
        raise ValidationError(_("This act is not in the programme any more."))
    if not 1 <= position <= len(acts):
        raise ValidationError(
            {"position": _("Choose a number from 1 to %(count)d.") % {"count": len(acts)}}
        )
    before = moving.position
    acts.remove(moving)
    acts.insert(position - 1, moving)
    _numbered(acts)
    audit_log(
        actor=acting_user,
        action="events.act.moved",
        obj=moving,
        unit=event.unit,
        data={"event": event.slug, "title": moving.title, "from": before, "to": position},
    )
    return moving


@transaction.atomic
def acts_reorder(*, acting_user, event: Event, act_ids: Sequence[int]) -> list[Act]:
    """Put ``event``'s acts in the order of ``act_ids`` (as a drag sends it: every act of the
    programme, each once). Anything else — an act missing, another event's, one twice — is
    refused: the page that sent it is out of date."""
    event = _event_locked(event)
    acts = {act.pk: act for act in _acts_in_order(event)}
    if len(act_ids) != len(acts) or set(act_ids) != set(acts):
        raise ValidationError(
            _(
                "The order sent is not this programme's acts: the programme has changed since "
                "the page was loaded. The order now is shown; move the acts again."
            ),
            code="not_the_programme",
        )
    ordered = [acts[pk] for pk in act_ids]
    before = list(acts)
    _numbered(ordered)
    audit_log(
        actor=acting_user,
        action="events.programme.reordered",
        obj=event,
        unit=event.unit,
        data={"event": event.slug, "before": before, "after": list(act_ids)},
    )
    return ordered
