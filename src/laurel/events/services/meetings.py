"""Meetings (``Event.Kind.MEETING``): the invitation list, sign-in by ticking names, and
leave (请假).

An organiser invites people: members, or every admin of some units (the unit-admin role on
that very unit, ``RoleGrant``) who has a member record (``Member.user``) — an admin without
one is named in the outcome and cannot be invited until their login is linked. Each invitee
is an ``EventInvitee`` and a registration, registered at once with its ticket, and told (in
their inbox and by SMS, as registrants are): no registration window and no capacity apply,
the organiser decides who comes. Inviting someone
twice changes nothing. Removing an invitee cancels the registration (its ticket revoked) and
takes them off the list.

An invitee signs in with their ticket's QR code at the gate (``ticket_check_in``) or is
ticked on the list by staff (``sign_in_by_list``): the same check-in under the same row lock,
so a second tick is a duplicate of the first, never a second sign-in.

An invitee who cannot come asks for leave with a reason (``leave_request``): themselves
before the meeting starts, or an organiser for them until it ends; withdrawn the same way
(``leave_withdraw``). Every write is atomic and audited.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from laurel.accounts.models import Role, User
from laurel.audit.services import audit_log, audit_log_many
from laurel.events.models import CheckIn, Event, EventInvitee, Registration, Ticket
from laurel.events.services.notices import event_when, registrant_tell
from laurel.events.services.registration import RegistrationRefused, registration_cancel
from laurel.events.services.tickets import (
    DEVICE_MAX,
    CheckInOutcome,
    check_in_refused,
    ticket_admit,
    ticket_issue,
)
from laurel.members.models import Member
from laurel.orgs.models import Unit

LEAVE_REASON_MAX = 500
SETTLED = (Event.State.ENDED, Event.State.CANCELLED)  # its list and leave stay as they are


@dataclass(frozen=True)
class InviteOutcome:
    """What an invitation did: ``invited`` the registrations made, ``already`` the members
    invited before (left as they were), ``admins_unlinked`` the unit admins who have no
    member record and so were not invited."""

    invited: list[Registration]
    already: list[Member]
    admins_unlinked: list[User]


def _meeting_check(event: Event) -> None:
    if event.kind != Event.Kind.MEETING:
        raise ValidationError(_("“%(event)s” is not a meeting.") % {"event": event.title})
    if event.state in SETTLED:
        raise ValidationError(
            _("“%(event)s” is %(state)s: its invitation list stays as it is.")
            % {"event": event.title, "state": event.get_state_display().lower()}
        )


def _unit_admins(units: Iterable[Unit]) -> list[User]:
    """The active logins holding the unit-admin role on one of ``units`` itself."""
    return list(
        User.objects.filter(
            is_active=True, grants__role=Role.UNIT_ADMIN, grants__unit__in=list(units)
        )
        .distinct()
        .order_by("display_name", "username", "pk")
    )


def meeting_invite(
    *,
    acting_user,
    event: Event,
    members: Iterable[Member] = (),
    admin_units: Iterable[Unit] = (),
    now: datetime | None = None,
) -> InviteOutcome:
    """Invite ``members`` and every admin of ``admin_units`` who has a member record to the
    meeting ``event``: each one an invitee and a registration, registered with its ticket.
    A member already holding an active registration for it is skipped (and counted); the
    admins without a member record are named in the outcome."""
    now = now or timezone.now()
    _meeting_check(event)
    admins = _unit_admins(admin_units)
    with transaction.atomic():
        records = {
            member.user_id: member
            for member in Member.objects.select_related("unit").filter(user__in=admins)
        }
        people = {member.pk: member for member in members}
        for admin in admins:
            if admin.pk in records:
                people.setdefault(records[admin.pk].pk, records[admin.pk])
        # the people's rows locked in the order every registering path takes them
        list(
            Member.objects.select_for_update()
            .filter(pk__in=people)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        active = set(
            Registration.objects.filter(
                event=event, member_id__in=people, state__in=Registration.ACTIVE
            ).values_list("member_id", flat=True)
        )
        listed = set(
            EventInvitee.objects.filter(event=event, member_id__in=people).values_list(
                "member_id", flat=True
            )
        )
        EventInvitee.objects.bulk_create(
            [EventInvitee(event=event, member_id=pk) for pk in sorted(people) if pk not in listed]
        )
        invited = []
        for pk in sorted(people):
            if pk in active:
                continue
            registration = Registration.objects.create(
                event=event,
                member=people[pk],
                places=1,
                unit=people[pk].unit,
                state=Registration.State.REGISTERED,
                registered_by=acting_user
                if getattr(acting_user, "is_authenticated", False)
                else None,
            )
            ticket_issue(registration, now=now)
            invited.append(registration)
            registrant_tell(
                registration,
                title=_("You are invited to “%(meeting)s”") % {"meeting": event.title},
                body=_("%(when)s at %(venue)s. Show your ticket at the door, or sign in there.")
                % {"when": event_when(event), "venue": event.venue},
                link=reverse("events:registration", args=[registration.pk]),
            )
        audit_log_many(
            actor=acting_user,
            action="events.invitee.invited",
            changes=[
                (registration, registration.unit, _audit_data(registration))
                for registration in invited
            ],
        )
    return InviteOutcome(
        invited=invited,
        already=[people[pk] for pk in sorted(people) if pk in active],
        admins_unlinked=[admin for admin in admins if admin.pk not in records],
    )


def invitee_remove(*, acting_user, registration: Registration, now=None) -> Registration:
    """Take an invitee off the meeting's list: their registration cancelled (its ticket
    revoked; they are told) and their invitation gone."""
    _meeting_check(registration.event)
    with transaction.atomic():
        try:
            registration_cancel(acting_user=acting_user, registration=registration, now=now)
        except RegistrationRefused as refused:
            raise ValidationError(refused.message) from None
        EventInvitee.objects.filter(
            event_id=registration.event_id, member_id=registration.member_id
        ).delete()
        registration.refresh_from_db()
        audit_log(
            actor=acting_user,
            action="events.invitee.removed",
            obj=registration,
            unit=registration.unit,
            data=_audit_data(registration),
        )
    return registration


# --- signing in -------------------------------------------------------------------------------


def staff_name(user) -> str:
    """How a sign-in ticked by ``user`` names its "device": the staff member's name."""
    return (getattr(user, "display_name", "") or str(user)).strip()[:DEVICE_MAX]


