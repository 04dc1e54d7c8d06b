"""Tickets and check-ins: a ticket issued when a registration holds a place as registered and
revoked when it is cancelled, and the gate's check of a scanned payload or a typed code.

A ticket stores neither its payload nor its code. ``ticket_of`` computes both for the holder
from the event's private key (``events.keys``): the payload signed (``core.tickets``), the
code derived. A typed code finds its ticket by its keyed hash (``Ticket.code_digest``).

``ticket_check_in`` locks the registration's row before it looks for an earlier check-in, so
two scans of one ticket at the same moment make one check-in and one duplicate; a unique
index (one first check-in a registration) holds it in the database too. Every check, let in
or refused, is audited, and never with the code or the payload.
"""

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from laurel.audit.services import audit_log
from laurel.core.tickets import (
    TicketForged,
    code_derive,
    code_normalise,
    looks_like_payload,
    payload_parse,
    payload_sign,
    payload_verify,
)
from laurel.events.keys import code_digest, private_key_of, public_key_of
from laurel.events.models import Booth, CheckIn, Event, Registration, Ticket
from laurel.events.services import courses

DEVICE_MAX = 100

# Why a check-in is refused: a stable code, and a label for the check-in page.
REFUSALS = {
    "forged": gettext_lazy("Forged: no ticket matches, or the signature fails"),
    "other-event": gettext_lazy("A ticket for another event"),
    "wrong-booth": gettext_lazy("A ticket for another booth"),
    "cancelled": gettext_lazy("Cancelled"),
    "duplicate": gettext_lazy("Already checked in"),
    "no-class": gettext_lazy("No class of the course at this time"),
}


@dataclass(frozen=True)
class TicketText:
    """What a ticket's holder is shown: the QR code's payload and the typed code."""

    payload: str
    code: str


@dataclass(frozen=True)
class CheckInOutcome:
    """What became of a scan: let in (``ok``), or refused with ``reason`` (one of
    ``REFUSALS``). ``registration`` when the ticket was found; ``first`` the check-in a
    duplicate repeats; ``check_in`` the row recorded (the check-in, or the duplicate);
    ``message`` the sentence staff read."""

    ok: bool
    reason: str
    message: str
    registration: Registration | None = None
    first: CheckIn | None = None
    check_in: CheckIn | None = None


# --- issuing and revoking (called by the registration services, inside their transaction) ---


def ticket_issue(registration: Registration, *, now: datetime | None = None) -> Ticket:
    """The ticket of a registration that has just become registered: made now, or the one
    it has. The code's keyed hash is stored; the code itself is not."""
    ticket = Ticket.objects.filter(registration=registration).first()
    if ticket is not None:
        return ticket
    event = registration.event
    ticket = Ticket.objects.create(
        registration=registration, event=event, created_at=now or timezone.now()
    )
    code = code_normalise(code_derive(private_key_of(event), ticket.pk))
    ticket.code_digest = code_digest(event.pk, code)
    ticket.save(update_fields=["code_digest"])
    return ticket


def ticket_revoke(registration: Registration, *, now: datetime | None = None) -> None:
    """Revoke the ticket of a registration cancelled or lapsed, if it has one."""
    Ticket.objects.filter(registration=registration, revoked_at__isnull=True).update(
        revoked_at=now or timezone.now()
    )


def ticket_of(registration: Registration) -> TicketText | None:
    """The payload and the code of ``registration``'s ticket, for its holder; None when it
    has none or it is revoked."""
    ticket = Ticket.objects.filter(registration=registration, revoked_at__isnull=True).first()
    if ticket is None:
        return None
    return ticket_text(ticket, private_key_of(registration.event))


def ticket_text(ticket: Ticket, private_raw: bytes) -> TicketText:
    """A ticket's payload and code under its event's private key (unsealed once by a caller
    that shows many)."""
    return TicketText(
        payload=payload_sign(private_raw, event_id=ticket.event_id, ticket_id=ticket.pk),
        code=code_derive(private_raw, ticket.pk),
    )


# --- checking in ------------------------------------------------------------------------------


def ticket_check_in(
    *,
    acting_user,
    event: Event,
    scanned: str,
    device: str = "",
    booth: Booth | None = None,
    now: datetime | None = None,
) -> CheckInOutcome:
    """Check in the holder of the ticket ``scanned`` — a QR payload as a scanner reads it,
    or a typed code — at ``event`` (at ``booth`` when given), from ``device``. Refused as
    forged (no ticket of this event matches, or the signature fails), other-event (validly
    signed for another event), cancelled, wrong-booth (the registration's slot is at another
    booth) or duplicate (checked in before: the scan is kept as a duplicate naming the
    first). The first check-in sets ``Registration.checked_in_at``."""
    now = now or timezone.now()
    device = device.strip()[:DEVICE_MAX]
    with transaction.atomic():
        ticket, reason = _ticket_find(event, scanned)
        if ticket is None:
            return check_in_refused(acting_user, event, reason, device=device, booth=booth)
        return ticket_admit(
            acting_user=acting_user, event=event, ticket=ticket, at=now, device=device, booth=booth
        )


