"""Two scans of one ticket at the same moment: one check-in, one duplicate.

Each scan runs in its own thread on its own database connection. A barrier sends them into
``ticket_check_in`` together, and a second one holds them both at the door of
``registration_lock`` — inside their transactions, the ticket found, nothing read about
earlier check-ins yet — so they reach the lock at the same moment every time. Then each, once
it has looked for an earlier check-in (``_first_check_in``), waits up to a second for the
other to have looked too before it writes: with the lock the other cannot look until it
commits, so it waits the second out alone; without it both find none, and both write a first
check-in — which the database's unique index (one first check-in a registration) stops with
an error instead of a duplicate. That is how we know this test can see the race.
"""

import threading

import pytest
from django.db import DatabaseError, connection

from laurel.events import services
from laurel.events.models import CheckIn, Registration
from laurel.events.services import tickets as tickets_module
from tests.conftest import make_member
from tests.events.conftest import slot_of

REAL_LOCK = tickets_module.registration_lock
REAL_FIRST = tickets_module._first_check_in
LOOKED_WAIT_SECONDS = 1.0


def lock_off(ticket):
    """What ``registration_lock`` returns, read without locking the row."""
    related = ("event", "slot__booth", "member", "team", "unit")
    return Registration.objects.select_related(*related).get(pk=ticket.registration_id)


def race(event, scans: list[tuple[str, str]], *, locked: bool, monkeypatch) -> list[str]:
    """Every (scanned, device) at once; what became of each: "checked-in", "refused:
    <reason>", or "error: …"."""
    start, at_the_lock = threading.Barrier(len(scans)), threading.Barrier(len(scans))
    looked = threading.Condition()
    looks = []

    def registration_lock(ticket):
        at_the_lock.wait(timeout=30)  # both inside their transaction, neither has looked
        return REAL_LOCK(ticket) if locked else lock_off(ticket)

    def first_check_in(registration, session=None):
        answer = REAL_FIRST(registration, session)
        with looked:  # the other looks now, if the lock lets it
            looks.append(answer)
            looked.notify_all()
            looked.wait_for(lambda: len(looks) == len(scans), timeout=LOOKED_WAIT_SECONDS)
        return answer

    monkeypatch.setattr(tickets_module, "registration_lock", registration_lock)
    monkeypatch.setattr(tickets_module, "_first_check_in", first_check_in)
    outcomes = [""] * len(scans)

    def run(index: int, scanned: str, device: str) -> None:
        try:
            start.wait(timeout=30)
            outcome = services.ticket_check_in(
                acting_user=None, event=event, scanned=scanned, device=device
            )
            outcomes[index] = "checked-in" if outcome.ok else f"refused: {outcome.reason}"
        except (DatabaseError, threading.BrokenBarrierError) as error:
            outcomes[index] = f"error: {type(error).__name__}"
        finally:
            connection.close()

    threads = [
        threading.Thread(target=run, args=(index, *scan)) for index, scan in enumerate(scans)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads)
    monkeypatch.setattr(tickets_module, "registration_lock", REAL_LOCK)
    monkeypatch.setattr(tickets_module, "_first_check_in", REAL_FIRST)
    return outcomes


@pytest.fixture
def one_ticket_twice(event_factory, world):
    """A registration's ticket scanned at the gate's two lanes at once: its QR code at one,
    its typed code at the other."""
    event = event_factory(booths={"书法馆": [(9, 10, 2)]})
    registration = services.registration_create(
        acting_user=None,
        event=event,
        slot=slot_of(event, "书法馆", 9),
        member=make_member(world.grassroots, 600),
    ).registration
    shown = services.ticket_of(registration)
    return event, registration, [(shown.payload, "门岗 1"), (shown.code, "门岗 2")]


@pytest.mark.postgres
@pytest.mark.concurrency
@pytest.mark.django_db(transaction=True)
def test_two_scans_of_one_ticket_at_once_check_in_once(one_ticket_twice, monkeypatch):
    event, registration, scans = one_ticket_twice
    outcomes = race(event, scans, locked=True, monkeypatch=monkeypatch)
    assert sorted(outcomes) == ["checked-in", "refused: duplicate"], outcomes
    first = CheckIn.objects.get(registration=registration, duplicate_of__isnull=True)
    assert CheckIn.objects.get(duplicate_of__isnull=False).duplicate_of == first
    registration.refresh_from_db()
    assert registration.checked_in_at == first.at


@pytest.mark.postgres
@pytest.mark.concurrency
@pytest.mark.django_db(transaction=True)
def test_without_the_lock_both_scans_take_themselves_for_the_first(one_ticket_twice, monkeypatch):
    """Both find no earlier check-in and write a first one: only the unique index keeps the
    second out, as an error where the gate should have said "duplicate"."""
    event, registration, scans = one_ticket_twice
    outcomes = race(event, scans, locked=False, monkeypatch=monkeypatch)
    assert sorted(outcomes) == ["checked-in", "error: IntegrityError"], outcomes
    assert CheckIn.objects.filter(registration=registration).count() == 1