def sign_in_by_list(
    *, acting_user, event: Event, registration: Registration, now: datetime | None = None
) -> CheckInOutcome:
    """Sign ``registration``'s invitee in because staff ticked their name on the list: the
    check-in a scan of their ticket would make (``CheckIn.Method.LIST``, the staff member's
    name as its device). Ticked again — or after a scan — it is kept as a duplicate of the
    first and refused as one; a cancelled registration is refused."""
    if registration.event_id != event.pk:
        raise ValueError("a registration of another event")
    now = now or timezone.now()
    device = staff_name(acting_user)
    with transaction.atomic():
        ticket = Ticket.objects.filter(registration=registration).first()
        if ticket is None:  # never registered: on the waiting list, say
            return check_in_refused(
                acting_user,
                event,
                "cancelled",
                device=device,
                booth=None,
                registration=registration,
            )
        return ticket_admit(
            acting_user=acting_user,
            event=event,
            ticket=ticket,
            at=now,
            device=device,
            booth=None,
            method=CheckIn.Method.LIST,
        )


# --- leave ------------------------------------------------------------------------------------


def _by_invitee(acting_user, registration: Registration) -> bool:
    """Whether the invitee acts themself: verified without an account (no user), or their own
    login."""
    if not getattr(acting_user, "is_authenticated", False):
        return True
    return registration.member.user_id == acting_user.pk


