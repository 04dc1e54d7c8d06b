"""The bulletin's photo contest, ``photo-2024`` (“中国梦·劳动美——魅力新重庆” 全市职工摄影展),
and ``photo-2026-autumn``, open now for a visitor to submit to. Each is made once: a second
run leaves them as they are.

``photo-2024`` is closed with ``--photos`` photos entered by members of many units
(``photos`` draws them; a few duplicates, undated and undersized photos and series among
them for screening to find), then judged as in late April 2024 (``judges`` simulates the
judges): 24 judges (judge01–judge24), some from district unions, the rest outside experts;
a qualifying round (初评, two judges an entry, a third where they disagree; most pass, so
that 复评 ranks more entries than there are prizes) and a scoring round (复评, three judges
an entry on four weighted criteria, each judge with their own severity), both closed.
Its 200 prizes (5 + 15 + 30 + 150) are proposed from the 复评 ranking and the results
published by the organiser on the evening of 30 April 2024, through the awards services;
the exhibition ran at the 文化宫 from 1 to 20 May 2024, so today it shows as the archive.

``--today`` moves the whole story of ``photo-2024`` by one offset (whole days, ``dates``)
so that its exhibition opened three days ago and is open now: the submission window, the
entries' times, the rounds and every review, the prizes and the publication (published at
the moved time, so its digest holds) and the exhibition. The photos' EXIF dates stay. The
dates are set when the contest is first loaded: on a database that already holds
``photo-2024`` it keeps its dates (its published snapshot cannot change), and the demo
says so; load the demo into an empty database to move it.
"""

import datetime
import sys
from collections import defaultdict
from itertools import groupby

from django.db import transaction
from django.utils import timezone
from tqdm import tqdm

from laurel.accounts.models import User
from laurel.awards import selectors as awards_selectors
from laurel.awards import services as awards
from laurel.awards.models import Award
from laurel.contests.models import Contest, Flag
from laurel.contests.services import (
    contest_create,
    contest_transition,
    contest_update,
    flag_resolve,
)
from laurel.demo import dates as demo_dates
from laurel.demo import judges as demo_judging
from laurel.demo import photos as demo_photos
from laurel.demo.entering import enter_photos
from laurel.demo.jury import judge_load, panel_seat
from laurel.demo.registry import DemoRun, Option, register
from laurel.demo.story import CONTEST_2024, aware, entries_date, told_at, told_since
from laurel.judging import services as judging
from laurel.judging.models import Assignment, Round
from laurel.orgs.models import Unit

CONTEST_OPEN = "photo-2026-autumn"
PRIZE_TIERS = [("一等奖", 5), ("二等奖", 15), ("三等奖", 30), ("优秀奖", 150)]
# photos entered by default: about 310 entries, of which 复评 ranks 200+ for the 200 prizes
DEFAULT_PHOTOS = 320
BULLETIN = (  # the bulletin's own words
    "为隆重庆祝“五一”国际劳动节，大力弘扬劳动最光荣、劳动最伟大的时代精神，展现新时期重庆"
    "城市建设风貌，讴歌劳动者在各行业各领域的奋斗姿态，丰富广大职工群众节日生活，由市总工会"
    "主办、市劳动人民文化宫承办的“中国梦·劳动美——魅力新重庆”全市职工摄影展面向全市职工征稿，"
    "作品涵盖自然风光、人文风情、生活场景、都市建设等多类题材，经第三方专家评审，精选出200幅"
    "作品获奖参展，五一期间在文化宫中心广场展出。"
)
OPTIONS = [
    Option(
        "--photos",
        {
            "type": int,
            "default": DEFAULT_PHOTOS,
            "help": "Photos entered in the 2024 contest (the real one had 3000).",
        },
    ),
    Option(
        "--today",
        {
            "action": "store_true",
            "help": (
                "Move the 2024 contest's whole story to around today, its exhibition opened "
                "three days ago. Applies when the contest is first loaded: a database that "
                "already holds it keeps its dates (load the demo into an empty one)."
            ),
        },
    ),
]


def photo_contest_loaded() -> bool:
    return Contest.objects.filter(slug=CONTEST_2024).exists()


