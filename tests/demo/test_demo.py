"""``laurel demo`` loads the scenario, can run twice, and its printed logins work;
``laurel demo --today`` moves the 2024 contest's story so that its exhibition is open."""

import datetime
import io

from django.conf import settings
from django.core.management import call_command
from django.db import models
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from laurel.accounts.models import User
from laurel.awards.models import Award, AwardChange, Certificate, Publication
from laurel.awards.selectors import Phase, exhibition_phase
from laurel.contests.models import Contest, Entry, EntryFile, Flag
from laurel.core.identity import id_card_normalise
from laurel.demo import carnival as demo_carnival
from laurel.demo import dates as demo_dates
from laurel.demo import judges as demo_judging
from laurel.demo import photos as demo_photos
from laurel.demo.loaders import photo_contest
from laurel.judging.models import Assignment, Round
from laurel.judging.policy import workspace_link
from laurel.media.models import MediaAsset
from laurel.members.models import Member
from laurel.notifications.models import Notification, OutgoingMessage
from laurel.orgs.models import Unit


def test_demo_loads_idempotently_and_its_logins_work(db, capsys):
    call_command("demo", "--photos", "12")  # the contest's part: tests/demo/test_demo_contest
    members_after_first_run = list(Member.objects.order_by("pk").values())
    call_command("demo", "--photos", "12")
    printed = capsys.readouterr().out
    assert list(Member.objects.order_by("pk").values()) == members_after_first_run
    assert Unit.objects.filter(code="cq").count() == 1
    assert Unit.objects.get(code="cq/yongchuan/factory3").path.count("/") == 3
    logins = [line.split() for line in printed.splitlines() if line.startswith("  ")]
    judges = {f"judge{n:02d}" for n in range(1, 25)}  # the contest's panel: one line for all
    assert "judge01" in printed
    assert "judge24" in printed
    assert {login[0] for login in logins} == set(
        User.objects.values_list("username", flat=True)
    ) - judges
    for username, password, *_rest in logins:
        client = Client()
        client.post("/accounts/login/", {"username": username, "password": password})
        assert "_auth_user_id" in client.session, username
    admin = User.objects.get(username="admin")
    assert admin.access.is_federation_admin
    assert admin.access.personal_data_everywhere


def test_the_judge_login_finds_a_round_open_with_its_reviews_waiting(db, capsys):
    call_command("demo", "--members", "300", "--photos", "0")
    contest = Contest.objects.get(slug="craftsmen")
    assert contest.state == Contest.State.JUDGING
    [round_] = contest.rounds.all()
    now = timezone.now()
    assert round_.state == Round.State.OPEN
    assert round_.opened_at < now < round_.deadline
    judge = User.objects.get(username="judge")
    mine = Assignment.objects.filter(round=round_, judge=judge)
    assert mine.count() >= 5
    assert set(mine.values_list("state", flat=True)) == {Assignment.State.OPEN}
    panel = Assignment.objects.filter(round=round_).exclude(judge=judge)
    assert panel.values("judge").distinct().count() == 5  # simulated judges, done already
    assert set(panel.values_list("state", flat=True)) == {Assignment.State.DONE}
    assert contest.entries.count() == 16

    # the printed login says which is the judge and that a round is open, with the count
    [line] = [line for line in capsys.readouterr().out.splitlines() if line.startswith("  judge ")]
    assert f"round {round_.name} of craftsmen is open, {mine.count()} reviews to do" in line
    assert f"{settings.LAUREL_PUBLIC_URL}/judge/" in line

    client = Client()
    client.post("/accounts/login/", {"username": "judge", "password": line.split()[1]})
    assert client.get(reverse("judging:judge_review", args=[mine.first().pk])).status_code == 200

    work = list(Assignment.objects.filter(round=round_).order_by("pk").values())
    call_command("demo", "--members", "300", "--photos", "0")  # a second run adds nothing
    assert list(Assignment.objects.filter(round=round_).order_by("pk").values()) == work
    assert contest.rounds.count() == 1


# every model whose times the demo's stories set (the people and the audit log are today's)
STORY_MODELS = [
    Contest, Entry, Flag, MediaAsset, Round, Assignment, Award, AwardChange, Publication,
    Certificate, Notification, OutgoingMessage,
]  # fmt: skip


