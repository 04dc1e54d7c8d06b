"""Two judges act on the same round at the same moment (PostgreSQL).

Each judge runs in their own thread on their own database connection. A barrier sends both
into the service together, and a second one holds both at the round lock's door, so they
reach it at the same moment every time. Run with the lock switched off — and a third barrier
holding both where the lock would have kept them apart, so the race shows every time — the
same race goes wrong, which is how we know these tests can see it.
"""

import threading
from collections import Counter

import pytest
from django.db import DatabaseError, connection

from laurel.judging import services
from laurel.judging.models import Assignment, Round
from laurel.judging.modes import qualify as qualify_mode
from laurel.judging.services import JudgingRefused, _common
from laurel.judging.services import assignment as assignment_services
from laurel.judging.services import reviews as review_services

REAL_LOCK = _common._round_lock
# where the services raced here look the round lock up: conflict_declare, review_save
LOCK_USERS = (assignment_services, review_services)
CRITERIA = [("主题", 30, 1, 10), ("构图", 30, 1, 10), ("技术", 20, 1, 10), ("创意", 20, 1, 10)]


def live(round_):
    return Assignment.objects.filter(round=round_).exclude(state=Assignment.State.WITHDRAWN)


@pytest.fixture
def open_round(closed_contest, users, make_user, deadline):
    """An open round of the closed contest, 4 judges, 2 per entry (6 reviews each)."""

    def make(mode: str) -> tuple[Round, list]:
        organiser = users["federation_admin"]
        round_ = services.round_create(
            acting_user=organiser,
            contest=closed_contest,
            name="评审",
            mode=mode,
            deadline=deadline,
            per_entry=2,
            criteria=CRITERIA if mode == "score" else (),
        )
        panel = [users["judge"], *(make_user("judge") for _ in range(3))]
        for judge in panel:
            services.seat_add(acting_user=organiser, round=round_, judge=judge)
        services.assignment_solve(acting_user=organiser, round=round_)
        services.round_open(acting_user=organiser, round=round_)
        return Round.objects.get(pk=round_.pk), panel

    return make


def race(calls, *, locked: bool, monkeypatch, hold=None) -> tuple[list[str], int]:
    """Run ``calls`` (functions of no argument) at once; what became of each — done |
    refused: … | error: … — and how many reached the round lock. Unlocked, ``hold`` =
    (a services module, a function it calls, "before" | "after") holds both threads there
    together."""
    start, at_the_lock = threading.Barrier(len(calls)), threading.Barrier(len(calls))
    reached = []
    if not locked and hold:
        module, name, when = hold
        real, together = getattr(module, name), threading.Barrier(len(calls))

        def held(*args, **kwargs):
            if when == "before":
                together.wait(timeout=30)
            result = real(*args, **kwargs)
            if when == "after":
                together.wait(timeout=30)
            return result

        monkeypatch.setattr(module, name, held)

    def lock(round_id: int) -> Round:
        reached.append(round_id)
        at_the_lock.wait(timeout=30)  # both inside their transaction, neither has changed anything
        if locked:
            return REAL_LOCK(round_id)
        return Round.objects.select_related("contest").get(pk=round_id)

    for module in LOCK_USERS:
        monkeypatch.setattr(module, "_round_lock", lock)
    outcomes = [""] * len(calls)

    def run(index: int, call) -> None:
        try:
            start.wait(timeout=30)
            call()
            outcomes[index] = "done"
        except JudgingRefused as refused:
            outcomes[index] = "refused: " + " ".join(refused.messages)
        except (DatabaseError, threading.BrokenBarrierError) as error:
            outcomes[index] = f"error: {type(error).__name__}: {error}"
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads)
    monkeypatch.undo()
    return outcomes, len(reached)


# --- two conflicts at once ---------------------------------------------------------------------


def conflicts_at_once(round_, *, locked: bool, monkeypatch):
    """The two judges of one entry both declare a conflict with it at the same moment."""
    entry_id = live(round_).first().entry_id
    declared = list(live(round_).filter(entry_id=entry_id).select_related("judge"))
    calls = [
        lambda a=a: services.conflict_declare(acting_user=a.judge, assignment=a, reason="认识")
        for a in declared
    ]
    # unlocked: both have read the round (each still sees the other's review live) before
    # either writes its new judge
    hold = (assignment_services, "_assignments_write", "before")
    outcomes, reached = race(calls, locked=locked, monkeypatch=monkeypatch, hold=hold)
    return entry_id, declared, outcomes, reached


def invariants_broken(round_, contest) -> list[str]:
    """What is wrong with the round's assignments (empty: nothing)."""
    problems = []
    per_entry = Counter(live(round_).values_list("entry_id", flat=True))
    for entry in contest.test_entries:
        if per_entry[entry.pk] != round_.per_entry:
            problems.append(f"entry {entry.pk} has {per_entry[entry.pk]} live reviews")
    pairs = list(Assignment.objects.filter(round=round_).values_list("entry_id", "judge_id"))
    problems += [f"pair {pair} twice" for pair, n in Counter(pairs).items() if n > 1]
    declared = Assignment.objects.filter(round=round_, withdrawn_reason="conflict")
    for entry_id, judge_id in declared.values_list("entry_id", "judge_id"):
        if live(round_).filter(entry_id=entry_id, judge_id=judge_id).exists():
            problems.append(f"judge {judge_id} still has entry {entry_id}")
    return problems