def ticket_admit(
    *,
    acting_user,
    event: Event,
    ticket: Ticket,
    at: datetime,
    device: str,
    booth: Booth | None,
    method: str = CheckIn.Method.SCAN,
) -> CheckInOutcome:
    """Let the holder of ``ticket`` (found) in, inside the caller's transaction: its
    registration locked, refused when it does not hold here (``holding_refusal``), else the
    check-in recorded (``check_in_record``) — a ticket scanned, or a name ticked on a list."""
    registration = registration_lock(ticket)
    reason = holding_refusal(ticket, registration, booth=booth)
    if reason:
        return check_in_refused(
            acting_user, event, reason, device=device, booth=booth, registration=registration
        )
    return check_in_record(
        acting_user=acting_user,
        event=event,
        registration=registration,
        ticket=ticket,
        at=at,
        device=device,
        booth=booth,
        method=method,
    )


def check_in_record(
    *,
    acting_user,
    event: Event,
    registration: Registration,
    ticket: Ticket,
    at: datetime,
    device: str,
    booth: Booth | None,
    scan_key: str = "",
    synced_at: datetime | None = None,
    method: str = CheckIn.Method.SCAN,
) -> CheckInOutcome:
    """Record a scan of ``ticket`` made at ``at`` on ``device``, its registration locked
    (``registration_lock``) and found holding (``holding_refusal``). The earliest scan of a
    registration is its check-in and every other one a duplicate of it: a scan sent later
    from a device that was offline but made earlier than the first one recorded takes its
    place, and the others become its duplicates. ``method``: scanned (a ticket), or ticked
    on a list by staff."""
    session = None
    if event.kind == Event.Kind.COURSE:  # a course's check-in is for the class on now
        session = courses.session_at(event, at)
        if session is None:
            return check_in_refused(
                acting_user,
                event,
                "no-class",
                device=device,
                booth=booth,
                registration=registration,
            )
    first = _first_check_in(registration, session)
    # only a scan sent later may come before the first: an online scan's time is taken
    # before it waits for the lock, so of two at once the one let in last may be the earlier
    earlier = first is not None and synced_at is not None and at < first.at
    check_in = CheckIn(
        registration=registration,
        ticket=ticket,
        at=at,
        device=device,
        booth=booth,
        by=acting_user if getattr(acting_user, "is_authenticated", False) else None,
        duplicate_of=first,  # for now when earlier: the unique index allows one first
        scan_key=scan_key,
        synced_at=synced_at,
        method=method,
        session=session,
    )
    check_in.full_clean()
    check_in.save()
    if first is not None and not earlier:
        return check_in_refused(
            acting_user,
            event,
            "duplicate",
            device=device,
            booth=booth,
            registration=registration,
            first=first,
            check_in=check_in,
        )
    if earlier:
        first.duplicate_of = check_in
        first.save(update_fields=["duplicate_of"])
        check_in.duplicate_of = None
        check_in.save(update_fields=["duplicate_of"])
        CheckIn.objects.filter(duplicate_of=first).update(duplicate_of=check_in)
    if session is not None:  # the first of its class, not always the first they came
        courses.came_at_refresh(registration)
    else:
        registration.checked_in_at = at
        registration.save(update_fields=["checked_in_at", "updated_at"])
    data = _audit_data(event, device=device, booth=booth, registration=registration)
    if synced_at is not None:
        data["offline"] = True
    if earlier:
        data["before"] = first.device
    audit_log(
        actor=acting_user,
        action="events.ticket.checked_in",
        obj=registration,
        unit=registration.unit,
        data=data,
    )
    return CheckInOutcome(
        ok=True,
        reason="",
        message=check_in_message(registration, None),
        registration=registration,
        check_in=check_in,
    )


def check_in_message(registration: Registration, first: CheckIn | None) -> str:
    """The sentence for a scan let in (``first`` None) or refused as a duplicate of
    ``first``."""
    if first is None:
        return _("Checked in: %(holder)s.") % {"holder": registration.registrant_name}
    return _refusal_message("duplicate", registration=registration, booth=None, first=first)


def slot_shown(slot) -> str:
    """A slot's day and hours as the gate shows them beside its booth (``""`` for none)."""
    if slot is None:
        return ""
    start, end = timezone.localtime(slot.starts_at), timezone.localtime(slot.ends_at)
    return f"{start:%m-%d %H:%M}–{end:%H:%M}"


