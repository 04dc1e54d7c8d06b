"""Each role from log-in to its work, in a browser: the member reaches the open contest from
the home page in one click (on a phone), the judge their open round, the unit admin sees
their tasks and the federation admin the work waiting, and follows it.

Like ``test_journey``: Debian's chromium against pytest-django's live server, every database
write made before Playwright starts, every wait an ``expect``.
"""

import re

import pytest
from playwright.sync_api import expect, sync_playwright

from laurel.contests.models import BulkSubmission, Flag
from laurel.judging.models import Assignment
from laurel.members.services import member_user_link
from tests.conftest import PASSWORD, make_member
from tests.e2e.test_journey import CHROMIUM_ARGS, log_in
from tests.web.test_home import contest_make, entry_make, round_make

PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1366, "height": 768}


@pytest.mark.browser
def test_each_role_lands_on_its_work(live_server, world, make_user):
    organiser = make_user("federation_admin", username="organiser")
    unit_admin = make_user("unit_admin", world.district, username="district_admin")
    judge = make_user("judge", username="judge_li")
    member_user = make_user("member", world.grassroots, username="member_li")
    member = make_member(world.grassroots, 1, name="李明")
    member_user_link(acting_user=None, member=member, user=member_user)

    call = contest_make(organiser, "call")
    judged = contest_make(organiser, "judged", to="judging")
    authors = [make_member(world.grassroots, 10 + n) for n in range(3)]
    entries = [entry_make(judged, author, n + 1) for n, author in enumerate(authors)]
    round_ = round_make(judged, {judge: (3, 1), make_user("judge"): (3, 0)})
    for entry in entries:
        Flag.objects.create(entry=entry, kind=Flag.Kind.DATE_MISSING)
    Flag.objects.create(entry=entries[0], kind=Flag.Kind.BELOW_SIZE, state=Flag.State.ASKED)
    bulk = BulkSubmission.objects.create(
        contest=call,
        uploaded_by=unit_admin,
        sheet_name="报送表.xlsx",
        rows=[{"status": "waiting"}, {"status": "waiting"}],
    )
    first_open = Assignment.objects.filter(round=round_, judge=judge, state="open").first()
    base_url = live_server.url

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        try:
            # --- the member, on a phone: one click from home to the open contest ----------
            page = browser.new_context(viewport=PHONE).new_page()
            log_in(page, base_url, "member_li", PASSWORD)
            expect(page.locator("#nav-contests")).to_be_visible()
            assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
            page.locator("#panel-open_calls a[href='/contests/call/']").click()
            expect(page).to_have_url(f"{base_url}/contests/call/")
            expect(page.locator("#submit-entry")).to_be_visible()
            page.context.close()

            # --- the judge: into their open round ---------------------------------------
            page = browser.new_context(viewport=LAPTOP).new_page()
            log_in(page, base_url, "judge_li", PASSWORD)
            item = page.locator(f"#panel-judge_rounds [data-round='{round_.pk}']")
            expect(item).to_have_attribute("data-done", "1")
            expect(item).to_have_attribute("data-total", "3")
            item.locator("a").click()
            expect(page).to_have_url(f"{base_url}/judge/reviews/{first_open.pk}/")
            expect(page.locator("#review-title")).to_be_visible()
            page.context.close()

            # --- the unit admin: their tasks, the question on their member's entry --------
            page = browser.new_context(viewport=LAPTOP).new_page()
            log_in(page, base_url, "district_admin", PASSWORD)
            tasks = page.locator("#panel-tasks .home-task")
            expect(tasks).to_have_count(2)
            expect(page.locator("#panel-tasks [data-count='2'] a")).to_have_attribute(
                "href", f"/console/contests/call/bulk/{bulk.pk}/"
            )
            page.locator("#panel-tasks a[href='#panel-screening_questions']").click()
            page.locator(
                f"#panel-screening_questions a[href='/me/entries/{entries[0].pk}/']"
            ).click()
            expect(page).to_have_url(f"{base_url}/me/entries/{entries[0].pk}/")
            page.context.close()

            # --- the federation admin: work waiting, followed to where it is done ---------
            page = browser.new_context(viewport=LAPTOP).new_page()
            log_in(page, base_url, "organiser", PASSWORD)
            flags = page.locator("#panel-tasks [data-count='3'] a")
            expect(flags).to_have_attribute("href", "/console/contests/judged/screening/")
            behind = page.locator(f"#panel-tasks a[href='/console/rounds/{round_.pk}/progress/']")
            expect(behind).to_be_visible()
            flags.click()
            expect(page).to_have_url(re.compile(r"/console/contests/judged/screening/$"))
            page.goto(f"{base_url}/console/")
            expect(page.locator("#panel-tasks .home-task")).to_have_count(2)
            page.context.close()
        finally:
            browser.close()