@pytest.mark.postgres
@pytest.mark.concurrency
@pytest.mark.django_db(transaction=True)
def test_two_judges_declare_conflicts_at_the_same_moment(open_round, closed_contest, monkeypatch):
    round_, _panel = open_round("score")
    entry_id, declared, outcomes, reached = conflicts_at_once(
        round_, locked=True, monkeypatch=monkeypatch
    )
    assert outcomes == ["done", "done"], outcomes
    assert reached == 2  # both went through the round lock
    assert invariants_broken(round_, closed_contest) == []
    for assignment in declared:
        row = Assignment.objects.get(pk=assignment.pk)
        assert (row.state, row.withdrawn_reason) == ("withdrawn", "conflict")
    takers = set(live(round_).filter(entry_id=entry_id).values_list("judge_id", flat=True))
    assert takers.isdisjoint({a.judge_id for a in declared})
    assert len(takers) == 2
    # every other pair is as the plan made it: 22 untouched, 2 new
    assert live(round_).count() == 24
    assert Assignment.objects.filter(round=round_).count() == 26


@pytest.mark.postgres
@pytest.mark.concurrency
@pytest.mark.django_db(transaction=True)
def test_two_conflicts_on_different_entries_at_the_same_moment(
    open_round, closed_contest, monkeypatch
):
    round_, panel = open_round("score")
    first = live(round_).filter(judge=panel[0]).first()
    second = live(round_).filter(judge=panel[1]).exclude(entry_id=first.entry_id).first()
    calls = [
        lambda a=a: services.conflict_declare(acting_user=a.judge, assignment=a)
        for a in (first, second)
    ]
    outcomes, reached = race(calls, locked=True, monkeypatch=monkeypatch)
    assert outcomes == ["done", "done"], outcomes
    assert reached == 2
    assert invariants_broken(round_, closed_contest) == []
    assert not live(round_).filter(entry_id=first.entry_id, judge=panel[0]).exists()
    assert not live(round_).filter(entry_id=second.entry_id, judge=panel[1]).exists()


@pytest.mark.postgres
@pytest.mark.concurrency
@pytest.mark.django_db(transaction=True)
def test_without_the_lock_two_conflicts_go_wrong(open_round, closed_contest, monkeypatch):
    """The same race with the lock switched off: each judge's re-assignment still sees the
    other's review as live, so both pick the same new judge — one dies on the unique pair,
    its conflict lost — or they leave the round inconsistent."""
    round_, _panel = open_round("score")
    _entry_id, _declared, outcomes, _reached = conflicts_at_once(
        round_, locked=False, monkeypatch=monkeypatch
    )
    broken = invariants_broken(round_, closed_contest)
    assert any(o.startswith("error") for o in outcomes) or broken, (outcomes, broken)


# --- two verdicts at once -----------------------------------------------------------------------


def verdicts_at_once(round_, entry_id, *, locked: bool, monkeypatch):
    """The two judges of a qualifying entry disagree, saving at the same moment."""
    first, second = live(round_).filter(entry_id=entry_id).select_related("judge")
    calls = [
        lambda: services.review_save(acting_user=first.judge, assignment=first, verdict=True),
        lambda: services.review_save(acting_user=second.judge, assignment=second, verdict=False),
    ]
    # unlocked: both have looked for a disagreement before either has committed its verdict
    hold = (qualify_mode, "_disagreement_settle", "after")
    return race(calls, locked=locked, monkeypatch=monkeypatch, hold=hold)


@pytest.mark.postgres
@pytest.mark.concurrency
@pytest.mark.django_db(transaction=True)
def test_a_disagreement_saved_at_the_same_moment_gets_its_third_judge(open_round, monkeypatch):
    round_, _panel = open_round("qualify")
    entry_id = live(round_).first().entry_id
    outcomes, reached = verdicts_at_once(round_, entry_id, locked=True, monkeypatch=monkeypatch)
    assert outcomes == ["done", "done"], outcomes
    assert reached == 2
    verdicts = sorted(
        live(round_).filter(entry_id=entry_id).values_list("verdict", flat=True), key=str
    )
    assert verdicts == [False, None, True]  # exactly one more judge, yet to decide
    assert live(round_).count() == 25


@pytest.mark.postgres
@pytest.mark.concurrency
@pytest.mark.django_db(transaction=True)
def test_without_the_lock_a_disagreement_goes_unnoticed(open_round, monkeypatch):
    """Unlocked, each save reads the other's verdict before it is committed: nobody sees the
    disagreement and no third judge is added."""
    round_, _panel = open_round("qualify")
    entry_id = live(round_).first().entry_id
    outcomes, _reached = verdicts_at_once(round_, entry_id, locked=False, monkeypatch=monkeypatch)
    assert outcomes == ["done", "done"], outcomes
    verdicts = sorted(live(round_).filter(entry_id=entry_id).values_list("verdict", flat=True))
    assert verdicts == [False, True]  # they disagree, and nobody was asked to decide
