"""A round without a deadline (a live round ends when its last entry is confirmed): it opens
and tells its judges so, nobody is ever behind its pace, it sorts after the rounds that have
one, and the pages that show a deadline say it has none."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from laurel.accounts.policy import access_for
from laurel.judging import selectors, services
from laurel.judging.models import Round
from laurel.notifications.models import Notification
from tests.conftest import english_client


@pytest.fixture
def organiser(users):
    return users["federation_admin"]


def opened(contest, organiser, judge, *, name: str, deadline) -> Round:
    round_ = services.round_create(
        acting_user=organiser,
        contest=contest,
        name=name,
        mode="score",
        deadline=deadline,
        per_entry=1,
        criteria=[("主题", 1, 1, 10)],
    )
    services.seat_add(acting_user=organiser, round=round_, judge=judge)
    services.assignment_solve(acting_user=organiser, round=round_)
    with translation.override("en"):
        return services.round_open(acting_user=organiser, round=round_)


@pytest.fixture
def live(closed_contest, organiser, users):
    return opened(closed_contest, organiser, users["judge"], name="现场决赛", deadline=None)


def test_opening_it_tells_the_judges_it_ends_with_the_round(live, users):
    (told,) = Notification.objects.filter(recipient=users["judge"])
    assert told.title == "现场决赛: 12 entries to review by the end of the round"


def test_nobody_is_behind_the_pace_of_a_round_without_a_deadline(live):
    a_year_on = timezone.now() + datetime.timedelta(days=365)
    assert selectors.window_gone(Round.objects.get(pk=live.pk), a_year_on) == 0.0
    assert services.reminders_preview(live) == []


def test_it_sorts_after_the_rounds_with_a_deadline(live, closed_contest, organiser, users):
    dated = opened(
        closed_contest,
        organiser,
        users["judge"],
        name="网评",
        deadline=timezone.now() + datetime.timedelta(days=2),
    )
    paces = selectors.open_rounds_pace(access_for(organiser))
    assert [pace.round.pk for pace in paces] == [dated.pk, live.pk]
    mine = selectors.judge_rounds_progress(access_for(users["judge"]))
    assert [round_.pk for round_, _ in mine] == [dated.pk, live.pk]


def test_the_pages_say_it_has_no_deadline(live, closed_contest, organiser, users):
    judge = english_client()
    judge.force_login(users["judge"])
    for url in (reverse("judging:judge_home"), reverse("web:home")):
        page = judge.get(url).content.decode()
        assert "No deadline: it ends when the last entry is confirmed" in page, url
    console = english_client()
    console.force_login(organiser)
    for url in (
        reverse("judging:round_list", args=[closed_contest.slug]),
        reverse("judging:round_detail", args=[live.pk]),
    ):
        page = console.get(url).content.decode()
        assert "none: ends when the last entry is confirmed" in page, url
    page = console.get(reverse("web:home")).content.decode()
    assert "No deadline: it ends when the last entry is confirmed" in page
