"""Tickets: the event's key pair, a ticket issued when a registration is registered and
revoked when it is cancelled, what the holder is shown, and the check-in at the gate with
each of its refusals."""

import importlib
import json
from datetime import timedelta

import pytest
from django.apps import apps
from django.utils import timezone, translation

from laurel.audit.models import LogEntry
from laurel.core.tickets import code_normalise, payload_verify
from laurel.events import services
from laurel.events.keys import code_digest, private_key_of, public_key_of
from laurel.events.models import CheckIn, Registration, Ticket
from tests.conftest import make_member
from tests.events.conftest import slot_of

REGISTERED, WAITING = Registration.State.REGISTERED, Registration.State.WAITING


@pytest.fixture
def people(world):
    counter = iter(range(300, 400))
    return lambda n: [make_member(world.grassroots, next(counter)) for _ in range(n)]


def register(event, slot, member):
    return services.registration_create(
        acting_user=None, event=event, slot=slot, member=member
    ).registration


def check_in(event, scanned, **options):
    with translation.override("en"):
        return services.ticket_check_in(acting_user=None, event=event, scanned=scanned, **options)


@pytest.fixture
def gate(event_factory, people):
    """An event with two booths: a registration at 花艺馆 09:00 (its ticket shown), one
    waiting there, and a registration at 剪纸馆."""
    event = event_factory(booths={"花艺馆": [(9, 10, 1)], "剪纸馆": [(9, 11, 3)]})
    holder, waiting, other = people(3)
    held = register(event, slot_of(event, "花艺馆", 9), holder)
    return {
        "event": event,
        "held": held,
        "waiting": register(event, slot_of(event, "花艺馆", 9), waiting),
        "paper": register(event, slot_of(event, "剪纸馆", 9), other),
        "ticket": services.ticket_of(held),
    }


# --- the key pair -----------------------------------------------------------------------------


def test_an_event_is_made_with_its_key_pair_the_private_key_sealed(gate):
    event = gate["event"]
    private_raw = private_key_of(event)
    assert len(private_raw) == 32
    assert len(bytes.fromhex(event.public_key)) == 32
    assert private_raw.hex() not in event.private_key_sealed
    assert private_raw not in event.private_key_sealed.encode()
    signed = services.ticket_text(Ticket.objects.get(registration=gate["held"]), private_raw)
    assert payload_verify(signed.payload, public_key_of(event)).event_id == event.pk


def test_every_event_has_its_own_key_pair(event_factory):
    first, second = event_factory(), event_factory()
    assert first.public_key != second.public_key
    assert private_key_of(first) != private_key_of(second)


def test_the_migration_gives_older_events_keys_and_their_registrations_tickets(gate):
    event, held = gate["event"], gate["held"]
    Ticket.objects.all().delete()
    event.__class__.objects.filter(pk=event.pk).update(public_key="", private_key_sealed="")
    migration = importlib.import_module("laurel.events.migrations.0002_tickets")

    migration.keys_and_tickets_make(apps, None)

    event.refresh_from_db()
    assert len(event.public_key) == 64
    made = Ticket.objects.filter(event=event)
    assert {ticket.registration_id for ticket in made} == {held.pk, gate["paper"].pk}
    shown = services.ticket_of(Registration.objects.get(pk=held.pk))
    ticket = Ticket.objects.get(registration=held)
    assert payload_verify(shown.payload, public_key_of(event)).ticket_id == ticket.pk
    assert check_in(event, shown.code).ok


# --- issuing and revoking ---------------------------------------------------------------------


def test_a_registered_registration_has_a_ticket_one_waiting_none(gate):
    assert Ticket.objects.get(registration=gate["held"]).revoked_at is None
    assert not Ticket.objects.filter(registration=gate["waiting"]).exists()
    assert services.ticket_of(gate["waiting"]) is None


def test_cancelling_revokes_the_ticket_and_the_one_moved_up_gets_one(gate):
    now = timezone.now()
    services.registration_cancel(acting_user=None, registration=gate["held"], now=now)
    assert Ticket.objects.get(registration=gate["held"]).revoked_at == now
    assert services.ticket_of(gate["held"]) is None
    gate["waiting"].refresh_from_db()
    assert gate["waiting"].state == REGISTERED
    assert services.ticket_of(gate["waiting"]) is not None


