"""``laurel demo``: load the May-Day world (idempotent) and print the demo logins.

The city federation, its 38 district/county unions, the city's industry unions, a few hundred
grassroots unions and a few thousand members (``web/demo_world.py`` makes them). Members go
in through the roster import itself, so a second run finds them all unchanged.

Then the bulletin's photo contest, ``photo-2024`` (“中国梦·劳动美——魅力新重庆” 全市职工摄影展),
closed with ``--photos`` photos entered by members of many units (``web/demo_photos.py``
draws them; a few duplicates, undated and undersized photos and series among them for
screening to find), and ``photo-2026-autumn``, open now, for a visitor to submit to. Each is
made once: a second run leaves them as they are.

``photo-2024`` is then judged as in late April 2024 (``web/demo_judging.py`` simulates the
judges): 24 judges (judge01–judge24), some from district unions, the rest outside experts;
a qualifying round (初评, two judges an entry, a third where they disagree; most pass, so
that 复评 ranks more entries than there are prizes) and a scoring round (复评, three judges
an entry on four weighted criteria, each judge with their own severity), both closed.
Its 200 prizes (5 + 15 + 30 + 150) are proposed from the 复评 ranking and the results
published by the organiser on the evening of 30 April 2024, through the awards services;
the exhibition ran at the 文化宫 from 1 to 20 May 2024, so today it shows as the archive.
The demo prints the public results and exhibition pages (at ``LAUREL_PUBLIC_URL``).

``craftsmen`` (“巴渝工匠”职工摄影小赛) is being judged now, so that the judge login can try
scoring at once: 16 entries sent over the last four weeks, its round 专家评审 opened two days
ago with the judge login and judge01–judge05 seated; those five have done their reviews, the
judge login's wait, and the judge's printed login line says so.

Every time the services take from the clock (entries, declarations, uploads, screening's
flags, reviews, prizes, notifications) is set to the story's; only the audit log keeps
when the demo was loaded.

``laurel demo --today`` moves the whole story of ``photo-2024`` by one offset (whole days,
``web/demo_dates.py``) so that its exhibition opened three days ago and is open now: the
submission window, the entries' times, the rounds and every review, the prizes and the
publication (published at the moved time, so its digest holds) and the exhibition. The
photos' EXIF dates stay. The dates are set when the scenario is first loaded: on a database
that already holds ``photo-2024`` it keeps its dates (its published snapshot cannot
change), and the demo says so; load the demo into an empty database to move it.
"""

import datetime
import os
import random
import sys
from collections import defaultdict
from concurrent.futures import Future, ThreadPoolExecutor
from itertools import groupby

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from tqdm import tqdm

from laurel.accounts.models import Role, User
from laurel.accounts.services import role_grant, user_create
from laurel.awards import selectors as awards_selectors
from laurel.awards import services as awards
from laurel.awards.models import Award
from laurel.contests.ingest import EntryPlan, entries_submit_batch
from laurel.contests.models import Contest, Declaration, Entry, EntryPhoto, Flag
from laurel.contests.services import (
    contest_create,
    contest_transition,
    contest_update,
    flag_resolve,
)
from laurel.core.identity import id_card_check_character
from laurel.core.roster import MEMBER_COLUMNS
from laurel.core.tables import Record, Table
from laurel.judging import services as judging
from laurel.judging.models import Assignment, Round
from laurel.media.ingest import SourceFile
from laurel.media.models import MediaAsset
from laurel.members.imports import member_import_plan
from laurel.members.models import Member
from laurel.members.services import (
    SYSTEM_ACCESS,
    member_create,
    member_import_apply,
    member_user_link,
    team_create,
)
from laurel.notifications.models import Notification, OutgoingMessage
from laurel.orgs.models import Unit
from laurel.orgs.services import unit_create
from laurel.web import demo_dates, demo_judging, demo_photos, demo_world

