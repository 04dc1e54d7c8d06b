"""Watching and closing a round: ``round_progress`` (per judge, per category, entries short,
judges behind schedule), ``reminders_send`` and ``round_close`` (results ranked by the
judging core, who advances, qualified entries, and the rounds that follow)."""

import datetime
from collections import defaultdict

import pytest
from django.utils import timezone

from laurel.audit.models import LogEntry
from laurel.contests.models import Entry
from laurel.judging import services
from laurel.judging.models import Assignment, Result, Round
from laurel.judging.services import JudgingRefused
from laurel.notifications.models import Notification, OutgoingMessage

CRITERIA = [("主题", 30, 1, 10), ("构图", 30, 1, 10), ("技术", 20, 1, 10), ("创意", 20, 1, 10)]
SEVERITY = [-2, 0, 1, -1]  # each judge's habit, added to what an entry deserves


def live(round_):
    return Assignment.objects.filter(round=round_).exclude(state=Assignment.State.WITHDRAWN)


def audited(action: str, obj) -> list[LogEntry]:
    return list(LogEntry.objects.filter(action=action, object_id=str(obj.pk)))


@pytest.fixture
def organiser(users):
    return users["federation_admin"]


@pytest.fixture
def make_round(closed_contest, organiser, deadline, users, make_user):
    def make(*, mode="score", judges=4, per_entry=2, open_it=True, contest=None, **fields):
        round_ = services.round_create(
            acting_user=organiser,
            contest=contest or closed_contest,
            name=fields.pop("name", "评审" if mode == "score" else "初评"),
            mode=mode,
            deadline=deadline,
            per_entry=per_entry,
            criteria=fields.pop("criteria", CRITERIA if mode == "score" else ()),
            **fields,
        )
        panel = [users["judge"], *(make_user("judge") for _ in range(judges - 1))]
        for judge in panel:
            services.seat_add(acting_user=organiser, round=round_, judge=judge)
        services.assignment_solve(acting_user=organiser, round=round_)
        if open_it:
            services.round_open(acting_user=organiser, round=round_)
        return Round.objects.get(pk=round_.pk), panel

    return make


def deserved(entry_id: int, contest) -> int:
    """What an entry deserves, 2..9 — distinct enough to rank, by its place in the fixture."""
    index = [e.pk for e in contest.test_entries].index(entry_id)
    return 2 + (index * 5) % 8


def assert_places(results) -> None:
    """Places 1..N where entries the round cannot tell apart share one (1, 2, 2, 4), each
    marked tied exactly when it shares its place."""
    ranks = sorted(r.rank for r in results)
    assert ranks == [ranks.index(rank) + 1 for rank in ranks]
    for result in results:
        assert result.tied == (ranks.count(result.rank) > 1)


def score_everything(round_, panel, contest, skip=()) -> dict[int, list[float]]:
    """Every review scored (but those of entries in ``skip``): what the entry deserves, the
    judge's severity, a little spread across criteria. Returns each entry's weighted scores."""
    criteria = list(round_.criteria.all())
    weighted = defaultdict(list)
    for assignment in live(round_).select_related("judge").order_by("pk"):
        if assignment.entry_id in skip:
            continue
        habit = SEVERITY[[j.pk for j in panel].index(assignment.judge_id)]
        scores = {
            c.pk: max(1, min(10, deserved(assignment.entry_id, contest) + habit + i % 2))
            for i, c in enumerate(criteria)
        }
        services.review_save(acting_user=assignment.judge, assignment=assignment, scores=scores)
        weighted[assignment.entry_id].append(
            sum(scores[c.pk] * c.weight for c in criteria) / sum(c.weight for c in criteria)
        )
    return dict(weighted)


# --- progress and reminders -----------------------------------------------------------------------


@pytest.fixture
def half_done(make_round, closed_contest):
    """Opened two days ago, due in an hour: judges 0 and 2 finished, 1 did nothing, 3 half."""
    round_, panel = make_round()
    now = timezone.now()
    Round.objects.filter(pk=round_.pk).update(
        opened_at=now - datetime.timedelta(days=2), deadline=now + datetime.timedelta(hours=1)
    )
    round_ = Round.objects.get(pk=round_.pk)
    for judge, how_many in zip(panel, (6, 0, 6, 3), strict=True):
        for assignment in Assignment.objects.filter(round=round_, judge=judge)[:how_many]:
            services.review_save(
                acting_user=judge,
                assignment=assignment,
                scores={c.pk: 5 for c in round_.criteria.all()},
            )
    return round_, panel


