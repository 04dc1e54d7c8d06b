"""What awards tests share: a contest screened (every flag kept), judged in one scoring round
by three judges, closed, with its prize tiers set small (一等奖 × 1, 二等奖 × 2, 三等奖 × 3
over 12 entries)."""

import datetime

import pytest
from django.utils import timezone

from laurel.awards import services as awards
from laurel.contests.models import Contest, Flag, PrizeTier
from laurel.contests.services import flag_resolve
from laurel.judging import services as judging
from laurel.judging.models import Assignment
from tests.contests.conftest import (  # noqa: F401 - fixtures used by awards tests
    ALL_DECLARATIONS,
    contest,
    contest_factory,
    member_self,
)
from tests.judging.conftest import closed_contest, deadline, small_jpeg  # noqa: F401

# entry n's quality: entry 0 is best; each judge adds its own severity. Rounded to whole
# scores, the twelve entries get twelve different triples: no two entries tie exactly (equal
# reviews would share a place).
SEVERITY = {0: -1.2, 1: 0.0, 2: 1.2}
TIERS = [("一等奖", 1), ("二等奖", 2), ("三等奖", 3)]


def quality(n: int) -> float:
    return 9.0 - 0.6 * n


@pytest.fixture
def judged_contest(closed_contest, make_user, users, deadline):  # noqa: F811
    """``closed_contest`` judged: one scoring round (criterion 总分, 1–10, weight 1), three
    judges each scoring all 12 entries as quality(n) + their severity; closed (calibrated).
    ``contest.test_round`` is the round, ``contest.test_judges`` the judges."""
    judged = closed_contest
    organiser = users["federation_admin"]
    for flag in Flag.objects.filter(entry__contest=judged):  # screening decided first
        flag_resolve(acting_user=organiser, flag=flag, decision=Flag.State.KEPT, reason="已核实")
    PrizeTier.objects.filter(contest=judged).delete()
    for position, (name, count) in enumerate(TIERS):
        PrizeTier.objects.create(contest=judged, name=name, count=count, position=position)
    judges = [make_user("judge", display_name=f"评委{k}") for k in range(3)]
    score_round = judging.round_create(
        acting_user=organiser,
        contest=judged,
        name="复评",
        mode="score",
        deadline=deadline,
        per_entry=3,
        criteria=[("总分", 1, 1, 10)],
    )
    for judge in judges:
        judging.seat_add(acting_user=organiser, round=score_round, judge=judge)
    judging.assignment_solve(acting_user=organiser, round=score_round)
    judging.round_open(acting_user=organiser, round=score_round)
    criterion = str(score_round.criteria.get().pk)
    number_of = {e.pk: n for n, e in enumerate(judged.test_entries)}
    for assignment in Assignment.objects.filter(round=score_round).select_related("judge"):
        k = judges.index(assignment.judge)
        score = quality(number_of[assignment.entry_id]) + SEVERITY[k]
        judging.review_save(
            acting_user=assignment.judge,
            assignment=assignment,
            scores={criterion: max(1, min(10, round(score)))},
        )
    score_round = judging.round_close(acting_user=organiser, round=score_round)
    entries = judged.test_entries
    judged.refresh_from_db()
    judged.test_entries, judged.test_round, judged.test_judges = entries, score_round, judges
    return judged


@pytest.fixture
def organiser(users):
    return users["federation_admin"]


@pytest.fixture
def published(judged_contest, organiser):
    """The judged contest with its prizes proposed and published (version 1); the exhibition
    open from yesterday for ten days."""
    today = timezone.localdate()
    Contest.objects.filter(pk=judged_contest.pk).update(
        exhibition_opens_on=today - datetime.timedelta(days=1),
        exhibition_closes_on=today + datetime.timedelta(days=10),
        exhibition_venue="市劳动人民文化宫",
    )
    judged_contest.refresh_from_db()
    awards.awards_propose(acting_user=organiser, contest=judged_contest)
    awards.results_publish(acting_user=organiser, contest=judged_contest, reason="")
    judged_contest.refresh_from_db()
    return judged_contest