def test_an_offered_place_has_a_ticket_once_taken(event_factory, people):
    event = event_factory(offer_hours=2, booths={"书法馆": [(9, 10, 1)]})
    slot = slot_of(event, "书法馆", 9)
    held, offered = (register(event, slot, person) for person in people(2))
    services.registration_cancel(acting_user=None, registration=held)
    assert not Ticket.objects.filter(registration=offered).exists()  # offered: not yet
    services.offer_accept(acting_user=None, registration=offered)
    assert services.ticket_of(offered) is not None


def test_a_ticket_shows_a_signed_payload_and_a_typed_code_its_digest_finds(gate):
    event, held, shown = gate["event"], gate["held"], gate["ticket"]
    ticket = Ticket.objects.get(registration=held)
    claim = payload_verify(shown.payload, public_key_of(event))
    assert (claim.event_id, claim.ticket_id) == (event.pk, ticket.pk)
    assert shown.code == code_normalise(shown.code)  # XXXX-XXXX
    assert ticket.code_digest == code_digest(event.pk, code_normalise(shown.code))
    assert services.ticket_of(held) == shown  # the same every time, computed


# --- checking in -------------------------------------------------------------------------------


def test_a_scanned_payload_checks_the_holder_in_once(gate):
    event, held = gate["event"], gate["held"]
    now = timezone.now()
    outcome = check_in(event, gate["ticket"].payload + "\n", device="门岗 1", now=now)
    assert (outcome.ok, outcome.reason, outcome.registration) == (True, "", held)
    held.refresh_from_db()
    assert held.checked_in_at == now
    [row] = CheckIn.objects.all()
    assert (row.registration, row.device, row.at, row.duplicate_of) == (held, "门岗 1", now, None)
    entry = LogEntry.objects.get(action="events.ticket.checked_in")
    assert (entry.data["device"], entry.object_id) == ("门岗 1", str(held.pk))


@pytest.mark.parametrize("spelling", [str.lower, lambda code: code.replace("-", " ")])
def test_a_typed_code_in_lower_case_or_with_a_space_checks_in(gate, spelling):
    outcome = check_in(gate["event"], spelling(gate["ticket"].code))
    assert (outcome.ok, outcome.registration) == (True, gate["held"])


def test_a_second_scan_is_a_duplicate_naming_the_first_time_and_device(gate):
    event, held = gate["event"], gate["held"]
    first_at = timezone.now() - timedelta(minutes=5)
    first = check_in(event, gate["ticket"].payload, device="门岗 1", now=first_at)
    again = check_in(event, gate["ticket"].code, device="门岗 2")
    assert (again.ok, again.reason, again.registration) == (False, "duplicate", held)
    assert again.first == first.check_in
    local = timezone.localtime(first_at).strftime("%Y-%m-%d %H:%M:%S")
    assert f"at {local} (Beijing time) on 门岗 1" in again.message
    duplicate = CheckIn.objects.get(duplicate_of__isnull=False)
    assert (duplicate.duplicate_of, duplicate.device) == (first.check_in, "门岗 2")
    held.refresh_from_db()
    assert held.checked_in_at == first_at  # the first's time stays
    entry = LogEntry.objects.get(action="events.ticket.refused")
    assert entry.data["reason"] == "duplicate"


def tampered(payload: str) -> str:
    """The payload with one character of its signature changed."""
    head, signature = payload[:-10], payload[-10:]
    return head + ("A" if signature[0] != "A" else "B") + signature[1:]


def test_a_tampered_payload_is_forged(gate):
    payload = gate["ticket"].payload
    other_ticket = services.ticket_of(gate["paper"]).payload
    event_part, ticket_part = payload.split(".")[1], other_ticket.split(".")[2]
    another_id = f"L1.{event_part}.{ticket_part}.{payload.split('.')[3]}"  # someone else's id
    for scanned in (tampered(payload), another_id, payload[:-1], "L1.garbage"):
        outcome = check_in(gate["event"], scanned)
        assert (outcome.ok, outcome.reason, outcome.registration) == (False, "forged", None)
    assert not CheckIn.objects.exists()


