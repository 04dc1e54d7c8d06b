"""Two devices that scanned one ticket offline, syncing at the same moment: one check-in, one
duplicate naming both devices, the earliest scan the check-in.

As ``test_checkin_race.py``: each device syncs in its own thread on its own database
connection; a barrier sends them into ``check_ins_sync`` together and a second holds them at
the door of ``registration_lock``, inside their transactions, the ticket found. There one of
them (``FIRST_IN``) goes through the door first and the other follows once it is through, so
the order is the same every time: with the lock the second waits for the first to commit;
without it both walk in. Each, once it has looked for an earlier check-in
(``_first_check_in``), waits up to a second for the other to have looked too before it
writes: with the lock the other cannot look until the first commits; without it both find
none and both write a first check-in — which the unique index (one first check-in a
registration) stops with an error instead of a duplicate. That is how we know this test can
see the race.
"""

import threading
from datetime import timedelta

import pytest
from django.db import DatabaseError, connection
from django.utils import timezone

from laurel.events import services
from laurel.events.models import CheckIn, Registration
from laurel.events.services import tickets as tickets_module
from tests.conftest import make_member
from tests.events.conftest import slot_of

REAL_LOCK = tickets_module.registration_lock
REAL_FIRST = tickets_module._first_check_in
LOOKED_WAIT_SECONDS = 1.0
NOW = timezone.now().replace(microsecond=0)
# Each device's scan of the one ticket: 门岗 2 scanned it ten minutes before 门岗 1 did.
SCANNED_AT = {"门岗 1": NOW - timedelta(minutes=5), "门岗 2": NOW - timedelta(minutes=15)}


def lock_off(ticket):
    """What ``registration_lock`` returns, read without locking the row."""
    related = ("event", "slot__booth", "member", "team", "unit")
    return Registration.objects.select_related(*related).get(pk=ticket.registration_id)


def race(event, ticket_id: int, *, first_in: str, locked: bool, monkeypatch) -> dict[str, str]:
    """Both devices sync their scan at once, ``first_in`` through the lock's door first; what
    became of each device's scan: "checked-in", "refused: <reason>", or "error: …"."""
    devices = list(SCANNED_AT)
    start, at_the_lock = threading.Barrier(len(devices)), threading.Barrier(len(devices))
    through = threading.Event()
    looked = threading.Condition()
    looks = []

    def registration_lock(ticket):
        at_the_lock.wait(timeout=30)  # both inside their transaction, neither has looked
        if threading.current_thread().name != first_in:
            through.wait(timeout=30)
        answer = REAL_LOCK(ticket) if locked else lock_off(ticket)
        through.set()
        return answer

    def first_check_in(registration, session=None):
        answer = REAL_FIRST(registration, session)
        with looked:  # the other looks now, if the lock lets it
            looks.append(answer)
            looked.notify_all()
            looked.wait_for(lambda: len(looks) == len(devices), timeout=LOOKED_WAIT_SECONDS)
        return answer

    monkeypatch.setattr(tickets_module, "registration_lock", registration_lock)
    monkeypatch.setattr(tickets_module, "_first_check_in", first_check_in)
    outcomes = dict.fromkeys(devices, "")

    def run(device: str) -> None:
        scan = services.OfflineScan(
            key=f"scan-{device}", ticket_id=ticket_id, at=SCANNED_AT[device], device=device
        )
        try:
            start.wait(timeout=30)
            [outcome] = services.check_ins_sync(
                acting_user=None, event=event, scans=[scan], now=NOW
            )
            outcomes[device] = "checked-in" if outcome.ok else f"refused: {outcome.reason}"
        except (DatabaseError, threading.BrokenBarrierError) as error:
            outcomes[device] = f"error: {type(error).__name__}"
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(device,), name=device) for device in devices]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads)
    monkeypatch.setattr(tickets_module, "registration_lock", REAL_LOCK)
    monkeypatch.setattr(tickets_module, "_first_check_in", REAL_FIRST)
    return outcomes


@pytest.fixture
def one_ticket(event_factory, world):
    """A registration whose ticket both devices scanned while the network was down."""
    event = event_factory(booths={"书法馆": [(9, 10, 2)]})
    registration = services.registration_create(
        acting_user=None,
        event=event,
        slot=slot_of(event, "书法馆", 9),
        member=make_member(world.grassroots, 610),
    ).registration
    return event, registration


@pytest.mark.postgres
@pytest.mark.concurrency
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    ("first_in", "expected"),
    [
        # the earlier scan synced first: the later one is its duplicate
        ("门岗 2", {"门岗 2": "checked-in", "门岗 1": "refused: duplicate"}),
        # the earlier scan synced second: it takes the first's place, which becomes its
        # duplicate (that device had let the holder in, and was told so)
        ("门岗 1", {"门岗 1": "checked-in", "门岗 2": "checked-in"}),
    ],
    ids=["earlier-synced-first", "earlier-synced-second"],
)
def test_two_devices_syncing_one_ticket_at_once_make_one_check_in_and_one_duplicate(
    one_ticket, first_in, expected, monkeypatch
):
    event, registration = one_ticket
    ticket_id = registration.ticket.pk
    outcomes = race(event, ticket_id, first_in=first_in, locked=True, monkeypatch=monkeypatch)
    assert outcomes == expected
    first = CheckIn.objects.get(registration=registration, duplicate_of__isnull=True)
    duplicate = CheckIn.objects.get(registration=registration, duplicate_of__isnull=False)
    assert (first.device, first.at) == ("门岗 2", SCANNED_AT["门岗 2"])  # the earliest
    assert (duplicate.device, duplicate.duplicate_of.device) == ("门岗 1", "门岗 2")
    registration.refresh_from_db()
    assert registration.checked_in_at == SCANNED_AT["门岗 2"]


@pytest.mark.postgres
@pytest.mark.concurrency
@pytest.mark.django_db(transaction=True)
def test_without_the_lock_both_devices_scans_take_themselves_for_the_first(one_ticket, monkeypatch):
    """Both find no earlier check-in and write a first one: only the unique index keeps the
    second out, as an error where the device should have been told "duplicate"."""
    event, registration = one_ticket
    ticket_id = registration.ticket.pk
    outcomes = race(event, ticket_id, first_in="门岗 1", locked=False, monkeypatch=monkeypatch)
    # which of the two writes first is the database's choice once both have walked in
    assert sorted(outcomes.values()) == ["checked-in", "error: IntegrityError"], outcomes
    assert CheckIn.objects.filter(registration=registration).count() == 1
