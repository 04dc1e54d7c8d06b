"""The gate without the network: the ticket list a device keeps, and the scans it sends later.

A gate's device downloads ``offline_list`` while it has the network: the event's public key
(a QR payload is checked by its signature), the tickets revoked, and every ticket that holds
— its id, the check value of its typed code (``core.tickets.code_offline_check``, under a
salt of this list's own), its holder's name, team, booth and slot, and its check-in if it
has one. No phone or ID number, no code in clear, no key but the public one.

Offline, the device lets people in on its own and keeps each scan (its own key, the
ticket's id, when it was made); when the network is back it sends them, and
``check_ins_sync`` records each as ``ticket_check_in`` would have — under the same lock on
the registration, with the same refusals — except that the scan keeps the time it was made.
The earliest scan of a ticket, from whichever device, is its check-in; every other one a
duplicate naming the first (``tickets.check_in_record``). A scan sent twice (the answer lost
on the way back) is found by its key and answered again, never recorded twice; each scan is
recorded in a transaction of its own, so one refused never loses the others.
"""

import base64
import os
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from laurel.core.tickets import (
    OFFLINE_CODE_ITERATIONS,
    code_derive,
    code_normalise,
    code_offline_check,
)
from laurel.events.keys import private_key_of, public_key_of
from laurel.events.models import Booth, CheckIn, Event, Registration, Ticket
from laurel.events.services import courses, tickets

SCANS_MAX = 500  # scans one request may send; a device sends more in several


@dataclass(frozen=True)
class OfflineScan:
    """A scan made on a device without the network: ``key`` the device's name for it,
    ``ticket_id`` the ticket it found, ``at`` when (by the server's clock), ``device`` the
    device's name, ``booth_id`` the booth it stood at (None: the gate)."""

    key: str
    ticket_id: int
    at: datetime
    device: str = ""
    booth_id: int | None = None


def _base64(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii")


def offline_list(event: Event, *, now: datetime | None = None, salt: bytes | None = None) -> dict:
    """What a gate's device keeps to check tickets of ``event`` on its own, as JSON values.

    Two queries and one check value a ticket (about 0.3 ms each)."""
    now = now or timezone.now()
    salt = salt if salt is not None else os.urandom(16)
    private_raw = private_key_of(event)
    holding = (
        Ticket.objects.filter(
            event=event,
            revoked_at__isnull=True,
            registration__state=Registration.State.REGISTERED,
        )
        .select_related("registration__member", "registration__team", "registration__slot__booth")
        .order_by("pk")
    )
    check_ins = CheckIn.objects.filter(registration__event=event, duplicate_of__isnull=True)
    if event.kind == Event.Kind.COURSE:  # a course's: those of the class on now
        check_ins = check_ins.filter(session=courses.session_at(event, now))
    firsts = {
        check_in.registration_id: check_in
        for check_in in check_ins.only("registration_id", "at", "device")
    }
    listed = []
    for ticket in holding:
        registration = ticket.registration
        slot = registration.slot
        first = firsts.get(registration.pk)
        code = code_normalise(code_derive(private_raw, ticket.pk))
        listed.append(
            {
                "id": ticket.pk,
                "code": _base64(code_offline_check(code, salt)),
                "holder": registration.registrant_name,
                "team": registration.team.name if registration.team_id else "",
                "booth": slot.booth_id if slot is not None else None,
                "slot": tickets.slot_shown(slot),
                "checked_in": (
                    {"at": first.at.isoformat(), "device": first.device} if first else None
                ),
            }
        )
    revoked = Ticket.objects.filter(event=event).exclude(
        revoked_at__isnull=True, registration__state=Registration.State.REGISTERED
    )
    return {
        "event": event.slug,
        "event_id": event.pk,
        "cancelled": event.state == Event.State.CANCELLED,
        "made_at": now.isoformat(),
        "public_key": _base64(public_key_of(event)),
        "code_salt": _base64(salt),
        "code_iterations": OFFLINE_CODE_ITERATIONS,
        "booths": {str(booth.pk): booth.name for booth in event.booths.all()},
        "revoked": sorted(revoked.values_list("pk", flat=True)),
        "tickets": listed,
    }


def clock_corrected(at: datetime, *, device_now: datetime | None, now: datetime) -> datetime:
    """A scan's time on the server's clock: shifted by how far the device's clock
    (``device_now``, when it sent the scan) is from the server's, and never later than now."""
    if device_now is not None:
        at += now - device_now
    return min(at, now)


def check_ins_sync(
    *,
    acting_user,
    event: Event,
    scans: list[OfflineScan],
    now: datetime | None = None,
) -> list[tickets.CheckInOutcome]:
    """Record the scans a device made offline, each as its own transaction; what became of
    each, in order: let in, or refused as ``ticket_check_in`` refuses (forged: no ticket of
    this event has the id)."""
    now = now or timezone.now()
    booths = {booth.pk: booth for booth in event.booths.all()}
    return [
        _scan_record(acting_user, event, scan, booths.get(scan.booth_id), now)
        for scan in scans[:SCANS_MAX]
    ]


def _scan_record(acting_user, event, scan: OfflineScan, booth: Booth | None, now):
    device = scan.device.strip()[: tickets.DEVICE_MAX]
    with transaction.atomic():
        ticket = Ticket.objects.filter(pk=scan.ticket_id, event=event).first()
        if ticket is None:
            return tickets.check_in_refused(
                acting_user, event, "forged", device=device, booth=booth
            )
        registration = tickets.registration_lock(ticket)
        sent_before = (
            CheckIn.objects.filter(ticket=ticket, scan_key=scan.key)
            .select_related("duplicate_of")
            .first()
        )
        if sent_before is not None:
            return _answer_again(sent_before, registration)
        reason = tickets.holding_refusal(ticket, registration, booth=booth)
        if reason:
            return tickets.check_in_refused(
                acting_user, event, reason, device=device, booth=booth, registration=registration
            )
        return tickets.check_in_record(
            acting_user=acting_user,
            event=event,
            registration=registration,
            ticket=ticket,
            at=scan.at,
            device=device,
            booth=booth,
            scan_key=scan.key,
            synced_at=now,
        )


def _answer_again(check_in: CheckIn, registration: Registration) -> tickets.CheckInOutcome:
    """What a scan sent before became (the earliest then or not), without recording it again."""
    first = check_in.duplicate_of
    return tickets.CheckInOutcome(
        ok=first is None,
        reason="" if first is None else "duplicate",
        message=tickets.check_in_message(registration, first),
        registration=registration,
        first=first,
        check_in=check_in,
    )