def test_the_demos_times_follow_its_stories_not_the_day_it_was_loaded(db):
    started = timezone.now()
    call_command("demo", "--members", "300", "--photos", "12")
    loaded = timezone.now()

    # no time the services took from the clock is left: nothing happened while loading
    for model in STORY_MODELS:
        for field in model._meta.concrete_fields:
            if isinstance(field, models.DateTimeField):
                stamped = model.objects.filter(**{f"{field.name}__range": (started, loaded)})
                assert not stamped.exists(), f"{model.__name__}.{field.name}"

    for slug in ("photo-2024", "craftsmen"):
        contest = Contest.objects.get(slug=slug)
        window = (contest.opens_at, contest.closes_at)
        assert contest.created_at < contest.opens_at
        entries = {entry.pk: entry for entry in contest.entries.all()}
        assert entries
        for entry in entries.values():
            assert window[0] <= entry.created_at <= entry.updated_at < window[1]
            declared = {
                datetime.datetime.fromisoformat(d["at"]) for d in entry.declarations.values()
            }
            assert declared == {entry.created_at}, entry
        for photo in EntryFile.objects.filter(entry__contest=contest).select_related("asset"):
            created, asset = entries[photo.entry_id].created_at, photo.asset
            assert asset.created_at == created
            assert created < asset.processing_started_at < asset.processed_at < window[1]
        for flag in Flag.objects.filter(entry__contest=contest):
            assert entries[flag.entry_id].created_at < flag.created_at < window[1]
        # an entrant is told when their entry is accepted, and of a prize when published
        published = {p.published_at for p in Publication.objects.filter(contest=contest)}
        told = {reverse("contests:my_entry", args=[pk]): e for pk, e in entries.items()}
        for notice in Notification.objects.filter(link__in=told):
            accepted = told[notice.link].created_at < notice.created_at < window[1]
            assert accepted or notice.created_at in published, notice
        for round_ in contest.rounds.all():
            assert window[1] < round_.opened_at < round_.deadline
            for notice in Notification.objects.filter(link=workspace_link(round_)):
                assert notice.created_at == round_.opened_at
            for assignment in Assignment.objects.filter(round=round_):
                assert round_.opened_at <= assignment.created_at
                if assignment.state == Assignment.State.DONE:
                    assert assignment.created_at <= assignment.reviewed_at
                    assert assignment.reviewed_at <= min(round_.deadline, started)


def test_demo_is_the_bulletins_world(db):
    call_command("demo", "--members", "600", "--photos", "0")
    federation = Unit.objects.get(code="cq", parent=None)
    districts = Unit.objects.filter(parent=federation, kind__in=["district", "zone"])
    assert districts.count() == 38
    assert {"云阳县总工会", "奉节县总工会", "永川区总工会", "万盛经开区总工会"} <= set(
        districts.values_list("name", flat=True)
    )
    assert Unit.objects.filter(kind="grassroots").count() >= 300
    # and the member login's own record, and the carnival's people of 云阳县
    assert Member.objects.count() == 601 + demo_carnival.PEOPLE
    for id_card in Member.objects.values_list("id_card", flat=True):
        assert id_card_normalise(id_card) == id_card
    login = User.objects.get(username="member")
    assert login.member.unit.code == "cq/yongchuan/factory3"