def _leave_locked(registration: Registration) -> Registration:
    return (
        Registration.objects.select_for_update(of=("self",))
        .select_related("event", "member", "unit")
        .get(pk=registration.pk)
    )


def _leave_check(acting_user, registration: Registration, now: datetime) -> None:
    """Leave is asked (or withdrawn) for an invitee holding a place who has not signed in:
    by themself before the meeting starts, by an organiser until it ends."""
    event = registration.event
    _meeting_check(event)
    if registration.member_id is None or registration.state != Registration.State.REGISTERED:
        raise ValidationError(_("Only an invitee whose place stands asks for leave."))
    if registration.checked_in_at is not None:
        raise ValidationError(
            _("%(name)s has signed in already.") % {"name": registration.member.name}
        )
    if _by_invitee(acting_user, registration):
        if now >= event.starts_at:
            raise ValidationError(
                _("The meeting has started: ask its organisers to record your leave.")
            )
    elif now >= event.ends_at:
        raise ValidationError(_("The meeting is over: its leave stays as it was."))


def leave_request(
    *, acting_user, registration: Registration, reason: str, now: datetime | None = None
) -> Registration:
    """Ask for leave from the meeting for ``registration``'s invitee, with ``reason`` (given,
    at most ``LEAVE_REASON_MAX`` characters): by the invitee themself before it starts, or
    recorded by an organiser until it ends. Asked again, the new reason replaces the old."""
    now = now or timezone.now()
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the invitee cannot come.")})
    if len(reason) > LEAVE_REASON_MAX:
        raise ValidationError(
            {
                "reason": _("Say it in at most %(max)d characters (this is %(length)d).")
                % {"max": LEAVE_REASON_MAX, "length": len(reason)}
            }
        )
    with transaction.atomic():
        registration = _leave_locked(registration)
        _leave_check(acting_user, registration, now)
        registration.leave_reason = reason
        registration.leave_at = now
        registration.save(update_fields=["leave_reason", "leave_at", "updated_at"])
        audit_log(
            actor=acting_user,
            action="events.leave.requested",
            obj=registration,
            unit=registration.unit,
            data=_audit_data(
                registration, reason=reason, by_invitee=_by_invitee(acting_user, registration)
            ),
        )
    return registration


def leave_withdraw(
    *, acting_user, registration: Registration, now: datetime | None = None
) -> Registration:
    """Withdraw the leave asked for ``registration``'s invitee (the same rules as asking):
    they are expected again."""
    now = now or timezone.now()
    with transaction.atomic():
        registration = _leave_locked(registration)
        if registration.leave_at is None:
            raise ValidationError(_("No leave was asked for."))
        _leave_check(acting_user, registration, now)
        registration.leave_reason = ""
        registration.leave_at = None
        registration.save(update_fields=["leave_reason", "leave_at", "updated_at"])
        audit_log(
            actor=acting_user,
            action="events.leave.withdrawn",
            obj=registration,
            unit=registration.unit,
            data=_audit_data(registration, by_invitee=_by_invitee(acting_user, registration)),
        )
    return registration


# --- the attendance sheet ---------------------------------------------------------------------


def roll_export_record(*, acting_user, event: Event, kind: str, rows: int) -> None:
    """The attendance sheet taken as ``kind`` ("xlsx" or "pdf") with ``rows`` invitees: it
    leaves the system with people's names, so it is audited."""
    with transaction.atomic():
        audit_log(
            actor=acting_user,
            action="events.roll.exported",
            obj=event,
            unit=event.unit,
            data={"event": event.slug, "kind": kind, "rows": rows},
        )


def _audit_data(registration: Registration, **extra) -> dict:
    return {
        "event": registration.event.slug,
        "member": registration.member_id,
        "state": registration.state,
        **extra,
    }
