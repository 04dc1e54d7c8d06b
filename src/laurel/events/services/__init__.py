"""Writes on events, one module per subject: ``setup`` (an event's settings, parts and
states, booths and slots, the day-before reminder), ``registration`` (registering, cancelling,
the waiting list and its offers — under the locks that keep every slot within its places),
``notices`` (telling registrants). Every write is atomic and audited. Callers import the
names from here."""

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
    booth_delete,
    booth_save,
    event_create,
    event_state_set,
    event_update,
    reminders_send,
    slot_delete,
    slot_save,
)

__all__ = [
    "EVENT_FIELDS",
    "TRANSITIONS",
    "Outcome",
    "RegistrationRefused",
    "answers_check",
    "booth_delete",
    "booth_save",
    "event_create",
    "event_state_set",
    "event_update",
    "in_audience",
    "offer_accept",
    "offers_lapse",
    "people_count",
    "registration_cancel",
    "registration_create",
    "reminders_send",
    "slot_delete",
    "slot_name",
    "slot_save",
    "slot_taken",
    "waiting_place",
]