def test_a_code_that_matches_no_ticket_is_forged(gate):
    code = gate["ticket"].code
    wrong = code[:-1] + ("0" if code[-1] != "0" else "1")
    for typed in (wrong, "not a code", "", "UUUU-UUUU"):
        assert check_in(gate["event"], typed).reason == "forged"


def test_a_valid_ticket_of_another_event_is_other_event(gate, event_factory, people):
    other = event_factory(booths={})
    theirs = services.ticket_of(register(other, None, people(1)[0]))
    assert check_in(gate["event"], theirs.payload).reason == "other-event"
    # a typed code cannot say its event: forged; so is a bad signature claiming another event
    assert check_in(gate["event"], theirs.code).reason == "forged"
    assert check_in(gate["event"], tampered(theirs.payload)).reason == "forged"
    gone = theirs.payload.replace(f"L1.{theirs.payload.split('.')[1]}.", "L1.ZZZZ.", 1)
    assert check_in(gate["event"], gone).reason == "forged"  # no such event


def test_a_cancelled_registration_s_ticket_is_refused_as_cancelled(gate):
    services.registration_cancel(acting_user=None, registration=gate["held"])
    for scanned in (gate["ticket"].payload, gate["ticket"].code):
        outcome = check_in(gate["event"], scanned)
        assert (outcome.reason, outcome.registration) == ("cancelled", gate["held"])
    assert not CheckIn.objects.exists()


def test_no_ticket_lets_anyone_in_to_a_cancelled_event(gate, users):
    services.event_state_set(
        acting_user=users["federation_admin"], event=gate["event"], state="cancelled"
    )
    outcome = check_in(gate["event"], gate["ticket"].payload)
    assert (outcome.ok, outcome.reason) == (False, "cancelled")
    assert "was cancelled" in outcome.message
    assert not CheckIn.objects.exists()


def test_at_a_booth_a_ticket_for_another_booth_is_wrong_booth(gate):
    event = gate["event"]
    paper = event.booths.get(name="剪纸馆")
    outcome = check_in(event, gate["ticket"].payload, booth=paper)
    assert (outcome.reason, outcome.registration) == ("wrong-booth", gate["held"])
    assert "is for 花艺馆, not 剪纸馆" in outcome.message
    assert check_in(event, gate["ticket"].payload, booth=event.booths.get(name="花艺馆")).ok


def test_refusals_are_audited_with_their_reason(gate):
    check_in(gate["event"], "L1.garbage", device="门岗 3")
    entry = LogEntry.objects.get(action="events.ticket.refused")
    assert entry.data == {
        "event": gate["event"].slug,
        "registration": None,
        "device": "门岗 3",
        "booth": None,
        "reason": "forged",
    }


def test_no_audit_entry_holds_a_key_a_payload_or_a_code(gate):
    """Everything a ticket goes through, then every entry searched for the secrets."""
    event, held, shown = gate["event"], gate["held"], gate["ticket"]
    check_in(event, shown.payload)
    check_in(event, shown.code)
    check_in(event, tampered(shown.payload))
    services.registration_cancel(acting_user=None, registration=held)
    check_in(event, shown.code)
    secrets = {
        private_key_of(event).hex(),
        event.private_key_sealed,
        shown.payload,
        shown.payload.split(".")[3],
        shown.code,
        code_normalise(shown.code).replace("-", ""),
        Ticket.objects.get(registration=held).code_digest,
    }
    entries = list(LogEntry.objects.all())
    assert {entry.action for entry in entries} >= {
        "events.event.created",
        "events.ticket.checked_in",
        "events.ticket.refused",
        "events.registration.cancelled",
    }
    written = "\n".join(
        json.dumps(entry.data, ensure_ascii=False) + entry.object_repr for entry in entries
    )
    assert not [secret for secret in secrets if secret in written]