@register(
    "photo_contest",
    order=50,
    loaded=photo_contest_loaded,
    needs=["units", "members", "logins"],
    options=OPTIONS,
)
def photo_contest_load(run: DemoRun) -> None:
    """The open contest, then ``photo-2024``: entered, judged, its results published; each
    step only where it is not done yet."""
    today = timezone.localdate() if run.options["today"] else None
    timeline = demo_dates.timeline(today)
    admin = User.objects.get(username="admin")
    open_contest_load(admin)
    if not Contest.objects.filter(slug=CONTEST_2024).exists():
        contest_2024_load(admin, run.options["photos"], timeline, run.stderr)
    elif today is not None:
        dates_kept(Contest.objects.get(slug=CONTEST_2024), timeline, run.stderr)
    contest_2024 = Contest.objects.get(slug=CONTEST_2024)
    # what is still to load (judging, results) follows the dates the contest was loaded with
    timeline = demo_dates.timeline_of(contest_2024.exhibition_opens_on)
    judged = contest_2024.entries.filter(state__in=judging.JUDGED_STATES)
    if not contest_2024.rounds.exists() and judged.exists():
        judging_load(admin, contest_2024, timeline)
    if (
        awards_selectors.final_round(contest_2024) is not None
        and awards_selectors.latest_publication(contest_2024) is None
    ):
        results_load(admin, contest_2024, timeline)


def story_at(timeline: demo_dates.Timeline, local: datetime.datetime) -> datetime.datetime:
    """A local time of the 2024 story, moved as this run's timeline says, made aware."""
    return aware(timeline.at(local))


def open_contest_load(admin: User) -> None:
    """A contest open now, so that a visitor can try submitting."""
    if Contest.objects.filter(slug=CONTEST_OPEN).exists():
        return
    now = timezone.now()
    contest = contest_create(
        acting_user=admin,
        slug=CONTEST_OPEN,
        title="2026年秋季“劳动者之歌”全市职工摄影展",
        description="面向全市职工征集反映劳动者风采的摄影作品，单幅、组照均可。",
        organiser="重庆市总工会",
        co_organisers="重庆市劳动人民文化宫",
        opens_at=now - datetime.timedelta(days=1),
        closes_at=now + datetime.timedelta(days=30),
        min_long_edge=demo_photos.MIN_LONG_EDGE,
        categories=demo_photos.CATEGORIES,
        prize_tiers=PRIZE_TIERS,
    )
    contest_transition(acting_user=admin, contest=contest, to=Contest.State.OPEN)
    # set up the day before it opened (the services take the clock's time)
    Contest.objects.filter(pk=contest.pk).update(created_at=now - datetime.timedelta(days=2))


def contest_2024_load(admin: User, photo_count: int, timeline: demo_dates.Timeline, stderr) -> None:
    """The bulletin's contest, entered through the services as if it were spring 2024:
    opened around now, entries submitted, closed, then its dates set to 2024's (moved
    with ``--today``)."""
    now = timezone.now()
    contest = contest_create(
        acting_user=admin,
        slug=CONTEST_2024,
        title="“中国梦·劳动美——魅力新重庆”全市职工摄影展",
        description=BULLETIN,
        organiser="重庆市总工会",
        co_organisers="重庆市劳动人民文化宫（承办）",
        opens_at=now - datetime.timedelta(minutes=1),
        closes_at=now + datetime.timedelta(days=1),
        min_long_edge=demo_photos.MIN_LONG_EDGE,
        taken_from=demo_dates.TAKEN_FROM,  # the photos' EXIF dates: never moved
        taken_until=demo_dates.TAKEN_UNTIL,
        members_submit=True,
        units_submit=True,
        exhibition_opens_on=timeline.on(demo_dates.EXHIBITION_OPENS),
        exhibition_closes_on=timeline.on(demo_dates.EXHIBITION_CLOSES),
        exhibition_venue="市劳动人民文化宫中心广场",
        categories=demo_photos.CATEGORIES,
        prize_tiers=PRIZE_TIERS,
    )
    contest = contest_transition(acting_user=admin, contest=contest, to=Contest.State.OPEN)
    told = told_since()
    planned = demo_photos.contest_entries(photo_count) if photo_count > 0 else []
    sent = enter_photos(admin, contest, planned, stderr)
    contest = contest_transition(acting_user=admin, contest=contest, to=Contest.State.CLOSED)
    contest_update(
        acting_user=admin,
        contest=contest,
        opens_at=story_at(timeline, demo_dates.ENTRIES_OPEN),
        closes_at=story_at(timeline, demo_dates.ENTRIES_CLOSE),
    )
    Contest.objects.filter(pk=contest.pk).update(
        created_at=story_at(timeline, demo_dates.CONTEST_CREATED)
    )
    entries_date(contest, [story_at(timeline, at) for at in sent], told)


