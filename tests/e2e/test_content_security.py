"""A browser journey under the content security policy: the pages that do the most (htmx
search, charts, the judge workspace's scripts, the cached exhibition, the language switch)
work with nothing inline, and nothing is blocked (``tests/e2e/conftest.py`` fails the
journey on any violation the page reports or the console logs).

Like ``test_journey``: Debian's chromium against pytest-django's live server, every database
write made before Playwright starts, every wait an ``expect``.
"""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect, sync_playwright

from laurel.awards import services as awards
from laurel.contests.models import Contest
from tests.awards.conftest import (  # noqa: F401 - fixtures the journey uses
    contest,
    contest_factory,
    judged_contest,
)
from tests.conftest import PASSWORD, make_member
from tests.e2e.test_journey import CHROMIUM_ARGS, log_in, status_of
from tests.e2e.test_judging import scoring_round
from tests.judging.conftest import closed_contest, deadline  # noqa: F401


@pytest.fixture
def exhibited(judged_contest, users):  # noqa: F811
    """The awards tests' judged contest, its prizes published, its exhibition open."""
    today = timezone.localdate()
    Contest.objects.filter(pk=judged_contest.pk).update(
        exhibition_opens_on=today - datetime.timedelta(days=1),
        exhibition_closes_on=today + datetime.timedelta(days=10),
    )
    awards.awards_propose(acting_user=users["federation_admin"], contest=judged_contest)
    awards.results_publish(acting_user=users["federation_admin"], contest=judged_contest)
    judged_contest.refresh_from_db()
    return judged_contest


@pytest.mark.browser
def test_the_busiest_pages_work_under_the_policy_with_nothing_blocked(
    live_server, world, users, make_user, exhibited, csp_violations
):
    organiser = make_user("federation_admin", username="csp_organiser")
    judge = make_user("judge", username="csp_judge")
    round_ = scoring_round(world, organiser, [judge])
    for n, name in enumerate(["张三丰", "李四海", "王五岳"]):
        make_member(world.grassroots, 700 + n, name=name)
    base_url = live_server.url

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        try:
            # --- the organiser: console home, member search by htmx, entries, charts ----------
            page = browser.new_context(locale="en-US").new_page()
            log_in(page, base_url, "csp_organiser", PASSWORD)
            assert status_of(page, f"{base_url}/console/") == 200
            assert status_of(page, f"{base_url}/console/members/") == 200
            rows = page.locator("#member-table tbody tr")
            assert rows.count() > 1
            page.locator("#memberfilter-q").fill("张三丰")
            expect(rows).to_have_count(1)  # htmx swapped the table in
            expect(rows).to_contain_text("张三丰")
            expect(page).to_have_url(re.compile(r"/console/members/\?q=%E5%BC%A0"))  # pushed
            assert status_of(page, f"{base_url}/console/contests/blind/entries/") == 200
            expect(page.locator("#entry-table")).to_be_visible()
            # the progress chart: bars drawn by the classes of app.css, not style=
            assert status_of(page, f"{base_url}/console/rounds/{round_.pk}/") == 200
            expect(page.locator("#round-progress")).to_have_attribute("data-assigned", "6")
            results = f"{base_url}/console/contests/{exhibited.slug}/results/"
            assert status_of(page, results) == 200
            expect(page.locator("#results-table .interval-dot").first).to_be_visible()
            # each dot's centre sits where its class says on the common axis: app.css applies
            placed = page.locator("#results-table .interval-dot").evaluate_all(
                """dots => dots.map(dot => [
                    Number(dot.className.match(/left-(\\d+)/)[1]),
                    100 * (dot.offsetLeft + dot.offsetWidth / 2) / dot.parentElement.clientWidth,
                ])"""
            )
            assert len(placed) == 12
            assert len({wanted for wanted, _ in placed}) > 3  # spread along the axis
            for wanted, measured in placed:
                assert abs(wanted - measured) < 1, placed
            page.context.close()

            # --- the judge: the workspace's scripts score by keyboard and save ---------------
            page = browser.new_context(locale="en-US").new_page()
            log_in(page, base_url, "csp_judge", PASSWORD)
            page.goto(f"{base_url}/judge/rounds/{round_.pk}/")
            expect(page.locator("#review-photos img")).to_have_count(1)
            page.locator("input[type=range][id^=criterion-]").first.focus()
            page.keyboard.press("7")
            expect(page.locator("#save-status")).to_have_attribute("data-state", "saved")
            page.context.close()

            # --- a visitor: the published results, the exhibition, the language switch -------
            page = browser.new_context(locale="zh-CN").new_page()
            assert status_of(page, f"{base_url}/contests/{exhibited.slug}/results/") == 200
            # the winners' thumbnails load; the ranking's search reloads it by htmx
            expect(page.locator("#results-winners .winner-card")).to_have_count(6)
            thumbnails = page.locator("#results-winners img")
            expect(thumbnails).to_have_count(6)
            for src in thumbnails.evaluate_all("images => images.map(i => i.getAttribute('src'))"):
                assert page.request.get(base_url + src).status == 200, src
            expect(page.locator("#results-table tbody tr")).to_have_count(12)
            page.locator("#results-q").fill("作者3")
            expect(page.locator("#results-table tbody tr")).to_have_count(1)
            expect(page).to_have_url(re.compile(r"/results/\?q=%E4%BD%9C%E8%80%853"))
            exhibition = f"{base_url}/contests/{exhibited.slug}/exhibition/"
            response = page.goto(exhibition)
            assert response is not None
            assert response.status == 200
            assert "public" in response.header_value("cache-control")
            assert response.header_value("set-cookie") is None
            expect(page.locator("#exhibition-gallery a[id^=work-]")).to_have_count(6)
            html = page.locator("html")
            expect(html).to_have_attribute("lang", "zh-hans")
            page.locator(".language-switch button[value='en']").click()
            expect(html).to_have_attribute("lang", "en")
            expect(page).to_have_url(exhibition)
            page.context.close()
        finally:
            browser.close()
    assert csp_violations == []
