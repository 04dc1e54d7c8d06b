"""One request sent from 20 threads at once with one idempotency key (PostgreSQL): the work
runs once, one row is made, and every thread gets the same answer.

Each request runs in its own thread on its own database connection. A barrier sends all 20
in together, and a second one holds each after it has looked for a kept answer until all
have looked, so none finds one and all 20 reach the key's insert: the worst case every time.
While the first one's work runs, it waits until the other 19 are seen waiting on the key's
lock in ``pg_stat_activity``. Run with the claim switched off (the key's row inserted after
the work, not before it), the same race runs the work in every thread and all but one of
them fail instead of getting the answer, which is how we know this test can see the race.
"""

import threading
import time

import pytest
from django.db import IntegrityError, connection

from laurel.media.models import MediaAsset
from laurel.web import idempotency
from laurel.web.models import IdempotentRequest

THREADS = 20
KEY = "5f0c6a2e-8d1b-4c3a-9e7f-1a2b3c4d5e6f"
REAL_LOOKUP = idempotency.answer_recorded
WAITING_ON_A_LOCK = """
    SELECT count(*) FROM pg_stat_activity
    WHERE datname = current_database() AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()
"""


def others_waiting(expected: int, seconds: float = 30) -> int:
    """How many other connections wait on a lock, polled until ``expected`` do (or time
    is up). The backends' status is read once per transaction unless the snapshot is cleared."""
    deadline = time.monotonic() + seconds
    while True:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_stat_clear_snapshot()")
            cursor.execute(WAITING_ON_A_LOCK)
            seen = cursor.fetchone()[0]
        if seen >= expected or time.monotonic() > deadline:
            return seen
        time.sleep(0.05)


def race(*, claimed: bool, monkeypatch) -> tuple[list, list[int], list[int]]:
    """All threads send the request at once: what each got (an ``Answer`` or "error: …"),
    which threads ran the work, and how many others were waiting while it ran."""
    start, looked = threading.Barrier(THREADS), threading.Barrier(THREADS)

    def lookup_together(**request):
        found = REAL_LOOKUP(**request)
        looked.wait(timeout=30)  # every thread has looked; none found an answer
        return found

    monkeypatch.setattr(idempotency, "answer_recorded", lookup_together)
    if not claimed:
        monkeypatch.setattr(
            idempotency,
            "_claim",
            lambda *, scope, owner, key: IdempotentRequest(scope=scope, owner=owner, key=key),
        )
    outcomes, ran, waiting = [None] * THREADS, [], []

    def work(index: int) -> dict:
        asset = MediaAsset.objects.create(original_name=f"{index}.jpg", size=1, sha256="0" * 64)
        ran.append(index)
        if claimed:
            waiting.append(others_waiting(THREADS - 1))
        return {"status": 201, **idempotency.object_result(asset)}

    def run(index: int) -> None:
        try:
            start.wait(timeout=30)
            outcomes[index] = idempotency.run_once(
                scope="test.race", owner="user:7", key=KEY, work=lambda: work(index)
            )
        except (IntegrityError, threading.BrokenBarrierError) as error:
            outcomes[index] = f"error: {type(error).__name__}"
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(index,)) for index in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads)
    return outcomes, ran, waiting


@pytest.mark.postgres
@pytest.mark.concurrency
@pytest.mark.django_db(transaction=True)
def test_twenty_threads_with_one_key_make_one_row_and_get_one_answer(monkeypatch):
    outcomes, ran, waiting = race(claimed=True, monkeypatch=monkeypatch)

    assert all(isinstance(outcome, idempotency.Answer) for outcome in outcomes), outcomes
    assert len(ran) == 1
    assert waiting == [THREADS - 1]  # while the work ran, every other request waited on it
    [asset] = MediaAsset.objects.all()
    answer = {"status": 201, "model": "media.mediaasset", "pk": asset.pk}
    assert [outcome.result for outcome in outcomes] == [answer] * THREADS
    assert sorted(outcome.replayed for outcome in outcomes) == [False] + [True] * (THREADS - 1)
    assert outcomes[ran[0]].replayed is False  # the one that worked is the one not replayed
    assert list(IdempotentRequest.objects.values_list("key", "result")) == [(KEY, answer)]


@pytest.mark.postgres
@pytest.mark.concurrency
@pytest.mark.django_db(transaction=True)
def test_without_the_claim_every_thread_runs_the_work(monkeypatch):
    """The same race with the key's row inserted after the work: every thread runs the work
    (were it to send a message or store a file, twenty would go), and the key's unique index
    then fails all but the first to commit, whose answer the others never get."""
    outcomes, ran, _waiting = race(claimed=False, monkeypatch=monkeypatch)

    assert len(ran) == THREADS
    answers = [outcome for outcome in outcomes if isinstance(outcome, idempotency.Answer)]
    assert len(answers) == 1
    assert outcomes.count("error: IntegrityError") == THREADS - 1