def dates_kept(contest: Contest, timeline: demo_dates.Timeline, stderr) -> None:
    """``--today`` on a database that already holds the 2024 contest: it keeps its dates."""
    moved = timeline.on(demo_dates.EXHIBITION_OPENS)
    if contest.exhibition_opens_on != moved:
        stderr.write(
            f"{contest.slug} is already loaded, its exhibition {contest.exhibition_opens_on} "
            f"– {contest.exhibition_closes_on}; it keeps those dates (its published results "
            "cannot change). --today applies when the contest is first loaded: load the demo "
            "into an empty database to move it (its exhibition would open on "
            f"{moved})."
        )


def judging_load(admin: User, contest: Contest, timeline: demo_dates.Timeline) -> None:
    """The 2024 contest judged through the judging services, as its judges would have:
    初评 (pass / fail, two judges an entry and a third where they disagree), then 复评
    (four criteria, three judges an entry), both closed. All or nothing: a run stopped
    half-way leaves no round, and the next run judges again."""
    people = demo_judging.judges()
    units = {
        unit.code: unit for unit in Unit.objects.filter(code__in=demo_judging.JUDGE_UNITS.values())
    }
    with transaction.atomic():
        users = {person.username: judge_load(person, units) for person in people}
        entries = contest.entries.filter(state__in=judging.JUDGED_STATES)
        quality = {
            pk: demo_judging.entry_quality(number, title)
            for pk, number, title in entries.values_list("pk", "number", "title")
        }
        numbers = dict(entries.values_list("pk", "number"))
        habits = {users[person.username].pk: person for person in people}

        first = judging.round_create(
            acting_user=admin,
            contest=contest,
            name=demo_judging.QUALIFY_ROUND,
            mode=Round.Mode.QUALIFY,
            deadline=story_at(timeline, demo_judging.QUALIFY_DEADLINE),
            per_entry=2,
        )
        panel_seat(admin, first, people, users, units)

        def verdict(assignment: Assignment) -> dict:
            entry = assignment.entry_id
            judge = habits[assignment.judge_id]
            return {"verdict": demo_judging.verdict(judge, numbers[entry], quality[entry])}

        round_judge(admin, first, verdict, story_at(timeline, demo_judging.QUALIFY_OPENS))

        second = None
        if first.results.filter(advanced=True).exists():
            second = judging.round_create(
                acting_user=admin,
                contest=contest,
                name=demo_judging.SCORE_ROUND,
                mode=Round.Mode.SCORE,
                deadline=story_at(timeline, demo_judging.SCORE_DEADLINE),
                per_entry=3,
                entrants=Round.Entrants.PASSED,
                previous=first,
                advance=sum(count for _name, count in PRIZE_TIERS),  # 200 are shown
                criteria=demo_judging.CRITERIA,
            )
            scoring = [person for person in people if person.scores]
            panel_seat(admin, second, scoring, users, units)
            criteria = {c.name: str(c.pk) for c in second.criteria.all()}

            def scores(assignment: Assignment) -> dict:
                entry = assignment.entry_id
                judge = habits[assignment.judge_id]
                given = demo_judging.criteria_scores(judge, numbers[entry], quality[entry])
                return {"scores": {criteria[name]: score for name, score in given.items()}}

            round_judge(admin, second, scores, story_at(timeline, demo_judging.SCORE_OPENS))
        judging_backdate(first, second, habits, timeline)


def round_judge(admin: User, round_: Round, review, opened: datetime.datetime) -> None:
    """Assign, open (the judges told at ``opened``), have every judge review their
    work (tie-breaks made on the way included), close. Each judge's sitting is one
    transaction: review_save writes and audits one review a call."""
    judging.assignment_solve(acting_user=admin, round=round_)
    told = told_since()
    judging.round_open(acting_user=admin, round=round_)
    told_at(told, opened)
    with tqdm(
        total=0,
        desc=round_.name,
        unit="reviews",
        file=sys.stderr,
        disable=not sys.stderr.isatty(),
        leave=False,
    ) as bar:
        while True:  # a disagreement in 初评 sends the entry to one more judge
            work = list(
                Assignment.objects.filter(round=round_, state=Assignment.State.OPEN)
                .select_related("judge")
                .order_by("judge_id", "position")
            )
            if not work:
                break
            bar.total += len(work)
            bar.refresh()
            for _judge, sitting in groupby(work, key=lambda a: a.judge_id):
                with transaction.atomic():
                    for assignment in sitting:
                        judging.review_save(
                            acting_user=assignment.judge,
                            assignment=assignment,
                            **review(assignment),
                        )
                        bar.update()
    judging.round_close(acting_user=admin, round=round_)


