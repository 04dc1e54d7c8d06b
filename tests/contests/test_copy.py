"""Copying a contest: last year's rules as a new draft, its dates a year on; nothing of what
happened in it (entries, flags, rounds, results)."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from laurel.audit.models import LogEntry
from laurel.contests.models import Contest, Flag
from laurel.contests.services import (
    contest_copy,
    contest_settings,
    contest_transition,
    contest_update,
)
from laurel.judging.models import Round
from laurel.judging.services import round_create
from tests.conftest import make_member
from tests.contests.test_console import submit

SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def last_year(contest_factory, users, world):
    """The 2025 contest, judged: set up with every rule, one entry, one flag and a round."""
    organiser = users["federation_admin"]
    contest = contest_factory(
        "photo-2025",
        title="2025年职工摄影展",
        opens_at=datetime.datetime(2025, 3, 1, 9, 0, tzinfo=SHANGHAI),
        closes_at=datetime.datetime(2025, 5, 31, 18, 0, tzinfo=SHANGHAI),
        state="draft",
        max_entries_per_member=3,
        allow_series=False,
        min_long_edge=3000,
        taken_from=datetime.date(2024, 2, 29),
        taken_until=datetime.date(2025, 5, 31),
        formats=["jpeg", "png"],
        members_submit=False,
        exhibition_opens_on=datetime.date(2025, 9, 1),
        exhibition_closes_on=datetime.date(2025, 9, 30),
        exhibition_venue="市工人文化宫",
        prizes_per_author=1,
        certificate_issuer="市总工会宣传部",
        description="记录劳动者。",
        co_organisers="市摄影家协会",
    )
    contest_update(
        acting_user=organiser,
        contest=contest,
        quotas=[(world.district, 20), (world.other_grassroots, 8)],
    )
    # its entry window moved to now for one entry, then closed and judged
    now = timezone.now()
    Contest.objects.filter(pk=contest.pk).update(
        opens_at=now - datetime.timedelta(days=1), closes_at=now + datetime.timedelta(days=1)
    )
    contest = contest_transition(acting_user=organiser, contest=contest, to="open")
    entry = submit(users, contest, make_member(world.grassroots, 7), seed=7)
    Flag.objects.create(entry=entry, kind=Flag.Kind.DATE_MISSING)
    contest = contest_transition(acting_user=organiser, contest=contest, to="closed")
    round_create(
        acting_user=organiser,
        contest=contest,
        name="初评",
        mode="score",
        deadline=now + datetime.timedelta(days=3),
        criteria=[("主题", 100, 1, 10)],
    )
    Contest.objects.filter(pk=contest.pk).update(
        opens_at=datetime.datetime(2025, 3, 1, 9, 0, tzinfo=SHANGHAI),
        closes_at=datetime.datetime(2025, 5, 31, 18, 0, tzinfo=SHANGHAI),
    )
    contest.refresh_from_db()
    return contest


def test_a_copy_has_the_rules_and_none_of_what_happened(last_year, users, world):
    organiser = users["federation_admin"]

    copy = contest_copy(
        acting_user=organiser, source=last_year, slug="photo-2026", title="2026年职工摄影展"
    )

    assert (copy.slug, copy.title, copy.state) == ("photo-2026", "2026年职工摄影展", "draft")
    assert copy.created_by == organiser
    kept = (
        "description",
        "organiser",
        "co_organisers",
        "content",
        "max_entries_per_member",
        "allow_single",
        "allow_series",
        "series_min",
        "series_max",
        "min_long_edge",
        "formats",
        "members_submit",
        "units_submit",
        "exhibition_venue",
        "prizes_per_author",
        "certificate_issuer",
    )
    assert contest_settings(copy, kept) == contest_settings(last_year, kept)
    assert copy.certificate_issuer == "市总工会宣传部"  # not a default: the source's own
    assert list(copy.categories.values_list("name", flat=True)) == list(
        last_year.categories.values_list("name", flat=True)
    )
    assert list(copy.prize_tiers.values_list("name", "count", "position")) == [
        ("一等奖", 5, 0),
        ("二等奖", 15, 1),
        ("三等奖", 30, 2),
        ("优秀奖", 150, 3),
    ]
    assert sorted(copy.quotas.values_list("unit", "limit")) == sorted(
        [(world.district.pk, 20), (world.other_grassroots.pk, 8)]
    )
    # nothing of what happened
    assert not copy.entries.exists()
    assert not Flag.objects.filter(entry__contest=copy).exists()
    assert not Round.objects.filter(contest=copy).exists()
    # the source is untouched
    assert last_year.entries.count() == 1
    assert Round.objects.filter(contest=last_year).count() == 1


def test_the_copys_dates_move_on_by_a_year(last_year, users):
    copy = contest_copy(
        acting_user=users["federation_admin"], source=last_year, slug="p-2026", title="新"
    )

    assert timezone.localtime(copy.opens_at) == datetime.datetime(2026, 3, 1, 9, 0, tzinfo=SHANGHAI)
    assert timezone.localtime(copy.closes_at) == datetime.datetime(
        2026, 5, 31, 18, 0, tzinfo=SHANGHAI
    )
    assert copy.photo_rules.taken_from == datetime.date(2025, 2, 28)  # 29 February 2024 a year on
    assert copy.photo_rules.taken_until == datetime.date(2026, 5, 31)
    assert (copy.exhibition_opens_on, copy.exhibition_closes_on) == (
        datetime.date(2026, 9, 1),
        datetime.date(2026, 9, 30),
    )


def test_the_copys_dates_move_as_asked(last_year, users):
    opens = datetime.datetime(2025, 3, 5, 8, 0, tzinfo=SHANGHAI)
    copy = contest_copy(
        acting_user=users["federation_admin"],
        source=last_year,
        slug="p-2026",
        title="新",
        shift_days=10,
        opens_at=opens,
    )

    assert copy.opens_at == opens
    assert timezone.localtime(copy.closes_at) == datetime.datetime(
        2025, 6, 10, 18, 0, tzinfo=SHANGHAI
    )
    assert copy.exhibition_opens_on == datetime.date(2025, 9, 11)


def test_copying_is_audited(last_year, users):
    copy = contest_copy(
        acting_user=users["federation_admin"], source=last_year, slug="p-2026", title="新"
    )

    entry = LogEntry.objects.get(action="contests.contest.copied")
    assert entry.actor == users["federation_admin"]
    assert entry.object_id == str(copy.pk)
    assert entry.data == {"from": "photo-2025", "slug": "p-2026", "title": "新"}


def test_a_unit_admin_may_not_copy(contest_factory, users):
    draft = contest_factory("draft-2025", state="draft")
    opened = contest_factory("open-2025")
    for source in (draft, opened):
        with pytest.raises(ValidationError):
            contest_copy(acting_user=users["unit_admin"], source=source, slug="x", title="x")
    assert Contest.objects.count() == 2
    assert not LogEntry.objects.filter(action="contests.contest.copied").exists()


def test_a_copy_with_a_slug_in_use_is_refused_and_nothing_is_made(last_year, users):
    with pytest.raises(ValidationError) as refused:
        contest_copy(
            acting_user=users["federation_admin"], source=last_year, slug="photo-2025", title="x"
        )
    assert "slug" in refused.value.message_dict
    assert Contest.objects.count() == 1


# --- the console page ------------------------------------------------------------------------


def test_the_contest_page_links_to_copying_for_organisers_only(client_as, contest):
    url = reverse("contests:console_contest", args=[contest.slug])
    copy_url = reverse("contests:console_contest_copy", args=[contest.slug])

    assert (
        f'href="{copy_url}" id="contest-copy"'
        in client_as("federation_admin").get(url).content.decode()
    )
    assert copy_url not in client_as("unit_admin").get(url).content.decode()
    assert client_as("unit_admin").get(copy_url).status_code == 403
    assert client_as("unit_admin").post(copy_url, {"slug": "x", "title": "x"}).status_code == 403


def test_the_copy_form_is_filled_in_a_year_on_and_copies_into_the_new_contests_settings(
    client_as, last_year
):
    client = client_as("federation_admin")
    url = reverse("contests:console_contest_copy", args=[last_year.slug])

    page = client.get(url)
    form = page.context["form"]
    assert form["slug"].value() == "photo-2026"
    assert form["title"].value() == "2026年职工摄影展"
    assert 'name="opens_at" value="2026-03-01T09:00"' in page.content.decode()
    assert 'name="closes_at" value="2026-05-31T18:00"' in page.content.decode()

    response = client.post(
        url,
        {
            "slug": "photo-2026",
            "title": "2026年职工摄影展",
            "opens_at": "2026-03-02T10:00",
            "closes_at": "2026-06-01T18:00",
        },
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("contests:console_contest_edit", args=["photo-2026"])
    copy = Contest.objects.get(slug="photo-2026")
    assert copy.state == "draft"
    assert copy.opens_at == datetime.datetime(2026, 3, 2, 10, 0, tzinfo=SHANGHAI)
    assert copy.closes_at == datetime.datetime(2026, 6, 1, 18, 0, tzinfo=SHANGHAI)
    assert copy.prize_tiers.count() == 4


def test_a_copy_refused_by_the_service_shows_on_the_form(client_as, last_year):
    response = client_as("federation_admin").post(
        reverse("contests:console_contest_copy", args=[last_year.slug]),
        {
            "slug": last_year.slug,
            "title": "x",
            "opens_at": "2026-03-02T10:00",
            "closes_at": "2026-06-01T18:00",
        },
    )

    assert response.status_code == 200
    assert "slug" in response.context["form"].errors
    assert Contest.objects.count() == 1
