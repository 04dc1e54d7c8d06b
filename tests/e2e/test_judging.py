"""A browser journey through a scoring round, judged blind.

Two judges score in separate browsers — one a laptop using the keyboard, one a phone using
the keypad — while every page and every request they make is searched for the authors'
names and units and the files' names (none may appear). The phone judge declares a conflict
and the entry goes to another judge. The organiser watches the progress numbers move and
closes the round; the results rank every entry that was reviewed.

Like ``test_journey``: Debian's chromium against pytest-django's live server, every database
write made before Playwright starts, every wait an ``expect``.
"""

import contextlib
import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect, sync_playwright

from laurel.contests.services import (
    Upload,
    contest_create,
    contest_transition,
    entry_submit,
)
from laurel.judging import services
from laurel.judging.models import Assignment, Result, Round
from tests.conftest import PASSWORD, make_member
from tests.e2e.test_journey import CHROMIUM_ARGS, log_in, status_of
from tests.helpers import jpeg, photo

AUTHORS = ["欧阳春晓", "司马秋实", "诸葛明远", "上官雨桐", "慕容晨曦", "东方晓白"]
PHONE = {"width": 390, "height": 844}


def scoring_round(world, organiser, judges) -> Round:
    """A closed contest of six entries (authors with names nobody else has), a scoring round
    with two criteria, K = 1, three judges; assigned and opened."""
    now = timezone.now()
    contest = contest_create(
        acting_user=organiser,
        slug="blind",
        title="职工摄影展",
        organiser="市总工会",
        opens_at=now - datetime.timedelta(days=2),
        closes_at=now + datetime.timedelta(days=2),
        categories=["自然风光"],
        min_long_edge=800,
    )
    contest = contest_transition(acting_user=organiser, contest=contest, to="open")
    for n, name in enumerate(AUTHORS):
        unit = world.grassroots if n % 2 else world.other_grassroots
        author = make_member(unit, 300 + n, name=name)
        entry_submit(
            acting_user=organiser,
            contest=contest,
            author=author,
            category=contest.categories.get(),
            title=f"作品{n}",
            uploads=[Upload(f"{name}-原图-{n}.jpg", [jpeg(photo(900 + n, (1200, 900)))])],
            declarations=["original", "portrait", "copyright", "publication"],
        )
    contest = contest_transition(acting_user=organiser, contest=contest, to="closed")
    round_ = services.round_create(
        acting_user=organiser,
        contest=contest,
        name="复评",
        mode="score",
        deadline=now + datetime.timedelta(days=3),
        per_entry=1,
        criteria=[("主题", 60, 1, 10), ("构图", 40, 1, 10)],
    )
    for judge in judges:
        services.seat_add(acting_user=organiser, round=round_, judge=judge)
    services.assignment_solve(acting_user=organiser, round=round_)
    return services.round_open(acting_user=organiser, round=round_)


class Watch:
    """Everything a page loads or sends, to search for what a judge must never see."""

    def __init__(self, page):
        self.seen: list[str] = []
        page.on("request", self.request)
        page.on("response", self.response)

    def request(self, request):
        self.seen.append(request.url)
        self.seen.append(request.post_data or "")

    def response(self, response):
        kind = response.headers.get("content-type", "")
        if kind.startswith(("text/", "application/json")):
            with contextlib.suppress(PlaywrightError):  # a redirect has no body to read
                self.seen.append(response.text())

    def leaks(self, secrets: list[str]) -> list[str]:
        return [secret for secret in secrets if any(secret in text for text in self.seen)]


