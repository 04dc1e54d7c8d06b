"""Two unit admins take a quota's last place at the same moment: one entry, one refusal.

Each submission runs in its own thread on its own database connection. A barrier sends both
into ``entry_submit`` together, and a second one holds both at the contest lock's door, so
they reach it at the same moment every time. Run once with the lock switched off, the same
race lets both past the quota check — which is how we know this test can see the race.
"""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection

from laurel.contests.models import Contest, Entry
from laurel.contests.services import SubmissionRefused, entries, entry_submit
from tests.conftest import make_member
from tests.contests.conftest import ALL_DECLARATIONS, photo_upload

ATTEMPTS_WITHOUT_LOCK = 5
REAL_LOCK = entries._contest_lock


@pytest.fixture
def last_place(world, users, make_user, contest_factory):
    """A quota of 2 on 永川区 with one place taken; two admins inside it, two authors."""
    contest = contest_factory(quotas=[(world.district, 2)])
    entry_submit(
        acting_user=users["unit_admin"],
        contest=contest,
        author=make_member(world.district, 1),
        category=contest.categories.first(),
        title="第一幅",
        uploads=[photo_upload(1)],
        declarations=ALL_DECLARATIONS,
        process=False,
    )
    runners = [
        (users["unit_admin"], make_member(world.district, 2)),
        (make_user("unit_admin", world.grassroots), make_member(world.grassroots, 3)),
    ]
    return contest, runners


def race(contest: Contest, runners, *, locked: bool, monkeypatch) -> list[str]:
    """Both submissions at once; what became of each: created | refused: … | error: …"""
    start, at_the_lock = threading.Barrier(len(runners)), threading.Barrier(len(runners))

    def lock(contest_id: int) -> Contest:
        at_the_lock.wait(timeout=30)  # both inside their transaction, neither counted yet
        if locked:
            return REAL_LOCK(contest_id)
        return Contest.objects.get(pk=contest_id)

    monkeypatch.setattr(entries, "_contest_lock", lock)
    outcomes = [""] * len(runners)

    def run(index: int, user, author) -> None:
        try:
            start.wait(timeout=30)
            entry_submit(
                acting_user=user,
                contest=contest,
                author=author,
                category=contest.categories.first(),
                title=f"最后一个名额 {index}",
                uploads=[photo_upload(100 + index)],
                declarations=ALL_DECLARATIONS,
                process=False,
            )
            outcomes[index] = "created"
        except SubmissionRefused as refused:
            outcomes[index] = "refused: " + " ".join(refused.messages)
        except (IntegrityError, ValidationError, threading.BrokenBarrierError) as error:
            outcomes[index] = f"error: {type(error).__name__}: {error}"
        finally:
            connection.close()

    threads = [
        threading.Thread(target=run, args=(index, user, author))
        for index, (user, author) in enumerate(runners)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads)
    return outcomes


@pytest.mark.postgres
@pytest.mark.concurrency
@pytest.mark.django_db(transaction=True)
def test_two_admins_cannot_both_take_the_last_place(last_place, world, monkeypatch):
    contest, runners = last_place
    outcomes = race(contest, runners, locked=True, monkeypatch=monkeypatch)
    assert sorted(o.split(":")[0] for o in outcomes) == ["created", "refused"], outcomes
    [refusal] = [o for o in outcomes if o.startswith("refused")]
    assert world.district.name in refusal  # the quota refused it, not anything else
    live = Entry.objects.filter(contest=contest, state__in=Entry.LIVE_STATES)
    assert live.count() == 2
    assert sorted(live.values_list("number", flat=True)) == [1, 2]


@pytest.mark.postgres
@pytest.mark.concurrency
@pytest.mark.django_db(transaction=True)
def test_without_the_lock_both_get_past_the_quota(last_place, monkeypatch):
    """The same race with the lock switched off: both count one place taken, both go on
    (the loser then dies on the entry number's unique constraint, not on the quota)."""
    contest, runners = last_place
    seen = []
    for _attempt in range(ATTEMPTS_WITHOUT_LOCK):
        outcomes = race(contest, runners, locked=False, monkeypatch=monkeypatch)
        seen.append(outcomes)
        if not any(o.startswith("refused") for o in outcomes):
            break
        Entry.objects.filter(contest=contest, number__gt=1).delete()
    else:
        pytest.fail(f"the race never showed without the lock: {seen}")
    assert "created" in outcomes