def test_demo_today_moves_the_2024_story_so_that_its_exhibition_is_open(db):
    call_command("demo", "--members", "300", "--photos", "24", "--today")

    contest = Contest.objects.get(slug="photo-2024")
    today = timezone.localdate()
    offset = today - datetime.timedelta(days=3) - datetime.date(2024, 5, 1)

    def moved(local: datetime.datetime) -> datetime.datetime:
        return timezone.make_aware(local + offset)

    assert (contest.exhibition_opens_on, contest.exhibition_closes_on) == (
        today - datetime.timedelta(days=3),
        datetime.date(2024, 5, 20) + offset,
    )
    assert contest.state == Contest.State.PUBLISHED
    assert exhibition_phase(contest) == Phase.OPEN
    # one offset for every stage, each still after the one before, all before now
    assert (contest.opens_at, contest.closes_at) == (
        moved(demo_photos.OPENS),
        moved(demo_photos.CLOSES),
    )
    entries = contest.entries.all()
    assert all(contest.opens_at <= entry.created_at < contest.closes_at for entry in entries)
    first, second = contest.rounds.order_by("position")
    assert (first.opened_at, first.deadline, first.closed_at) == (
        moved(demo_judging.QUALIFY_OPENS),
        moved(demo_judging.QUALIFY_DEADLINE),
        moved(demo_judging.QUALIFY_CLOSED),
    )
    assert (second.opened_at, second.deadline, second.closed_at) == (
        moved(demo_judging.SCORE_OPENS),
        moved(demo_judging.SCORE_DEADLINE),
        moved(demo_judging.SCORE_CLOSED),
    )
    for round_ in (first, second):
        for reviewed in Assignment.objects.filter(round=round_).values_list(
            "reviewed_at", flat=True
        ):
            assert round_.opened_at <= reviewed <= round_.deadline
    [publication] = Publication.objects.filter(contest=contest)
    evening = datetime.datetime(2024, 4, 30, 21)  # noqa: DTZ001 - local: moved() makes it aware
    assert publication.published_at == moved(evening)
    assert second.closed_at < publication.published_at < timezone.now()
    assert Award.objects.filter(contest=contest).count() == min(
        200, second.results.filter(rank__isnull=False).count()
    )
    issued = set(Certificate.objects.filter(contest=contest).values_list("issued_on", flat=True))
    assert issued == {datetime.date(2024, 4, 30) + offset}
    # the photos keep their EXIF dates, and so the contest its date-taken window: screening
    # finds what it finds without --today, and nothing taken "outside the window"
    assert (contest.photo_rules.taken_from, contest.photo_rules.taken_until) == (
        datetime.date(2023, 5, 1),
        datetime.date(2024, 4, 25),
    )
    assert not Flag.objects.filter(entry__contest=contest, kind=Flag.Kind.DATE_OUTSIDE).exists()

    out = io.StringIO()  # published at the moved time: the digest holds
    call_command("contest", "verify", "photo-2024", stdout=out)
    assert out.getvalue() == f"ok {publication.digest}\n"


def test_the_demo_timeline_is_in_order_and_moves_by_whole_days():
    assert sorted(demo_dates.STAGES) == demo_dates.STAGES
    assert demo_dates.timeline() == demo_dates.Timeline(datetime.timedelta(0))
    for today in (
        datetime.date(2024, 5, 4),
        datetime.date(2026, 11, 24),
        datetime.date(2031, 2, 1),
    ):
        timeline = demo_dates.timeline(today)
        assert timeline.offset.seconds == timeline.offset.microseconds == 0
        assert timeline.on(demo_dates.EXHIBITION_OPENS) == today - datetime.timedelta(days=3)
        published = timeline.at(demo_dates.RESULTS_PUBLISHED)
        assert published.date() < today
        assert published.time() == demo_dates.RESULTS_PUBLISHED.time()
        assert demo_dates.timeline_of(timeline.on(demo_dates.EXHIBITION_OPENS)) == timeline
    assert demo_dates.timeline(datetime.date(2024, 5, 4)).offset == datetime.timedelta(0)


def test_what_is_left_to_load_follows_the_dates_the_contest_was_loaded_with(db, monkeypatch):
    """A run stopped before publishing (here: publishing left out), then run again with
    --today: the contest keeps its 2024 dates, and so do the results published now."""
    monkeypatch.setattr(photo_contest, "results_load", lambda admin, contest, timeline: None)
    call_command("demo", "--members", "300", "--photos", "12")
    contest = Contest.objects.get(slug="photo-2024")
    assert not Publication.objects.filter(contest=contest).exists()
    monkeypatch.undo()

    err = io.StringIO()
    call_command("demo", "--members", "300", "--photos", "12", "--today", stderr=err)

    contest.refresh_from_db()
    assert contest.exhibition_opens_on == datetime.date(2024, 5, 1)
    assert exhibition_phase(contest) == Phase.ARCHIVE
    [publication] = Publication.objects.filter(contest=contest)
    published = timezone.localtime(publication.published_at)
    assert (published.date(), published.hour) == (datetime.date(2024, 4, 30), 21)
    assert str(timezone.localdate() - datetime.timedelta(days=3)) in err.getvalue()


def test_the_contest_judged_now_is_in_order_around_today():
    for today in (datetime.date(2026, 1, 1), datetime.date(2026, 12, 4), datetime.date(2031, 3, 1)):
        days = demo_dates.judging_now(today)
        start_of_today = datetime.datetime.combine(today, datetime.time())
        assert days.created < days.opens < days.closes < days.round_opens < start_of_today
        assert start_of_today + datetime.timedelta(days=1) < days.deadline
        # the simulated reviews, from the round's opening to an hour before any time today
        times = demo_judging.review_times(
            days.round_opens, start_of_today - datetime.timedelta(hours=1), 8, "judge01"
        )
        assert days.round_opens <= times[0] <= times[-1] <= start_of_today