@pytest.mark.browser
def test_two_judges_score_blind_one_declares_a_conflict_and_the_organiser_closes(
    live_server, world, make_user
):
    organiser = make_user("federation_admin", username="organiser")
    laptop_judge = make_user("judge", username="judge_laptop")
    phone_judge = make_user("judge", username="judge_phone")
    third_judge = make_user("judge", username="judge_third")
    round_ = scoring_round(world, organiser, [laptop_judge, phone_judge, third_judge])
    secrets = [*AUTHORS, world.grassroots.name, world.other_grassroots.name, "原图"]
    phone_work = list(Assignment.objects.filter(round=round_, judge=phone_judge))
    conflicted = phone_work[0]
    criteria = list(round_.criteria.all())
    base_url = live_server.url

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        try:
            # --- the organiser sees nothing done yet ----------------------------------------
            watching = browser.new_context(locale="en-US").new_page()
            log_in(watching, base_url, "organiser", PASSWORD)
            assert status_of(watching, f"{base_url}/console/rounds/{round_.pk}/") == 200
            progress = watching.locator("#round-progress")
            expect(progress).to_have_attribute("data-done", "0")
            expect(progress).to_have_attribute("data-assigned", "6")

            # --- the phone judge: keypad, then a conflict -----------------------------------
            phone = browser.new_context(
                locale="en-US", viewport=PHONE, is_mobile=True, has_touch=True
            ).new_page()
            phone_seen = Watch(phone)
            log_in(phone, base_url, "judge_phone", PASSWORD)
            phone.goto(f"{base_url}/judge/rounds/{round_.pk}/")
            expect(phone.locator("#review-photos img")).to_have_count(1)
            expect(phone.locator("#review-progress")).to_have_attribute(
                "data-total", str(len(phone_work))
            )
            phone.locator("#conflict-reason").fill("作者是我的同事")
            phone.once("dialog", lambda dialog: dialog.accept())
            phone.click("#conflict-submit")
            expect(phone.locator("#review-progress")).to_have_attribute(
                "data-total", str(len(phone_work) - 1)
            )
            for _ in range(len(phone_work) - 1):
                for criterion in criteria:
                    phone.click(f"[data-criterion='{criterion.pk}'][data-value='7']")
                    expect(phone.locator("#save-status")).to_have_attribute("data-state", "saved")
                if phone.locator("#review-next").count():
                    phone.click("#review-next")
            expect(phone.locator("#review-progress")).to_have_attribute(
                "data-done", str(len(phone_work) - 1)
            )
            assert status_of(phone, f"{base_url}/judge/reviews/{conflicted.pk}/") == 404

            # --- the laptop judge: keyboard only --------------------------------------------
            laptop = browser.new_context(locale="en-US").new_page()
            laptop_seen = Watch(laptop)
            log_in(laptop, base_url, "judge_laptop", PASSWORD)
            laptop.goto(f"{base_url}/judge/rounds/{round_.pk}/")
            total = int(laptop.locator("#review-progress").get_attribute("data-total"))
            for done in range(1, total + 1):
                laptop.locator(f"#criterion-{criteria[0].pk}").focus()
                laptop.keyboard.press("8")
                expect(laptop.locator("#save-status")).to_have_attribute("data-state", "saved")
                laptop.locator(f"#criterion-{criteria[1].pk}").focus()
                laptop.keyboard.press("6")
                expect(laptop.locator("#review-progress")).to_have_attribute("data-done", str(done))
                if done < total:
                    laptop.keyboard.press("n")

            # --- the organiser watches the numbers move, then closes ------------------------
            done_so_far = str(len(phone_work) - 1 + total)
            expect(progress).to_have_attribute("data-done", done_so_far, timeout=15_000)
            watching.once("dialog", lambda dialog: dialog.accept())
            watching.click("#close-button")
            expect(watching.locator("#round-state")).to_have_attribute("data-state", "closed")
            expect(watching.locator("#results tbody tr")).to_have_count(6)

            assert phone_seen.leaks(secrets) == []
            assert laptop_seen.leaks(secrets) == []
        finally:
            browser.close()

    conflicted.refresh_from_db()
    assert (conflicted.state, conflicted.withdrawn_reason) == ("withdrawn", "conflict")
    taken_over = Assignment.objects.get(
        round=round_, entry=conflicted.entry, state__in=["open", "done"]
    )
    assert taken_over.judge != phone_judge
    ranked = Result.objects.filter(round=round_, rank__isnull=False)
    assert ranked.count() == Assignment.objects.filter(round=round_, state="done").count()