def judging_backdate(
    first: Round, second: Round | None, habits: dict, timeline: demo_dates.Timeline
) -> None:
    """The one write behind the services for judging: rounds open and close, and
    reviews are made and saved, at the time the service runs (``timezone.now()`` and
    auto_now_add), and no service back-dates them. Without this the 2024 rounds would
    read as judged today, years after their contest; the audit log keeps the true
    times. Each judge's reviews are spread over the round's working hours in their own
    order; a third judge's review comes after the two it settles."""
    dates = {
        first.pk: (demo_judging.QUALIFY_OPENS, demo_judging.QUALIFY_DEADLINE,
                   demo_judging.QUALIFY_CLOSED),
        **({second.pk: (demo_judging.SCORE_OPENS, demo_judging.SCORE_DEADLINE,
                        demo_judging.SCORE_CLOSED)} if second else {}),
    }  # fmt: skip
    rounds = list(Round.objects.filter(pk__in=dates))
    names = {round_.pk: round_.name for round_ in rounds}
    for round_ in rounds:
        round_.opened_at, _deadline, round_.closed_at = (
            story_at(timeline, at) for at in dates[round_.pk]
        )
    Round.objects.bulk_update(rounds, ["opened_at", "closed_at"])
    done = list(
        Assignment.objects.filter(round_id__in=dates, state=Assignment.State.DONE).order_by(
            "round_id", "judge_id", "position"
        )
    )
    for (round_id, judge_id), sitting in groupby(done, key=lambda a: (a.round_id, a.judge_id)):
        sitting = list(sitting)
        opens, deadline, _closed = dates[round_id]
        key = f"{names[round_id]}:{habits[judge_id].username}"
        for assignment, moment in zip(
            sitting, demo_judging.review_times(opens, deadline, len(sitting), key), strict=True
        ):
            assignment.created_at = story_at(timeline, opens)
            assignment.reviewed_at = story_at(timeline, moment)
    by_entry = defaultdict(list)
    for assignment in done:
        by_entry[(assignment.round_id, assignment.entry_id)].append(assignment)
    for (round_id, _entry), reviews in by_entry.items():
        if len(reviews) > first.per_entry and round_id == first.pk:
            *settled, third = sorted(reviews, key=lambda a: a.pk)
            asked = max(a.reviewed_at for a in settled)
            third.created_at = asked
            later = min(
                asked + datetime.timedelta(hours=1),
                story_at(timeline, demo_judging.QUALIFY_DEADLINE),
            )
            third.reviewed_at = max(third.reviewed_at, later)
    Assignment.objects.bulk_update(done, ["created_at", "reviewed_at"], batch_size=500)


def results_load(admin: User, contest: Contest, timeline: demo_dates.Timeline) -> None:
    """The prizes proposed from the 复评 ranking and the results published by the
    organiser through the awards services, on the evening of 30 April 2024: 200
    prizes when 复评 ranks that many entries (a small demo gives each ranked entry
    one). Publishing is dated as it happened, not moved afterwards: the published
    snapshot carries its time and is digested. As for judging, the times the services
    take from the clock — when the prizes were set, when the winners were told — are
    set to the story's; the audit log keeps the true ones. All or nothing."""
    with transaction.atomic():
        # screening decided before anything is published (results_publish refuses
        # while a flag waits): the story's organiser kept what screening raised
        undecided = list(
            Flag.objects.filter(
                entry__contest=contest, state__in=(Flag.State.OPEN, Flag.State.ASKED)
            )
        )
        kept_told = told_since()
        for flag in undecided:
            flag_resolve(
                acting_user=admin,
                flag=flag,
                decision=Flag.State.KEPT,
                reason="经核实，不影响参评。",
            )
        # decided as the last flag came in, before the entries closed
        kept_at = min(
            max((flag.created_at for flag in undecided), default=contest.closes_at)
            + datetime.timedelta(minutes=30),
            contest.closes_at - datetime.timedelta(seconds=1),
        )
        Flag.objects.filter(pk__in=[flag.pk for flag in undecided]).update(resolved_at=kept_at)
        told_at(kept_told, kept_at)
        if not awards.awards_propose(acting_user=admin, contest=contest):
            return
        Award.objects.filter(contest=contest).update(
            set_at=story_at(timeline, demo_dates.AWARDS_PROPOSED)
        )
        told = told_since()
        publication = awards.results_publish(
            acting_user=admin,
            contest=contest,
            published_at=story_at(timeline, demo_dates.RESULTS_PUBLISHED),
        )
        told_at(told, publication.published_at)
