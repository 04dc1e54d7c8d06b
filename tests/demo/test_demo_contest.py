"""``laurel demo`` loads the bulletin's photo contest, closed with screened entries, and a
contest open now that the member login can enter."""

import datetime
from collections import Counter

from django.core.management import call_command
from django.utils import timezone

from laurel.accounts.models import User
from laurel.contests.models import Contest, Entry, Flag
from laurel.contests.services import entry_submit
from laurel.demo.photos import CATEGORIES
from tests.contests.conftest import ALL_DECLARATIONS, photo_upload


def test_the_demo_has_the_2024_contest_judged_with_screened_entries_and_one_open_now(
    db, django_capture_on_commit_callbacks
):
    call_command("demo", "--members", "300", "--photos", "24")

    contest = Contest.objects.get(slug="photo-2024")
    assert contest.state == Contest.State.PUBLISHED  # tests/demo/test_demo_rounds
    opens, closes = timezone.localtime(contest.opens_at), timezone.localtime(contest.closes_at)
    assert (opens.year, closes.year) == (2024, 2024)
    assert opens.month in (3, 4, 5)
    assert (contest.exhibition_opens_on, contest.exhibition_closes_on) == (
        datetime.date(2024, 5, 1),
        datetime.date(2024, 5, 20),
    )
    assert "文化宫" in contest.exhibition_venue
    assert contest.photo_rules.min_long_edge == 1200
    assert (contest.members_submit, contest.units_submit) == (True, True)
    assert [c.name for c in contest.categories.all()] == CATEGORIES
    assert [(t.name, t.count) for t in contest.prize_tiers.all()] == [
        ("一等奖", 5),
        ("二等奖", 15),
        ("三等奖", 30),
        ("优秀奖", 150),
    ]

    entries = Entry.objects.filter(contest=contest)
    assert entries.count() >= 15
    assert set(entries.values_list("state", flat=True)) <= {
        Entry.State.ACCEPTED,  # did not pass the qualifying round
        Entry.State.QUALIFIED,  # passed it, no prize
        Entry.State.AWARDED,  # a prize (a small demo: every entry 复评 ranks)
    }
    assert entries.filter(state=Entry.State.ACCEPTED).exists()
    assert entries.filter(state=Entry.State.AWARDED).exists()
    assert set(entries.values_list("category__name", flat=True)) == set(CATEGORIES)
    assert entries.filter(kind=Entry.Kind.SERIES).exists()
    assert entries.values("unit").distinct().count() >= 10  # members of many units
    for entry in entries:  # submitted inside the window the contest now shows
        assert contest.opens_at <= entry.created_at < contest.closes_at
    flags = Counter(Flag.objects.filter(entry__contest=contest).values_list("kind", flat=True))
    assert flags[Flag.Kind.DUPLICATE] >= 1  # the later of a photo and its copy
    assert 2 <= flags[Flag.Kind.DATE_MISSING] <= 3
    assert flags[Flag.Kind.BELOW_SIZE] == 2
    assert entries.filter(title="人勤春早", author__name="万承尧").exists()

    open_now = Contest.objects.get(slug="photo-2026-autumn")
    assert open_now.accepts_entries()
    assert [c.name for c in open_now.categories.all()] == CATEGORIES
    member = User.objects.get(username="member")
    with django_capture_on_commit_callbacks(execute=True):
        tried = entry_submit(
            acting_user=member,
            contest=open_now,
            author=member.member,
            category=open_now.categories.first(),
            title="试一试",
            uploads=[photo_upload(1, size=(1600, 1200))],
            declarations=ALL_DECLARATIONS,
        )
    tried.refresh_from_db()
    assert tried.state == Entry.State.ACCEPTED, tried.refusal_reason

    count = entries.count()
    call_command("demo", "--members", "300", "--photos", "24")  # a second run adds nothing
    assert Entry.objects.filter(contest=contest).count() == count
    assert Contest.objects.filter(slug__startswith="photo-").count() == 2
