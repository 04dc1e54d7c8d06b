"""``laurel demo`` loads the scenario, can run twice, and its printed logins work;
``laurel demo --today`` moves the 2024 contest's story so that its exhibition is open."""

import datetime
import io

from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from laurel.accounts.models import User
from laurel.awards.models import Award, Certificate, Publication
from laurel.awards.selectors import Phase, exhibition_phase
from laurel.contests.models import Contest, Flag
from laurel.core.identity import id_card_normalise
from laurel.judging.models import Assignment
from laurel.members.models import Member
from laurel.orgs.models import Unit
from laurel.web import demo_dates, demo_judging, demo_photos
from laurel.web.management.commands.demo import Command as DemoCommand


def test_demo_loads_idempotently_and_its_logins_work(db, capsys):
    call_command("demo", "--photos", "12")  # the contest's part: tests/contests/test_demo_contest
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


def test_demo_is_the_bulletins_world(db):
    call_command("demo", "--members", "600", "--photos", "0")
    federation = Unit.objects.get(code="cq", parent=None)
    districts = Unit.objects.filter(parent=federation, kind__in=["district", "zone"])
    assert districts.count() == 38
    assert {"云阳县总工会", "奉节县总工会", "永川区总工会", "万盛经开区总工会"} <= set(
        districts.values_list("name", flat=True)
    )
    assert Unit.objects.filter(kind="grassroots").count() >= 300
    assert Member.objects.count() == 601  # and the member login's own record
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
    assert (contest.taken_from, contest.taken_until) == (
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
    monkeypatch.setattr(DemoCommand, "load_results", lambda self, admin, contest: None)
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