def _ticket_find(event: Event, scanned: str) -> tuple[Ticket | None, str]:
    """The ticket of ``event`` that ``scanned`` shows, or None and why not."""
    if looks_like_payload(scanned):
        try:
            claim = payload_parse(scanned)
        except TicketForged:
            return None, "forged"
        if claim.event_id != event.pk:
            return None, _other_event_reason(scanned, claim.event_id)
        try:
            payload_verify(scanned, public_key_of(event))
        except TicketForged:
            return None, "forged"
        ticket = Ticket.objects.filter(pk=claim.ticket_id, event=event).first()
    else:
        code = code_normalise(scanned)
        ticket = (
            Ticket.objects.filter(event=event, code_digest=code_digest(event.pk, code)).first()
            if code
            else None
        )
    return ticket, "" if ticket is not None else "forged"


def _other_event_reason(scanned: str, event_id: int) -> str:
    """other-event when another event's key verifies the payload, else forged."""
    other = Event.objects.filter(pk=event_id).only("public_key").first()
    if other is None:
        return "forged"
    try:
        payload_verify(scanned, public_key_of(other))
    except TicketForged:
        return "forged"
    return "other-event"


def holding_refusal(ticket: Ticket, registration: Registration, *, booth) -> str:
    """Why a ticket found does not let its holder in here ("" when it does, unless it is a
    duplicate): cancelled (the registration, or the event itself), or wrong-booth. Read
    with the registration locked (``registration_lock``)."""
    ticket.refresh_from_db(fields=["revoked_at"])  # as it stands now the row is locked
    if ticket.revoked_at is not None or registration.state != Registration.State.REGISTERED:
        return "cancelled"
    if registration.event.state == Event.State.CANCELLED:
        return "cancelled"
    if booth is not None and (registration.slot is None or registration.slot.booth_id != booth.pk):
        return "wrong-booth"
    return ""


def registration_lock(ticket: Ticket) -> Registration:
    """The ticket's registration, its row locked until the check-in commits: a second scan
    of the same ticket waits here, and then finds the first check-in."""
    return (
        Registration.objects.select_for_update(of=("self",))
        .select_related("event", "slot__booth", "member", "team", "unit")
        .get(pk=ticket.registration_id)
    )


def _first_check_in(registration: Registration, session=None) -> CheckIn | None:
    """The registration's check-in that counts (a course's: at ``session``), if it has one
    (read under its lock)."""
    return CheckIn.objects.filter(
        registration=registration, session=session, duplicate_of__isnull=True
    ).first()


def check_in_refused(
    acting_user,
    event: Event,
    reason: str,
    *,
    device: str,
    booth: Booth | None,
    registration: Registration | None = None,
    first: CheckIn | None = None,
    check_in: CheckIn | None = None,
) -> CheckInOutcome:
    """A refusal, audited; ``registration`` the one whose ticket was shown, when known."""
    audit_log(
        actor=acting_user,
        action="events.ticket.refused",
        obj=registration if registration is not None else event,
        unit=registration.unit if registration is not None else event.unit,
        data=_audit_data(
            event, device=device, booth=booth, registration=registration, reason=reason
        ),
    )
    return CheckInOutcome(
        ok=False,
        reason=reason,
        message=_refusal_message(reason, registration=registration, booth=booth, first=first),
        registration=registration,
        first=first,
        check_in=check_in,
    )


def _refusal_message(reason: str, *, registration, booth, first) -> str:
    if reason == "other-event":
        return _("This ticket is for another event.")
    if reason == "cancelled" and registration.event.state == Event.State.CANCELLED:
        return _("“%(event)s” was cancelled: no ticket lets anyone in.") % {
            "event": registration.event.title
        }
    if reason == "cancelled":
        return _("%(holder)s's registration was cancelled: the ticket no longer holds.") % {
            "holder": registration.registrant_name
        }
    if reason == "wrong-booth":
        slot = registration.slot
        return _("%(holder)s's ticket is for %(there)s, not %(here)s.") % {
            "holder": registration.registrant_name,
            "there": slot.booth.name if slot is not None else _("the event as a whole"),
            "here": booth.name,
        }
    if reason == "no-class":
        return _("No class of “%(event)s” takes check-ins now.") % {
            "event": registration.event.title
        }
    if reason == "duplicate":
        values = {
            "holder": registration.registrant_name,
            "time": timezone.localtime(first.at).strftime("%Y-%m-%d %H:%M:%S"),
            "device": first.device,
        }
        if first.device:
            return (
                _("%(holder)s was already checked in at %(time)s (Beijing time) on %(device)s.")
                % values
            )
        return _("%(holder)s was already checked in at %(time)s (Beijing time).") % values
    return _("No ticket of this event matches, or its signature fails.")


def _audit_data(event: Event, *, device: str, booth, registration, reason: str = "") -> dict:
    """What a check is recorded with: never the code, the payload or a key."""
    data = {
        "event": event.slug,
        "registration": registration.pk if registration is not None else None,
        "device": device,
        "booth": booth.name if booth is not None else None,
    }
    if reason:
        data["reason"] = reason
    return data
