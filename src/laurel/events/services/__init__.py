"""Writes on events, one module per subject: ``setup`` (an event's settings, parts and
states, booths and slots, the day-before reminder), ``registration`` (registering, cancelling,
the waiting list and its offers — under the locks that keep every slot within its places),
``notices`` (telling registrants), ``tickets`` (tickets issued and revoked with the
registrations; the check-in at the gate), ``offline`` (the ticket list a gate's device keeps;
the scans it made without the network, sent later), ``staff`` (who keeps an event's gate),
``gate`` (a lost ticket found, a walk-in registered and let in), ``programme`` (a
performance's acts in order), ``meetings`` (invitations, sign-in by ticking names,
leave), ``exports`` (every export recorded). Every write is atomic and audited. Callers
import the names from here."""

from laurel.events.services.exports import (
    attendance_export_record,
    registrations_export_record,
)
from laurel.events.services.gate import (
    LostTicket,
    slots_with_places,
    tickets_find_lost,
    walk_in_people,
    walk_in_register,
)
from laurel.events.services.meetings import (
    LEAVE_REASON_MAX,
    InviteOutcome,
    invitee_remove,
    leave_request,
    leave_withdraw,
    meeting_invite,
    roll_export_record,
    sign_in_by_list,
)
from laurel.events.services.offline import OfflineScan, check_ins_sync, offline_list
from laurel.events.services.programme import (
    PROGRAMME_KINDS,
    act_delete,
    act_move,
    act_save,
    acts_reorder,
    has_programme,
)
from laurel.events.services.registration import (
    Outcome,
    RegistrationRefused,
    answers_check,
    in_audience,
    offer_accept,
    offers_lapse,
    people_count,
    registration_cancel,
    registration_create,
    slot_name,
    slot_taken,
    waiting_place,
)
from laurel.events.services.setup import (
    EVENT_FIELDS,
    TRANSITIONS,
    CancelPreview,
    booth_delete,
    booth_save,
    event_cancel_preview,
    event_create,
    event_state_set,
    event_update,
    reminders_send,
    slot_delete,
    slot_save,
)
from laurel.events.services.staff import staff_add, staff_remove, staff_users_eligible
from laurel.events.services.tickets import (
    REFUSALS,
    CheckInOutcome,
    TicketText,
    ticket_check_in,
    ticket_of,
    ticket_text,
)

__all__ = [
    # exports
    "attendance_export_record",
    "registrations_export_record",
    # meetings
    "LEAVE_REASON_MAX",
    "InviteOutcome",
    "invitee_remove",
    "leave_request",
    "leave_withdraw",
    "meeting_invite",
    "roll_export_record",
    "sign_in_by_list",
    "PROGRAMME_KINDS",
    "act_delete",
    "act_move",
    "act_save",
    "acts_reorder",
    "has_programme",
    "EVENT_FIELDS",
    "TRANSITIONS",
    "TicketText",
    "REFUSALS",
    "CancelPreview",
    "CheckInOutcome",
    "LostTicket",
    "OfflineScan",
    "Outcome",
    "RegistrationRefused",
    "answers_check",
    "booth_delete",
    "check_ins_sync",
    "booth_save",
    "event_cancel_preview",
    "event_create",
    "event_state_set",
    "event_update",
    "in_audience",
    "offer_accept",
    "offline_list",
    "offers_lapse",
    "people_count",
    "registration_cancel",
    "registration_create",
    "reminders_send",
    "slot_delete",
    "slot_name",
    "slot_save",
    "slot_taken",
    "slots_with_places",
    "staff_add",
    "staff_remove",
    "staff_users_eligible",
    "ticket_check_in",
    "ticket_of",
    "ticket_text",
    "tickets_find_lost",
    "walk_in_people",
    "walk_in_register",
    "waiting_place",
]