def test_progress_per_judge_and_who_is_behind(half_done):
    round_, panel = half_done
    progress = services.round_progress(round_)
    per_judge = {p.judge: (p.assigned, p.done, p.behind) for p in progress["judges"]}
    assert per_judge == {
        panel[0]: (6, 6, False),
        panel[1]: (6, 0, True),
        panel[2]: (6, 6, False),
        panel[3]: (6, 3, True),
    }
    assert (progress["done"], progress["assigned"]) == (15, 24)
    assert 0.95 < progress["time_gone"] <= 1
    # at the opening nobody is behind yet
    at_start = services.round_progress(round_, now=round_.opened_at)
    assert not any(p.behind for p in at_start["judges"])
    assert at_start["time_gone"] == 0


def test_progress_per_category_and_entries_short(half_done, closed_contest):
    round_, panel = half_done
    progress = services.round_progress(round_)
    done = live(round_).filter(state="done")
    expected = {}
    for category in closed_contest.categories.all()[:2]:
        expected[category.name] = (
            live(round_).filter(entry__category=category).count(),
            done.filter(entry__category=category).count(),
        )
    assert {
        c["entry__category__name"]: (c["assigned"], c["done"]) for c in progress["categories"]
    } == expected
    assert sum(d for _a, d in expected.values()) == 15
    done_per_entry = defaultdict(int)
    for entry_id in done.values_list("entry_id", flat=True):
        done_per_entry[entry_id] += 1
    short = sorted(e.pk for e in closed_contest.test_entries if done_per_entry[e.pk] < 2)
    assert sorted(progress["short"]) == short
    assert short  # 15 reviews of 24 done: some entries are still short


def test_reminders_go_only_to_judges_behind(half_done, organiser):
    round_, panel = half_done
    panel[1].mobile = "13800002222"
    panel[1].save(update_fields=["mobile"])
    before = {j: Notification.objects.filter(recipient=j).count() for j in panel}
    sms_before = OutgoingMessage.objects.filter(to="13800002222").count()
    assert services.reminders_send(acting_user=organiser, round=round_) == 2
    after = {j: Notification.objects.filter(recipient=j).count() for j in panel}
    assert {j: after[j] - before[j] for j in panel} == {
        panel[0]: 0,
        panel[1]: 1,
        panel[2]: 0,
        panel[3]: 1,
    }
    reminder = Notification.objects.filter(recipient=panel[3]).order_by("-pk").first()
    assert round_.name in reminder.title
    assert "3" in reminder.title  # three reviews left
    assert OutgoingMessage.objects.filter(to="13800002222").count() == sms_before + 1
    [entry] = audited("judging.round.reminded", round_)
    assert sorted(entry.data["judges"]) == sorted([panel[1].pk, panel[3].pk])


@pytest.mark.parametrize("role", ["unit_admin", "judge"])
def test_only_organisers_send_reminders(half_done, users, role):
    round_, panel = half_done
    count = Notification.objects.count()
    with pytest.raises(JudgingRefused):
        services.reminders_send(acting_user=users[role], round=round_)
    assert Notification.objects.count() == count


# --- closing a scoring round ---------------------------------------------------------------------


def test_closing_a_scoring_round_ranks_every_entry_with_intervals(
    make_round, closed_contest, organiser
):
    round_, panel = make_round(per_entry=3)
    assert round_.method == "calibrated"
    score_everything(round_, panel, closed_contest)
    closed = services.round_close(acting_user=organiser, round=round_)
    assert closed.state == Round.State.CLOSED
    assert closed.closed_at is not None
    assert Round.objects.get(pk=round_.pk).state == Round.State.CLOSED
    results = list(Result.objects.filter(round=round_))
    assert sorted(r.entry_id for r in results) == sorted(e.pk for e in closed_contest.test_entries)
    assert_places(results)
    for result in results:
        assert 1 <= result.score <= 10
        assert result.low is not None
        assert result.high is not None
        assert 1 <= result.low <= result.score <= result.high <= 10
        assert result.reviews == 3
        assert result.advanced is True  # no limit set: every ranked entry goes on
        assert result.passed is None
    # what entries deserve shows through the judges' habits
    best = min(results, key=lambda r: r.rank)
    assert deserved(best.entry_id, closed_contest) == 9
    [entry] = audited("judging.round.closed", round_)
    assert entry.data == {"entries": 12, "reviews": 36, "advanced": 12, "method": "calibrated"}
    # a scoring round leaves entries' states alone
    assert set(Entry.objects.filter(contest=closed_contest).values_list("state", flat=True)) == {
        "accepted"
    }


