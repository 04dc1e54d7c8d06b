"""A browser journey over a whole photo contest, from the call for entries to the certificate.

The organiser creates a contest in the console (exhibition open from today) and opens it;
four members submit — one sends a text file named .jpg and is refused with the pipeline's
reason; the organiser closes entries, sets up a scoring round, seats two judges, assigns and
opens it; both judges score every entry from the keyboard, two entries so close that their
intervals cross the prize boundary; the organiser closes the round, proposes the prizes from
the ranking, sees that near tie on the results page and publishes. The public results page
shows the digest ``laurel contest verify`` prints; the gallery shows the winners; the winner
downloads their certificate, whose text carries their name and whose QR code opens the
public page that confirms it.

Like ``test_journey``: Debian's chromium against pytest-django's live server, every wait an
``expect``.
"""

import datetime
import io
import re

import pypdfium2
import pytest
import zxingcpp
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect, sync_playwright
from pypdf import PdfReader

from laurel.awards.models import Certificate, Publication
from laurel.contests.models import Contest, Entry
from laurel.members.services import member_user_link
from tests.conftest import PASSWORD, make_member
from tests.e2e.test_journey import CHROMIUM_ARGS, log_in, status_of
from tests.helpers import jpeg, photo

SLUG = "whole-e2e"
# member login, name, what they send; judges' scores per entry in the order they arrive
ENTRANTS = [
    ("wang_fang", "王芳", "photo"),
    ("zhao_lei", "赵磊", "photo"),
    ("sun_li", "孙丽", "photo"),
    ("zhou_jie", "周杰", "text"),
]
SCORES = {
    "judge_a": {"王芳": "9", "赵磊": "7", "孙丽": "6"},
    "judge_b": {"王芳": "9", "赵磊": "6", "孙丽": "7"},
}