PASSWORD = "Laurel@2026"
# username, name, mobile, role, unit code
LOGINS = [
    ("admin", "市总工会管理员", "13800000001", Role.FEDERATION_ADMIN, None),
    ("yongchuan", "永川区工会管理员", "13800000002", Role.UNIT_ADMIN, "cq/yongchuan"),
    ("judge", "评委 李老师", "13800000003", Role.JUDGE, "cq/culture-palace"),
    ("member", "万承尧", "13800000004", Role.MEMBER, "cq/yongchuan/factory3"),
]
# The member login's own record (the bulletin's 万承尧); a valid number made for the demo.
MEMBER_LOGIN_ID_CARD = "50011819880512003" + id_card_check_character("50011819880512003")

CONTEST_2024 = "photo-2024"
CONTEST_OPEN = "photo-2026-autumn"
CONTEST_JUDGING = "craftsmen"  # judged now: the judge login has reviews waiting
JUDGING_ENTRIES = 16
JUDGING_ROUND = "专家评审"
JUDGING_PANEL = ["judge01", "judge02", "judge03", "judge04", "judge05"]  # with the judge login
JUDGING_SEED = 2026  # the entries' hidden quality, the panel's scores
# an upload is processed and screened, and its entry accepted, this long after it arrives
PROCESSING = datetime.timedelta(seconds=20)
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


def aware(moment: datetime.datetime) -> datetime.datetime:
    """A local time of the plan, in the time zone of the settings."""
    return timezone.make_aware(moment)