def test_the_mean_method_ranks_by_the_mean_of_weighted_scores(
    make_round, closed_contest, organiser
):
    round_, panel = make_round(method="mean")
    weighted = score_everything(round_, panel, closed_contest)
    services.round_close(acting_user=organiser, round=round_)
    means = {entry_id: sum(scores) / len(scores) for entry_id, scores in weighted.items()}
    results = list(Result.objects.filter(round=round_).order_by("rank"))
    assert_places(results)
    for result in results:
        assert result.score == pytest.approx(means[result.entry_id])
        assert (result.low, result.high) == (None, None)  # intervals: calibrated only
    # the place is one more than the entries with a higher mean as read (2 places): entries
    # with equal means share it, never told apart by their id
    shown = {entry_id: round(mean + 1e-9, 2) for entry_id, mean in means.items()}
    for result in results:
        higher = sum(1 for mean in shown.values() if mean > shown[result.entry_id])
        assert result.rank == higher + 1
    assert len(set(shown.values())) > 6  # a real ranking, not all ties
    assert len(set(shown.values())) < 12  # and the fixture's equal means do tie


def test_advance_marks_the_top_n_and_unreviewed_entries_go_unranked(
    make_round, closed_contest, organiser
):
    round_, panel = make_round(method="mean", advance=4)
    left_out = closed_contest.test_entries[5].pk
    score_everything(round_, panel, closed_contest, skip={left_out})
    services.round_close(acting_user=organiser, round=round_)
    results = {r.entry_id: r for r in Result.objects.filter(round=round_)}
    assert len(results) == 12
    assert (results[left_out].rank, results[left_out].reviews) == (None, 0)
    assert results[left_out].advanced is False
    ranked = sorted((r for r in results.values() if r.rank), key=lambda r: r.rank)
    assert_places(ranked)
    assert len(ranked) == 11
    # the best 4 go on, and an entry tied with the fourth goes on with it: a tie across the
    # line is never broken silently
    assert [r.advanced for r in ranked] == [r.rank <= 4 for r in ranked]
    advanced = sum(r.advanced for r in ranked)
    assert advanced == sum(1 for r in ranked if r.rank <= 4) >= 4
    [entry] = audited("judging.round.closed", round_)
    assert entry.data["advanced"] == advanced


def test_a_round_closes_once_and_only_when_open(make_round, closed_contest, organiser):
    round_, panel = make_round(open_it=False)
    with pytest.raises(JudgingRefused):
        services.round_close(acting_user=organiser, round=round_)
    assert not Result.objects.exists()
    services.round_open(acting_user=organiser, round=round_)
    score_everything(round_, panel, closed_contest)
    services.round_close(acting_user=organiser, round=round_)
    first = list(Result.objects.filter(round=round_).values_list("pk", "entry", "rank", "score"))
    with pytest.raises(JudgingRefused):
        services.round_close(acting_user=organiser, round=round_)
    assert (
        list(Result.objects.filter(round=round_).values_list("pk", "entry", "rank", "score"))
        == first
    )
    assert len(audited("judging.round.closed", round_)) == 1


@pytest.mark.parametrize("role", ["unit_admin", "judge", "member"])
def test_only_organisers_close_rounds(make_round, closed_contest, users, role):
    round_, panel = make_round()
    with pytest.raises(JudgingRefused):
        services.round_close(acting_user=users[role], round=round_)
    assert Round.objects.get(pk=round_.pk).state == Round.State.OPEN
    assert not Result.objects.exists()


# --- closing a qualifying round, and the rounds that follow ---------------------------------------


