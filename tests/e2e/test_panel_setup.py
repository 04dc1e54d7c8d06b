"""A browser journey through the organiser's side of a new contest year: last year's contest
copied, entries closed after a confirmation that counts the entrants, a panel of five judges
picked at once (their own units filled in for conflicts), the round opened after a
confirmation that says five judges will be told — and the five judges are told.

Like ``test_judging``: Debian's chromium against pytest-django's live server, every wait an
``expect``. The entries and the round are written between steps, while no request runs:
inside Playwright's sync API Django sees an event loop and refuses the ORM unless told
(``DJANGO_ALLOW_ASYNC_UNSAFE``) — safe here, as nothing runs concurrently in this thread.
"""

import datetime
import re

import pytest
from django.db import connections
from django.utils import timezone
from playwright.sync_api import expect, sync_playwright

from laurel.contests.models import Contest
from laurel.contests.services import Upload, contest_create, contest_transition, entry_submit
from laurel.core.assignment import units_conflict
from laurel.judging import services
from laurel.judging.models import Assignment, Round, Seat
from laurel.notifications.models import Notification
from tests.conftest import PASSWORD, make_member
from tests.e2e.test_journey import CHROMIUM_ARGS, log_in
from tests.helpers import jpeg, photo

LAST_YEAR = "labour-2025"


def last_years_contest(organiser) -> Contest:
    """Last year's contest, closed: its entry window a year ago, so a copy's is open now."""
    year_ago = timezone.now() - datetime.timedelta(days=365)
    contest = contest_create(
        acting_user=organiser,
        slug=LAST_YEAR,
        title="劳动之美摄影展 2025",
        organiser="市总工会",
        opens_at=year_ago - datetime.timedelta(days=2),
        closes_at=year_ago + datetime.timedelta(days=5),
        categories=["自然风光"],
        min_long_edge=800,
    )
    contest = contest_transition(acting_user=organiser, contest=contest, to="open")
    return contest_transition(acting_user=organiser, contest=contest, to="closed")


def entries_send(contest: Contest, organiser, units) -> None:
    """Six entries, three from each district, sent by the organiser for their members."""
    for n in range(6):
        entry_submit(
            acting_user=organiser,
            contest=contest,
            author=make_member(units[n % 2], 600 + n, name=f"作者{n}"),
            category=contest.categories.get(),
            title=f"作品{n}",
            uploads=[Upload(f"p{n}.jpg", [jpeg(photo(600 + n, (1000, 750)))])],
            declarations=["original", "portrait", "copyright", "publication"],
        )


@pytest.mark.browser
def test_the_organiser_copies_last_year_picks_five_judges_and_opens_the_round(
    live_server, world, make_user, monkeypatch
):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    organiser = make_user("federation_admin", username="organiser")
    last_year = last_years_contest(organiser)
    judges = [
        make_user("judge", world.district, username="judge_yc", display_name="永川评委"),
        make_user("judge", world.other_district, username="judge_fj", display_name="奉节评委"),
        *(make_user("judge", username=f"judge_{n}", display_name=f"专家{n}") for n in range(3)),
    ]
    base_url = live_server.url

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        try:
            page = browser.new_context(locale="en-US").new_page()
            log_in(page, base_url, "organiser", PASSWORD)

            # --- last year's contest copied as this year's draft, then opened --------------
            page.goto(f"{base_url}/console/contests/{LAST_YEAR}/")
            page.click("#contest-copy")
            page.locator("#contest-copy-submit").click()
            expect(page).to_have_url(re.compile(r"/console/contests/[\w-]+/edit/$"))
            slug = page.url.rstrip("/").split("/")[-2]
            assert slug != LAST_YEAR
            contest = Contest.objects.get(slug=slug)
            assert contest.state == "draft"
            assert contest.closes_at > timezone.now() > contest.opens_at
            page.goto(f"{base_url}/console/contests/{slug}/")
            page.click("#transition-open")
            expect(page.locator("#contest-state-label")).to_have_attribute("data-state", "open")

            # --- entries arrive; closing them asks first, counting the entrants ------------
            contest.refresh_from_db()
            entries_send(contest, organiser, [world.grassroots, world.other_grassroots])
            page.click("#transition-closed")
            entrants = page.locator("#consequences [data-consequence=entrants]")
            expect(entrants).to_have_attribute("data-count", "6")
            assert Contest.objects.get(pk=contest.pk).state == "open"  # asked, not done
            page.click("#confirm-button")
            expect(page.locator("#contest-state-label")).to_have_attribute("data-state", "closed")

            # --- a round; five judges ticked at once, each with their own unit -------------
            round_ = services.round_create(
                acting_user=organiser,
                contest=Contest.objects.get(pk=contest.pk),
                name="复评",
                mode="score",
                deadline=timezone.now() + datetime.timedelta(days=3),
                per_entry=2,
                criteria=[("主题", 100, 1, 10)],
            )
            assert last_year.rounds.count() == 0  # nothing of last year's judging came along
            page.goto(f"{base_url}/console/rounds/{round_.pk}/")
            for judge in judges:
                page.check(f"#pick-{judge.pk}")
            page.click("#seats-submit")
            expect(page.locator("#seats tbody tr")).to_have_count(5)
            units = dict(Seat.objects.filter(round=round_).values_list("judge_id", "unit_id"))
            assert units[judges[0].pk] == world.district.pk
            assert units[judges[1].pk] == world.other_district.pk

            page.click("#assign-button")
            expect(page.locator("#assignment-totals")).to_have_attribute("data-assigned", "12")
            for judge, home in ((judges[0], world.district), (judges[1], world.other_district)):
                given = Assignment.objects.filter(round=round_, judge=judge)
                assert not any(
                    units_conflict(home.path, path)
                    for path in given.values_list("entry__unit__path", flat=True)
                )

            # --- opening asks first: five judges will be told; then they are ---------------
            page.click("#open-button")
            told = page.locator("#consequences [data-consequence=judges]")
            expect(told).to_have_attribute("data-count", "5")
            assert Round.objects.get(pk=round_.pk).state == "planned"
            assert not Notification.objects.filter(recipient__in=judges).exists()
            page.click("#confirm-button")
            expect(page.locator("#round-state")).to_have_attribute("data-state", "open")
        finally:
            # the connection the ORM opened while Playwright's loop ran is that context's own:
            # closed here, or the test database could not be dropped at the end of the run
            connections.close_all()
            browser.close()

    notified = Notification.objects.filter(recipient__in=judges)
    assert sorted(notified.values_list("recipient_id", flat=True)) == sorted(j.pk for j in judges)