class Command(BaseCommand):
    help = (
        "Load the May-Day demo world (safe to run again) and print the logins and the public "
        "pages of the 2024 contest's results and exhibition."
    )

    def add_arguments(self, parser):
        parser.add_argument("--members", type=int, default=3000, help="How many members.")
        parser.add_argument(
            "--photos",
            type=int,
            default=DEFAULT_PHOTOS,
            help="Photos entered in the 2024 contest (the real one had 3000).",
        )
        parser.add_argument(
            "--today",
            action="store_true",
            help=(
                "Move the 2024 contest's whole story to around today, its exhibition opened "
                "three days ago. Applies when the contest is first loaded: a database that "
                "already holds it keeps its dates (load the demo into an empty one)."
            ),
        )

    def handle(self, *args, **options):
        today = timezone.localdate() if options["today"] else None
        self.timeline = demo_dates.timeline(today)
        with transaction.atomic():
            units = self.load_units()
            self.load_members(units, options["members"])
            self.load_logins(units)
            self.load_teams(units)
        admin = User.objects.get(username="admin")
        self.load_open_contest(admin)
        if not Contest.objects.filter(slug=CONTEST_2024).exists():
            self.load_contest_2024(admin, options["photos"])
        elif today is not None:
            self.dates_kept(Contest.objects.get(slug=CONTEST_2024))
        contest_2024 = Contest.objects.get(slug=CONTEST_2024)
        # what is still to load (judging, results) follows the dates the contest was loaded with
        self.timeline = demo_dates.timeline_of(contest_2024.exhibition_opens_on)
        judged = contest_2024.entries.filter(state__in=judging.JUDGED_STATES)
        if not contest_2024.rounds.exists() and judged.exists():
            self.load_judging(admin, contest_2024)
        if (
            awards_selectors.final_round(contest_2024) is not None
            and awards_selectors.latest_publication(contest_2024) is None
        ):
            self.load_results(admin, contest_2024)
        self.load_judging_now(admin)
        for contest in Contest.objects.filter(
            slug__in=[CONTEST_2024, CONTEST_JUDGING, CONTEST_OPEN]
        ):
            self.stdout.write(
                f"Contest {contest.slug}: {contest.get_state_display()}, "
                f"{contest.entries.count()} entries · {contest.title}"
            )
            for round_ in contest.rounds.all():
                results = round_.results.all()
                reviews = round_.assignments.exclude(state=Assignment.State.WITHDRAWN)
                outcome = (
                    f"{reviews.filter(state=Assignment.State.DONE).count()} of "
                    f"{reviews.count()} reviews done, due "
                    f"{timezone.localtime(round_.deadline):%Y-%m-%d %H:%M}"
                    if round_.state == Round.State.OPEN
                    else f"{results.count()} entries, {results.filter(advanced=True).count()} go on"
                )
                self.stdout.write(
                    f"Round {round_.name} ({round_.get_mode_display()}): "
                    f"{round_.get_state_display()}, {outcome}, {round_.seats.count()} judges"
                )
            publication = awards_selectors.latest_publication(contest)
            if publication is not None:
                published = timezone.localtime(publication.published_at)
                self.stdout.write(
                    f"Results v{publication.version} published {published:%Y-%m-%d %H:%M}: "
                    f"{Award.objects.filter(contest=contest).count()} prizes, "
                    f"digest {publication.digest}"
                )
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo world: {Unit.objects.count()} units, {Member.objects.count()} members. "
                "Logins (username / password):"
            )
        )
        for username, name, _mobile, role, _unit in LOGINS:
            self.stdout.write(
                f"  {username:<10} {PASSWORD:<12} {role.label} · {name}{self.work_of(username)}"
            )
        panel = [judge.username for judge in demo_judging.judges()]
        if User.objects.filter(username__in=panel).count() == len(panel):
            self.stdout.write(
                f"The {len(panel)} judges of {CONTEST_2024}, {panel[0]} to {panel[-1]}, "
                f"share the password {PASSWORD}."
            )
        self.public_pages(contest_2024)

    def work_of(self, username: str) -> str:
        """What a login has waiting in an open round, said on its line ("" if nothing)."""
        waiting = Assignment.objects.filter(
            judge__username=username,
            state=Assignment.State.OPEN,
            round__state=Round.State.OPEN,
        ).select_related("round__contest")
        first = waiting.order_by("round__deadline").first()
        if first is None:
            return ""
        round_ = first.round
        return (
            f" — the judge login: round {round_.name} of {round_.contest.slug} is open, "
            f"{waiting.filter(round=round_).count()} reviews to do by "
            f"{timezone.localtime(round_.deadline):%Y-%m-%d %H:%M} at "
            f"{settings.LAUREL_PUBLIC_URL}{reverse('judging:judge_home')}"
        )

    def public_pages(self, contest: Contest) -> None:
        """The published results and the exhibition, for anyone (no login)."""
        contest.refresh_from_db()
        if awards_selectors.latest_publication(contest) is None:
            return
        phase = awards_selectors.exhibition_phase(contest)
        self.stdout.write(
            f"Public pages of {contest.slug} (no login): results {settings.LAUREL_PUBLIC_URL}"
            f"{reverse('awards:public_results', args=[contest.slug])} · exhibition "
            f"{settings.LAUREL_PUBLIC_URL}{reverse('awards:exhibition', args=[contest.slug])} "
            f"({contest.exhibition_opens_on} – {contest.exhibition_closes_on}: {phase})"
        )

    def dates_kept(self, contest: Contest) -> None:
        """``--today`` on a database that already holds the 2024 contest: it keeps its dates."""
        moved = self.timeline.on(demo_dates.EXHIBITION_OPENS)
        if contest.exhibition_opens_on != moved:
            self.stderr.write(
                f"{contest.slug} is already loaded, its exhibition {contest.exhibition_opens_on} "
                f"– {contest.exhibition_closes_on}; it keeps those dates (its published results "
                "cannot change). --today applies when the contest is first loaded: load the demo "
                "into an empty database to move it (its exhibition would open on "
                f"{moved})."
            )

    def load_units(self) -> dict[str, Unit]:
        units = {unit.code: unit for unit in Unit.objects.all()}
        rows = [
            (*demo_world.FEDERATION[:3], None, ""),
            *((code, name, kind, "cq", "") for code, name, kind, _area in demo_world.DISTRICTS),
            *(
                (code, name, kind, "cq", industry)
                for code, name, kind, industry in demo_world.INDUSTRY_UNIONS
            ),
            *demo_world.grassroots_units(),
        ]
        for code, name, kind, parent, industry in rows:  # parents always come first
            if code not in units:
                units[code] = unit_create(
                    acting_user=None,
                    name=name,
                    code=code,
                    kind=kind,
                    parent=units[parent] if parent else None,
                    industry=industry,
                )
        return units

    def load_members(self, units: dict[str, Unit], count: int) -> None:
        people = demo_world.members(demo_world.grassroots_units(), count)
        headers = {column.key: column.aliases[0] for column in MEMBER_COLUMNS}
        table = Table(header_row_number=1, columns=headers)
        for number, person in enumerate(people, start=2):
            values = {key: person[key] for key in headers if key != "unit"}
            values["unit"] = person["unit_code"]
            table.records.append(Record(row_number=number, values=values))
        plan = member_import_plan(access=SYSTEM_ACCESS, table=table)
        member_import_apply(acting_user=None, plan=plan, filename="demo")

    def load_logins(self, units: dict[str, Unit]) -> None:
        for username, name, mobile, role, unit_code in LOGINS:
            user = User.objects.filter(username=username).first()
            if user is None:
                user = user_create(
                    acting_user=None,
                    username=username,
                    password=PASSWORD,
                    display_name=name,
                    mobile=mobile,
                )
            role_grant(
                acting_user=None,
                user=user,
                role=role,
                unit=units[unit_code] if unit_code else None,
            )
        role_grant(
            acting_user=None, user=User.objects.get(username="admin"), role=Role.PERSONAL_DATA
        )
        member = Member.objects.filter(id_card=MEMBER_LOGIN_ID_CARD).first()
        if member is None:
            member = member_create(
                acting_user=None,
                name="万承尧",
                id_card=MEMBER_LOGIN_ID_CARD,
                unit=units["cq/yongchuan/factory3"],
                mobile="13800000004",
                job_title="车间主任",
            )
        if member.user_id is None:
            member_user_link(
                acting_user=None, member=member, user=User.objects.get(username="member")
            )

    def load_teams(self, units: dict[str, Unit]) -> None:
        for code, name in (("cq/yongchuan/factory3", "第三机械厂技能代表队"),):
            unit = units[code]
            if unit.teams.filter(name=name).exists():
                continue
            people = list(Member.objects.filter(unit=unit).order_by("pk")[:5])
            team_create(acting_user=None, unit=unit, name=name, leader=people[0], members=people)

    def load_open_contest(self, admin: User) -> None:
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

    def load_judging_now(self, admin: User) -> None:
        """A small contest being judged now, so that the judge login can score at once:
        ``JUDGING_ENTRIES`` entries sent over the last four weeks, its round (four criteria,
        three judges an entry) opened two days ago (``demo_dates.judging_now``) with the
        judge login and ``JUDGING_PANEL`` seated. The panel's simulated judges have done
        their reviews since; the judge login's wait. Made once, the round all or nothing."""
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
            told = self.told_since()
            planned = demo_photos.small_contest_entries(JUDGING_ENTRIES, days.opens, days.closes)
            sent = self.enter_photos(admin, contest, planned)
            contest = contest_transition(
                acting_user=admin, contest=contest, to=Contest.State.CLOSED
            )
            contest_update(
                acting_user=admin,
                contest=contest,
                opens_at=aware(days.opens),
                closes_at=aware(days.closes),
            )
            Contest.objects.filter(pk=contest.pk).update(created_at=aware(days.created))
            self.entries_date(contest, [aware(at) for at in sent], told)
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
            panel = {
                self.load_judge(people[name], units).pk: people[name] for name in JUDGING_PANEL
            }
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
            self.panel_seat(
                admin,
                round_,
                panel.values(),
                {u.username: u for u in User.objects.filter(pk__in=panel)},
                units,
            )
            judging.assignment_solve(acting_user=admin, round=round_)
            told = self.told_since()
            judging.round_open(acting_user=admin, round=round_)
            self.told_at(told, aware(days.round_opens))
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

    def load_contest_2024(self, admin: User, photo_count: int) -> None:
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
            exhibition_opens_on=self.timeline.on(demo_dates.EXHIBITION_OPENS),
            exhibition_closes_on=self.timeline.on(demo_dates.EXHIBITION_CLOSES),
            exhibition_venue="市劳动人民文化宫中心广场",
            categories=demo_photos.CATEGORIES,
            prize_tiers=PRIZE_TIERS,
        )
        contest = contest_transition(acting_user=admin, contest=contest, to=Contest.State.OPEN)
        told = self.told_since()
        planned = demo_photos.contest_entries(photo_count) if photo_count > 0 else []
        sent = self.enter_photos(admin, contest, planned)
        contest = contest_transition(acting_user=admin, contest=contest, to=Contest.State.CLOSED)
        contest_update(
            acting_user=admin,
            contest=contest,
            opens_at=self.moment(demo_dates.ENTRIES_OPEN),
            closes_at=self.moment(demo_dates.ENTRIES_CLOSE),
        )
        Contest.objects.filter(pk=contest.pk).update(
            created_at=self.moment(demo_dates.CONTEST_CREATED)
        )
        self.entries_date(contest, [self.moment(at) for at in sent], told)

    def entries_date(self, contest: Contest, submitted: list[datetime.datetime], told) -> None:
        """The one write behind the services for entering: an entry's times are taken from
        the clock when it is made (auto_now_add, its declarations, its photos' upload and
        processing, screening's flags, the entrant's notice), and no service back-dates
        them. Without this the 2024 entries would read as submitted today, after their
        contest closed; the audit log keeps the true times. ``submitted``: the entries'
        times in the order they were submitted, which is their numbers' order."""
        entries = list(contest.entries.order_by("number"))
        when = {entry.pk: at for entry, at in zip(entries, submitted, strict=False)}
        entries = [entry for entry in entries if entry.pk in when]
        for entry in entries:
            at = when[entry.pk]
            entry.created_at, entry.updated_at = at, at + PROCESSING
            declared = at.astimezone(datetime.UTC).isoformat()
            entry.declarations = {
                code: {**given, "at": declared} for code, given in entry.declarations.items()
            }
        Entry.objects.bulk_update(
            entries, ["created_at", "updated_at", "declarations"], batch_size=500
        )
        assets = []
        for photo in EntryPhoto.objects.filter(entry__in=entries).select_related("asset"):
            asset, at = photo.asset, when[photo.entry_id]
            asset.created_at = at
            if asset.processing_started_at is not None:
                asset.processing_started_at = at + PROCESSING / 4
            if asset.processed_at is not None:
                asset.processed_at = at + PROCESSING
            assets.append(asset)
        MediaAsset.objects.bulk_update(
            assets, ["created_at", "processing_started_at", "processed_at"], batch_size=500
        )
        flags = list(Flag.objects.filter(entry__in=entries))
        for flag in flags:
            flag.created_at = when[flag.entry_id] + PROCESSING
        Flag.objects.bulk_update(flags, ["created_at"], batch_size=500)
        links = {
            reverse("contests:my_entry", args=[pk]): at + PROCESSING for pk, at in when.items()
        }
        notices = list(Notification.objects.filter(pk__gt=told[0], link__in=links))
        for notice in notices:
            notice.created_at = links[notice.link]
        Notification.objects.bulk_update(notices, ["created_at"], batch_size=500)

    def told_since(self) -> tuple[int, int]:
        """Where the inbox and the outgoing messages stand: what is told after, ``told_at``
        dates."""
        return (
            Notification.objects.aggregate(last=Max("pk"))["last"] or 0,
            OutgoingMessage.objects.aggregate(last=Max("pk"))["last"] or 0,
        )

    def told_at(self, since: tuple[int, int], moment: datetime.datetime) -> None:
        """Every notification and message since ``since`` (``told_since``), told at
        ``moment`` of the story: the services take the clock's time."""
        Notification.objects.filter(pk__gt=since[0]).update(created_at=moment)
        messages = OutgoingMessage.objects.filter(pk__gt=since[1])
        messages.update(created_at=moment)
        messages.exclude(sent_at=None).update(sent_at=moment)

    def enter_photos(
        self, admin: User, contest: Contest, planned: list[demo_photos.DemoEntry]
    ) -> list:
        """The entries, submitted, processed on every core and screened by
        ``contests.ingest`` (the unit admins' batch upload, here as the federation); the
        planned times of those that were submitted, in order."""
        wan = Member.objects.get(id_card=MEMBER_LOGIN_ID_CARD)
        others = list(Member.objects.exclude(pk=wan.pk).order_by("id_card"))
        random.Random(2024).shuffle(others)  # noqa: S311 - demo data, not security
        authors = [wan, *others]  # 万承尧 has the bulletin's photo, 《人勤春早》
        categories = {category.name: category for category in contest.categories.all()}

        if not planned:
            return []
        photos = [photo for entry in planned for photo in entry.photos]
        baker = PhotoBaker(photos)
        files = iter(
            [
                SourceFile(photo.name, baker.reader(index), None)
                for index, photo in enumerate(photos)
            ]
        )
        plans = [
            EntryPlan(
                files=[next(files) for _photo in entry.photos],
                author=authors[entry.author % len(authors)],
                category=categories[entry.category],
                title=entry.title,
                description=entry.description,
                place=entry.place,
                declarations=Declaration.values,
            )
            for entry in planned
        ]
        with tqdm(
            total=0, unit="steps", file=sys.stderr, disable=not sys.stderr.isatty(), leave=False
        ) as bar:

            def progress(done: int, total: int) -> None:
                bar.total = total
                bar.update(done - bar.n)

            with baker:
                outcomes = entries_submit_batch(
                    acting_user=admin, contest=contest, plans=plans, progress=progress
                )
        for outcome in outcomes:
            if outcome.status == "refused":
                self.stderr.write(f"{outcome.file}: {outcome.reason}")
        return [
            entry.submitted_at
            for entry, outcome in zip(planned, outcomes, strict=True)
            if outcome.entry_id is not None
        ]

    def load_judging(self, admin: User, contest: Contest) -> None:
        """The 2024 contest judged through the judging services, as its judges would have:
        初评 (pass / fail, two judges an entry and a third where they disagree), then 复评
        (four criteria, three judges an entry), both closed. All or nothing: a run stopped
        half-way leaves no round, and the next run judges again."""
        people = demo_judging.judges()
        units = {
            unit.code: unit
            for unit in Unit.objects.filter(code__in=demo_judging.JUDGE_UNITS.values())
        }
        with transaction.atomic():
            users = {person.username: self.load_judge(person, units) for person in people}
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
                deadline=self.moment(demo_judging.QUALIFY_DEADLINE),
                per_entry=2,
            )
            self.panel_seat(admin, first, people, users, units)

            def verdict(assignment: Assignment) -> dict:
                entry = assignment.entry_id
                judge = habits[assignment.judge_id]
                return {"verdict": demo_judging.verdict(judge, numbers[entry], quality[entry])}

            self.round_judge(admin, first, verdict, self.moment(demo_judging.QUALIFY_OPENS))

            second = None
            if first.results.filter(advanced=True).exists():
                second = judging.round_create(
                    acting_user=admin,
                    contest=contest,
                    name=demo_judging.SCORE_ROUND,
                    mode=Round.Mode.SCORE,
                    deadline=self.moment(demo_judging.SCORE_DEADLINE),
                    per_entry=3,
                    entrants=Round.Entrants.PASSED,
                    previous=first,
                    advance=sum(count for _name, count in PRIZE_TIERS),  # 200 are shown
                    criteria=demo_judging.CRITERIA,
                )
                scoring = [person for person in people if person.scores]
                self.panel_seat(admin, second, scoring, users, units)
                criteria = {c.name: str(c.pk) for c in second.criteria.all()}

                def scores(assignment: Assignment) -> dict:
                    entry = assignment.entry_id
                    judge = habits[assignment.judge_id]
                    given = demo_judging.criteria_scores(judge, numbers[entry], quality[entry])
                    return {"scores": {criteria[name]: score for name, score in given.items()}}

                self.round_judge(admin, second, scores, self.moment(demo_judging.SCORE_OPENS))
            self.judging_backdate(first, second, habits)

    def load_judge(self, person: demo_judging.DemoJudge, units: dict[str, Unit]) -> User:
        user = User.objects.filter(username=person.username).first()
        if user is None:
            user = user_create(
                acting_user=None,
                username=person.username,
                password=PASSWORD,
                display_name=person.name,
            )
        role_grant(
            acting_user=None,
            user=user,
            role=Role.JUDGE,
            unit=units[person.unit] if person.unit else None,
        )
        return user

    def panel_seat(self, admin: User, round_: Round, people, users, units) -> None:
        for person in people:
            judging.seat_add(
                acting_user=admin,
                round=round_,
                judge=users[person.username],
                unit=units[person.unit] if person.unit else None,
            )

    def round_judge(self, admin: User, round_: Round, review, opened: datetime.datetime) -> None:
        """Assign, open (the judges told at ``opened``), have every judge review their
        work (tie-breaks made on the way included), close. Each judge's sitting is one
        transaction: review_save writes and audits one review a call."""
        judging.assignment_solve(acting_user=admin, round=round_)
        told = self.told_since()
        judging.round_open(acting_user=admin, round=round_)
        self.told_at(told, opened)
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

    def judging_backdate(self, first: Round, second: Round | None, habits: dict) -> None:
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
            round_.opened_at, _deadline, round_.closed_at = map(self.moment, dates[round_.pk])
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
                assignment.created_at = self.moment(opens)
                assignment.reviewed_at = self.moment(moment)
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
                    self.moment(demo_judging.QUALIFY_DEADLINE),
                )
                third.reviewed_at = max(third.reviewed_at, later)
        Assignment.objects.bulk_update(done, ["created_at", "reviewed_at"], batch_size=500)

    def load_results(self, admin: User, contest: Contest) -> None:
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
            kept_told = self.told_since()
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
            self.told_at(kept_told, kept_at)
            if not awards.awards_propose(acting_user=admin, contest=contest):
                return
            Award.objects.filter(contest=contest).update(
                set_at=self.moment(demo_dates.AWARDS_PROPOSED)
            )
            told = self.told_since()
            publication = awards.results_publish(
                acting_user=admin,
                contest=contest,
                published_at=self.moment(demo_dates.RESULTS_PUBLISHED),
            )
            self.told_at(told, publication.published_at)

    def moment(self, local: datetime.datetime) -> datetime.datetime:
        """A local time of the 2024 story, moved as this run's timeline says, made aware."""
        return aware(self.timeline.at(local))


class PhotoBaker:
    """The demo's JPEGs, made on other threads a few ahead of when they are read (in the
    plans' order), so that drawing them overlaps storing the ones before."""

    def __init__(self, photos: list[demo_photos.DemoPhoto], ahead: int = 8):
        self.photos, self.ahead = photos, ahead
        self.pool = ThreadPoolExecutor(max_workers=os.cpu_count() or 2)
        self.baking: dict[int, Future] = {}
        self.next = 0

    def reader(self, index: int):
        return lambda: iter([self.bake(index)])

    def bake(self, index: int) -> bytes:
        while self.next < len(self.photos) and self.next <= index + self.ahead:
            photo = self.photos[self.next]
            self.baking[self.next] = self.pool.submit(demo_photos.photo_jpeg, photo)
            self.next += 1
        return self.baking.pop(index).result()

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.pool.shutdown(cancel_futures=True)