def verdicts_given(round_, entry, verdicts) -> None:
    """The entry's first judges give ``verdicts`` in turn; a tie-breaker, if one was added,
    gives the next one (if any)."""
    for verdict in verdicts:
        assignment = live(round_).filter(entry=entry, state="open").order_by("pk").first()
        services.review_save(acting_user=assignment.judge, assignment=assignment, verdict=verdict)


@pytest.fixture
def qualified(make_round, closed_contest, organiser):
    """A closed qualifying round (K=2): the outcome decided entry by entry."""
    round_, panel = make_round(mode="qualify")
    entries = closed_contest.test_entries
    plan = {
        0: [True, True],  # agreed: passes
        1: [False, False],  # agreed: fails
        2: [True, False, True],  # the third judge passes it
        3: [True, False, False],  # the third judge fails it
        4: [False, True],  # the third judge never gets to it: a tie passes
        5: [True],  # one verdict of two, a pass: passes
        6: [False],  # one verdict of two, a fail: fails
    }  # 7–11: no verdict at all: fail
    for index, verdicts in plan.items():
        verdicts_given(round_, entries[index], verdicts)
    services.round_close(acting_user=organiser, round=round_)
    return round_, panel


def test_a_qualifying_round_passes_by_majority_and_a_tie_passes(qualified, closed_contest):
    round_, _panel = qualified
    entries = closed_contest.test_entries
    results = {r.entry_id: r for r in Result.objects.filter(round=round_)}
    outcome = [(results[e.pk].passed, results[e.pk].reviews) for e in entries]
    assert outcome == [
        (True, 2),
        (False, 2),
        (True, 3),
        (False, 3),
        (True, 2),
        (True, 1),
        (False, 1),
        *[(False, 0)] * 5,
    ]
    assert all(r.advanced == r.passed for r in results.values())
    assert all(r.rank is None for r in results.values())
    passed = {entries[i].pk for i in (0, 2, 4, 5)}
    states = dict(Entry.objects.filter(contest=closed_contest).values_list("pk", "state"))
    assert {pk for pk, state in states.items() if state == "qualified"} == passed
    assert {pk for pk, state in states.items() if state == "accepted"} == {
        e.pk for e in entries
    } - passed
    [entry] = audited("judging.round.closed", round_)
    assert entry.data["advanced"] == 4


def test_the_next_round_judges_only_the_entries_that_passed(qualified, make_round, closed_contest):
    qualifying, _panel = qualified
    entries = closed_contest.test_entries
    passed = {entries[i].pk for i in (0, 2, 4, 5)}
    following, _panel = make_round(
        entrants="passed", previous=qualifying, name="复评", open_it=False
    )
    assert set(services.round_entries(following).values_list("pk", flat=True)) == passed
    assert (
        set(Assignment.objects.filter(round=following).values_list("entry_id", flat=True)) == passed
    )
    assert Assignment.objects.filter(round=following).count() == 8
    assert services.assignment_summary(following).entries == 4


def test_a_top_round_judges_only_the_best_of_a_scoring_round(make_round, closed_contest, organiser):
    first, panel = make_round(method="mean")
    score_everything(first, panel, closed_contest)
    services.round_close(acting_user=organiser, round=first)
    best = set(Result.objects.filter(round=first, rank__lte=5).values_list("entry_id", flat=True))
    assert len(best) == 5
    final, _panel = make_round(entrants="top", top=5, previous=first, name="终评", open_it=False)
    assert set(services.round_entries(final).values_list("pk", flat=True)) == best
    assert set(Assignment.objects.filter(round=final).values_list("entry_id", flat=True)) == best


def test_after_a_scoring_round_passed_means_advanced(make_round, closed_contest, organiser):
    first, panel = make_round(method="mean", advance=3)
    score_everything(first, panel, closed_contest)
    services.round_close(acting_user=organiser, round=first)
    advanced = set(
        Result.objects.filter(round=first, advanced=True).values_list("entry_id", flat=True)
    )
    assert advanced == set(
        Result.objects.filter(round=first, rank__lte=3).values_list("entry_id", flat=True)
    )
    following, _panel = make_round(entrants="passed", previous=first, name="复评", open_it=False)
    assert set(services.round_entries(following).values_list("pk", flat=True)) == advanced