def local_minute(moment: datetime.datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def qr_text(pdf: bytes) -> str:
    """The text of the QR code on the PDF's first page, drawn at 200 dpi."""
    page = pypdfium2.PdfDocument(pdf)[0]
    image = page.render(scale=200 / 72).to_pil()
    codes = zxingcpp.read_barcodes(image)
    assert len(codes) == 1, codes
    return codes[0].text


@pytest.mark.browser
def test_a_whole_contest_from_the_call_for_entries_to_a_verified_certificate(
    live_server, world, make_user, tmp_path
):
    make_user("federation_admin", username="organiser")
    judges = [make_user("judge", username=username) for username in SCORES]
    for n, (username, name, _) in enumerate(ENTRANTS):
        login = make_user("member", world.grassroots, username=username)
        member_user_link(
            acting_user=None, member=make_member(world.grassroots, n, name=name), user=login
        )
    good = tmp_path / "好照片.jpg"
    bad = tmp_path / "不是照片.jpg"
    bad.write_text("这不是照片", encoding="utf-8")
    now = timezone.now()
    today = timezone.localdate()
    base_url = live_server.url

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        try:
            # --- the organiser creates the contest and opens it ----------------------------
            organiser = browser.new_context(locale="en-US").new_page()
            log_in(organiser, base_url, "organiser", PASSWORD)
            organiser.goto(f"{base_url}/console/contests/new/")
            organiser.fill("#id_slug", SLUG)
            organiser.fill("#id_title", "劳动美摄影展")
            organiser.fill("#id_organiser", "市总工会")
            organiser.fill("#id_opens_at", local_minute(now - datetime.timedelta(hours=1)))
            organiser.fill("#id_closes_at", local_minute(now + datetime.timedelta(days=7)))
            organiser.fill("#id_min_long_edge", "1000")
            organiser.fill("#id_categories-0-name", "自然风光")
            for index, prize in enumerate(("一等奖", "二等奖")):
                organiser.fill(f"#id_prize_tiers-{index}-name", prize)
                organiser.fill(f"#id_prize_tiers-{index}-count", "1")
            organiser.fill("#id_exhibition_opens_on", today.isoformat())
            organiser.fill(
                "#id_exhibition_closes_on", (today + datetime.timedelta(days=20)).isoformat()
            )
            organiser.fill("#id_exhibition_venue", "市劳动人民文化宫")
            for box in organiser.locator("input[name=formats]").all():
                box.check()
            organiser.click("#contest-submit")
            expect(organiser).to_have_url(f"{base_url}/console/contests/{SLUG}/")
            organiser.click("#transition-open")
            expect(organiser.locator("#contest-state-label")).to_have_attribute(
                "data-state", "open"
            )

            # --- four members submit; the text file is refused with its reason -------------
            for n, (username, name, sends) in enumerate(ENTRANTS):
                member = browser.new_context(locale="en-US").new_page()
                log_in(member, base_url, username, PASSWORD)
                member.goto(f"{base_url}/contests/{SLUG}/submit/")
                member.select_option("#id_category", label="自然风光")
                member.fill("#id_title", f"{name}的作品")
                member.check("input[name=kind][value=single]")
                if sends == "photo":
                    good.write_bytes(jpeg(photo(70 + n, (1400, 1050))))
                member.set_input_files("#id_photos", good if sends == "photo" else bad)
                for box in member.locator("#declarations input[type=checkbox]").all():
                    box.check()
                member.click("#entry-send")
                state = "accepted" if sends == "photo" else "refused"
                expect(member.locator("#entry-state")).to_have_attribute("data-state", state)
                if sends == "text":
                    expect(member.locator("#entry-reason")).to_contain_text("不是照片.jpg")
                member.context.close()

            # --- entries close; a scoring round with two judges is set up and opened -------
            organiser.goto(f"{base_url}/console/contests/{SLUG}/")
            organiser.click("#transition-closed")
            organiser.click("#confirm-button")  # the confirmation counts the entrants first
            expect(organiser.locator("#contest-state-label")).to_have_attribute(
                "data-state", "closed"
            )
            organiser.goto(f"{base_url}/console/contests/{SLUG}/rounds/new/")
            organiser.fill("#id_name", "复评")
            organiser.check("input[name=mode][value=score]")
            organiser.fill("#id_per_entry", "2")
            organiser.fill("#id_deadline", local_minute(now + datetime.timedelta(days=2)))
            organiser.fill("#id_criteria-0-name", "总分")
            organiser.fill("#id_criteria-0-weight", "100")  # the scale stays 1-10
            organiser.click("#round-submit")
            expect(organiser.locator("#round-state")).to_have_attribute("data-state", "planned")
            round_url = organiser.url
            for judge in judges:
                organiser.check(f"#pick-{judge.pk}")
            organiser.click("#seats-submit")
            expect(organiser.locator("#seats tbody tr")).to_have_count(2)
            organiser.click("#assign-button")
            expect(organiser.locator("#assignment-totals")).to_have_attribute("data-assigned", "6")
            organiser.click("#open-button")
            organiser.click("#confirm-button")  # after it says how many judges are told
            expect(organiser.locator("#round-state")).to_have_attribute("data-state", "open")

            # --- two judges score every entry, by keyboard ---------------------------------
            titles = {f"{name}的作品": name for _, name, _ in ENTRANTS}
            for username, scores in SCORES.items():
                judge = browser.new_context(locale="en-US").new_page()
                log_in(judge, base_url, username, PASSWORD)
                judge.goto(f"{base_url}/judge/")
                judge.locator("#judge-rounds a").first.click()
                total = int(judge.locator("#review-progress").get_attribute("data-total"))
                assert total == 3
                for done in range(1, total + 1):
                    title = judge.locator("#review-title").inner_text().strip()
                    judge.locator("input[type=range][id^=criterion-]").focus()
                    judge.keyboard.press(scores[titles[title]])
                    expect(judge.locator("#review-progress")).to_have_attribute(
                        "data-done", str(done)
                    )
                    if done < total:
                        judge.keyboard.press("n")
                judge.context.close()

            organiser.goto(round_url)
            organiser.once("dialog", lambda dialog: dialog.accept())
            organiser.click("#close-button")
            expect(organiser.locator("#round-state")).to_have_attribute("data-state", "closed")

            # --- the organiser keeps the flagged entries: publishing waits for every flag ----
            organiser.goto(f"{base_url}/console/contests/{SLUG}/screening/")
            undecided = organiser.locator("article.flag-card[data-state=open]")
            for left in reversed(range(undecided.count())):
                card = undecided.first
                card.locator("input[name=decision][value=kept]").check()
                card.locator("textarea[name=reason]").fill("作者已说明拍摄时间")
                card.locator("button[type=submit]").click()
                expect(undecided).to_have_count(left)

            # --- the organiser looks at the near tie, proposes the prizes and publishes ----
            organiser.goto(f"{base_url}/console/contests/{SLUG}/results/")
            expect(organiser.locator("#results-table tbody tr")).to_have_count(3)
            organiser.click("#propose-form button[type=submit]")
            expect(organiser.locator("#results-table [data-prize='一等奖']")).to_have_count(1)
            near_ties = organiser.locator("#near-ties")
            expect(near_ties).to_contain_text("赵磊的作品")
            expect(near_ties).to_contain_text("孙丽的作品")
            organiser.click("#publish-form button[type=submit]")
            organiser.click("#confirm-button")  # after it says who is told
            expect(organiser.locator("#publications tbody tr")).to_have_count(1)

            # --- the public sees the digest the command verifies, and the gallery ----------
            visitor = browser.new_context(locale="zh-CN").new_page()
            assert status_of(visitor, f"{base_url}/contests/{SLUG}/results/") == 200
            first_prize = visitor.locator("#results-winners [data-prize='一等奖']")
            expect(first_prize).to_contain_text("王芳")
            visitor.click("#results-notes > summary")  # the digest is folded under the judging
            digest = visitor.locator("#results-digest").inner_text().strip()

            assert status_of(visitor, f"{base_url}/contests/{SLUG}/exhibition/") == 200
            gallery = visitor.locator("#exhibition-gallery")
            expect(gallery.locator("a[id^=work-]")).to_have_count(2)
            expect(gallery).to_contain_text("王芳")

            # --- the winner downloads the certificate; its QR code verifies -----------------
            winner = browser.new_context(locale="en-US").new_page()
            log_in(winner, base_url, "wang_fang", PASSWORD)
            winner.goto(f"{base_url}/me/entries/")
            winner.locator("#my-entries a", has_text="王芳的作品").first.click()
            with winner.expect_download() as download_info:
                winner.click("#certificate-download")
            pdf = download_info.value.path().read_bytes()
            text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
            assert "王芳" in text
            assert "一等奖" in text
            url = qr_text(pdf)
            assert re.fullmatch(
                re.escape(settings.LAUREL_PUBLIC_URL) + r"/certificates/\d+/", url
            ), url
            winner.goto(base_url + url[url.index("/certificates/") :])
            expect(winner.locator("#certificate-valid")).to_contain_text("王芳")
        finally:
            browser.close()

    out = io.StringIO()  # the digest the public saw is the one the command verifies
    call_command("contest", "verify", SLUG, stdout=out)
    assert out.getvalue().strip() == f"ok {digest}"
    entry = Entry.objects.get(contest__slug=SLUG, author__name="王芳")
    assert url.endswith(f"/certificates/{Certificate.objects.get(entry=entry).number}/")
    contest = Contest.objects.get(slug=SLUG)
    assert contest.state == Contest.State.PUBLISHED
    assert Publication.objects.get(contest=contest).digest == digest
    refused = Entry.objects.get(contest=contest, state=Entry.State.REFUSED)
    assert refused.author.name == "周杰"
    awarded = Entry.objects.filter(contest=contest, state=Entry.State.AWARDED)
    assert awarded.count() == 2
    assert awarded.get(award__tier__name="一等奖").author.name == "王芳"
