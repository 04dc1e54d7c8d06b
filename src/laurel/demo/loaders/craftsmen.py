"""``craftsmen`` (“巴渝工匠”职工摄影小赛), being judged now, so that the judge login can try
scoring at once: 16 entries sent over the last four weeks, its round 专家评审 opened two days
ago with the judge login and judge01–judge05 seated; those five have done their reviews, the
judge login's wait. Made once, the round all or nothing."""

import datetime
from itertools import groupby

from django.db import transaction
from django.utils import timezone

from laurel.accounts.models import Role, User
from laurel.contests.models import Contest
from laurel.contests.services import contest_create, contest_transition, contest_update
from laurel.demo import dates as demo_dates
from laurel.demo import judges as demo_judging
from laurel.demo import photos as demo_photos
from laurel.demo.entering import enter_photos
from laurel.demo.jury import judge_load, panel_seat
from laurel.demo.registry import DemoRun, register
from laurel.demo.story import aware, entries_date, told_at, told_since
from laurel.judging import services as judging
from laurel.judging.models import Assignment, Round
from laurel.orgs.models import Unit

CONTEST_JUDGING = "craftsmen"  # judged now: the judge login has reviews waiting
JUDGING_ENTRIES = 16
JUDGING_ROUND = "专家评审"
JUDGING_PANEL = ["judge01", "judge02", "judge03", "judge04", "judge05"]  # with the judge login
JUDGING_SEED = 2026  # the entries' hidden quality, the panel's scores


def craftsmen_loaded() -> bool:
    return Contest.objects.filter(slug=CONTEST_JUDGING).exists()


@register("craftsmen", order=60, loaded=craftsmen_loaded, needs=["units", "members", "logins"])
def craftsmen_load(run: DemoRun) -> None:
    """A small contest being judged now, so that the judge login can score at once:
    ``JUDGING_ENTRIES`` entries sent over the last four weeks, its round (four criteria,
    three judges an entry) opened two days ago (``dates.judging_now``) with the
    judge login and ``JUDGING_PANEL`` seated. The panel's simulated judges have done
    their reviews since; the judge login's wait. Made once, the round all or nothing."""
    admin = User.objects.get(username="admin")
    days = demo_dates.judging_now(timezone.localdate())
    if not Contest.objects.filter(slug=CONTEST_JUDGING).exists():
        contest = contest_create(
            acting_user=admin,
            slug=CONTEST_JUDGING,
            title="“巴渝工匠”职工摄影小赛",
            description="记录身边的工匠：车间、工地、田间和窗口里的一技之长。",
            organiser="重庆市总工会",
            co_organisers="重庆市劳动人民文化宫",
            opens_at=timezone.now() - datetime.timedelta(minutes=1),
            closes_at=timezone.now() + datetime.timedelta(days=1),
            min_long_edge=demo_photos.MIN_LONG_EDGE,
            members_submit=True,
            units_submit=True,
            categories=demo_photos.CATEGORIES,
            prize_tiers=[("一等奖", 1), ("二等奖", 3), ("三等奖", 6)],
        )
        contest = contest_transition(acting_user=admin, contest=contest, to=Contest.State.OPEN)
        told = told_since()
        planned = demo_photos.small_contest_entries(JUDGING_ENTRIES, days.opens, days.closes)
        sent = enter_photos(admin, contest, planned, run.stderr)
        contest = contest_transition(acting_user=admin, contest=contest, to=Contest.State.CLOSED)
        contest_update(
            acting_user=admin,
            contest=contest,
            opens_at=aware(days.opens),
            closes_at=aware(days.closes),
        )
        Contest.objects.filter(pk=contest.pk).update(created_at=aware(days.created))
        entries_date(contest, [aware(at) for at in sent], told)
    contest = Contest.objects.get(slug=CONTEST_JUDGING)
    if (
        contest.rounds.exists()
        or not contest.entries.filter(state__in=judging.JUDGED_STATES).exists()
    ):
        return
    people = {person.username: person for person in demo_judging.judges()}
    judge_login = User.objects.get(username="judge")
    units = {unit.code: unit for unit in Unit.objects.filter(code__startswith="cq")}
    with transaction.atomic():
        panel = {judge_load(people[name], units).pk: people[name] for name in JUDGING_PANEL}
        round_ = judging.round_create(
            acting_user=admin,
            contest=contest,
            name=JUDGING_ROUND,
            mode=Round.Mode.SCORE,
            deadline=aware(days.deadline),
            per_entry=3,
            criteria=demo_judging.CRITERIA,
        )
        judging.seat_add(
            acting_user=admin,
            round=round_,
            judge=judge_login,
            unit=judge_login.grants.get(role=Role.JUDGE).unit,
        )
        panel_seat(
            admin,
            round_,
            panel.values(),
            {u.username: u for u in User.objects.filter(pk__in=panel)},
            units,
        )
        judging.assignment_solve(acting_user=admin, round=round_)
        told = told_since()
        judging.round_open(acting_user=admin, round=round_)
        told_at(told, aware(days.round_opens))
        criteria = {c.name: str(c.pk) for c in round_.criteria.all()}
        numbers = dict(contest.entries.values_list("pk", "number"))
        for assignment in (
            Assignment.objects.filter(round=round_, judge_id__in=panel)
            .select_related("judge")
            .order_by("judge_id", "position")
        ):
            number = numbers[assignment.entry_id]
            quality = demo_judging.entry_quality(number, "", seed=JUDGING_SEED)
            given = demo_judging.criteria_scores(
                panel[assignment.judge_id], number, quality, seed=JUDGING_SEED
            )
            judging.review_save(
                acting_user=assignment.judge,
                assignment=assignment,
                scores={criteria[name]: score for name, score in given.items()},
            )
        # as for the 2024 rounds: the services take the clock's time, the story its own
        Round.objects.filter(pk=round_.pk).update(opened_at=aware(days.round_opens))
        # the last review an hour ago: nothing reads as done while the demo was loading
        until = timezone.localtime().replace(tzinfo=None) - datetime.timedelta(hours=1)
        work = list(Assignment.objects.filter(round=round_).order_by("judge_id", "position"))
        for judge_id, sitting in groupby(work, key=lambda a: a.judge_id):
            sitting = list(sitting)
            done = [a for a in sitting if a.state == Assignment.State.DONE]
            key = f"{CONTEST_JUDGING}:{judge_id}"
            times = demo_judging.review_times(days.round_opens, until, len(done), key)
            for assignment in sitting:
                assignment.created_at = aware(days.round_opens)
            for assignment, moment in zip(done, times, strict=True):
                assignment.reviewed_at = aware(moment)
        Assignment.objects.bulk_update(work, ["created_at", "reviewed_at"], batch_size=500)
