"""A browser journey through the call for entries of a photo contest.

The organiser creates a contest in the console and opens it; a member submits a single photo
and a series; a district's unit admin bulk-submits ten files with a spreadsheet of eleven
rows — one file is not a photo and is refused with its reason, one row names a file never
sent and stays reported as waiting, and one file is a copy of the member's photo; the
organiser disqualifies that duplicate on the screening page, and the member reads the
outcome in their inbox.

Like ``test_journey``: Debian's chromium against pytest-django's live server, every database
write made before Playwright starts, every wait an ``expect``.
"""

import datetime
import re

import pytest
from django.utils import timezone
from openpyxl import Workbook
from playwright.sync_api import expect, sync_playwright

from laurel.contests.models import Contest, Entry, Flag
from laurel.members.services import member_user_link
from tests.conftest import PASSWORD, make_member
from tests.e2e.test_journey import CHROMIUM_ARGS, log_in, status_of
from tests.helpers import jpeg, photo

SLUG = "photo-e2e"
CATEGORIES = ["自然风光", "人文风情", "生活场景", "都市建设"]
BULK_FILES = 10


def local_minute(moment: datetime.datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def bulk_sheet(path, authors) -> None:
    """Eleven rows: ten for the files sent, and row 12 for a file nobody sends."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["文件名", "作品名称", "作者身份证号", "类别", "已签署声明"])
    for index, author in enumerate(authors):
        sheet.append(
            [f"b{index:02d}.jpg", f"作品{index}", author.id_card, CATEGORIES[index % 4], "是"]
        )
    sheet.append(["missing.jpg", "未寄出的作品", authors[0].id_card, "自然风光", "是"])
    workbook.save(path)


@pytest.mark.browser
def test_contest_is_set_up_entries_arrive_and_a_duplicate_is_disqualified(
    live_server, world, make_user, tmp_path
):
    make_user("federation_admin", username="organiser")
    make_user("unit_admin", world.district, username="yc_admin")
    entrant_login = make_user("member", world.grassroots, username="li_ming")
    entrant = make_member(world.grassroots, 1, name="李明")
    member_user_link(acting_user=None, member=entrant, user=entrant_login)
    others = [make_member(world.grassroots, 10 + n, name=f"作者{n}") for n in range(8)]

    single = tmp_path / "春.jpg"
    single.write_bytes(jpeg(photo(1, (1600, 1200))))
    series = [tmp_path / f"组照{n}.jpg" for n in range(3)]
    for n, path in enumerate(series):
        path.write_bytes(jpeg(photo(20 + n, (1600, 1200))))
    bulk_folder = tmp_path / "bulk"
    bulk_folder.mkdir()
    bulk_files = [bulk_folder / f"b{n:02d}.jpg" for n in range(BULK_FILES)]
    for n, path in enumerate(bulk_files[:8]):
        path.write_bytes(jpeg(photo(40 + n, (1600, 1200))))
    bulk_files[8].write_text("这不是照片", encoding="utf-8")  # refused: text named .jpg
    bulk_files[9].write_bytes(single.read_bytes())  # the member's own photo, sent again
    sheet = tmp_path / "报送表.xlsx"
    bulk_sheet(sheet, [*others, entrant, entrant])
    now = timezone.now()
    base_url = live_server.url

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        try:
            # --- the organiser creates the contest and opens it ----------------------------
            organiser = browser.new_context(locale="en-US").new_page()
            log_in(organiser, base_url, "organiser", PASSWORD)
            assert status_of(organiser, f"{base_url}/console/contests/new/") == 200
            organiser.fill("#id_slug", SLUG)
            organiser.fill("#id_title", "职工摄影展")
            organiser.fill("#id_organiser", "市总工会")
            organiser.fill("#id_opens_at", local_minute(now - datetime.timedelta(hours=1)))
            organiser.fill("#id_closes_at", local_minute(now + datetime.timedelta(days=7)))
            organiser.fill("#id_min_long_edge", "1200")
            # three empty rows are offered: "Add a row" adds the fourth in the page
            tiers = [("一等奖", "5"), ("二等奖", "15"), ("三等奖", "30"), ("优秀奖", "150")]
            for index, (category, (prize, count)) in enumerate(zip(CATEGORIES, tiers, strict=True)):
                if index >= 3:
                    organiser.click("#id_categories [data-rows-add]")
                    organiser.click("#id_prize_tiers [data-rows-add]")
                organiser.fill(f"#id_categories-{index}-name", category)
                organiser.fill(f"#id_prize_tiers-{index}-name", prize)
                organiser.fill(f"#id_prize_tiers-{index}-count", count)
            for box in organiser.locator("input[name=formats]").all():
                box.check()
            organiser.click("#contest-submit")
            expect(organiser).to_have_url(f"{base_url}/console/contests/{SLUG}/")
            organiser.goto(f"{base_url}/console/contests/{SLUG}/edit/")
            expect(organiser.locator("#id_categories-3-name")).to_have_value(CATEGORIES[3])
            expect(organiser.locator("#id_prize_tiers-3-count")).to_have_value("150")
            organiser.goto(f"{base_url}/console/contests/{SLUG}/")
            expect(organiser.locator("#contest-state-label")).to_have_attribute(
                "data-state", "draft"
            )
            organiser.click("#transition-open")
            expect(organiser.locator("#contest-state-label")).to_have_attribute(
                "data-state", "open"
            )

            # --- a member submits a single photo and a series ------------------------------
            member = browser.new_context(locale="en-US").new_page()
            log_in(member, base_url, "li_ming", PASSWORD)
            assert status_of(member, f"{base_url}/contests/{SLUG}/") == 200
            member.click(f"a[href='/contests/{SLUG}/submit/']")
            member.select_option("#id_category", label="自然风光")
            member.fill("#id_title", "春")
            member.check("input[name=kind][value=single]")
            member.set_input_files("#id_photos", single)
            for box in member.locator("#declarations input[type=checkbox]").all():
                box.check()
            member.click("#entry-send")
            expect(member).to_have_url(re.compile(rf"^{base_url}/me/entries/\d+/$"))
            expect(member.locator("#entry-state")).to_have_attribute("data-state", "accepted")

            member.goto(f"{base_url}/contests/{SLUG}/submit/")
            member.select_option("#id_category", label="人文风情")
            member.fill("#id_title", "三代人")
            member.check("input[name=kind][value=series]")
            member.set_input_files("#id_photos", series)
            for box in member.locator("#declarations input[type=checkbox]").all():
                box.check()
            member.click("#entry-send")
            expect(member.locator("#entry-state")).to_have_attribute("data-state", "accepted")
            expect(member.locator("#entry-photos img")).to_have_count(3)

            # --- the unit admin bulk-submits ten files with a spreadsheet ------------------
            admin = browser.new_context(locale="en-US").new_page()
            log_in(admin, base_url, "yc_admin", PASSWORD)
            assert status_of(admin, f"{base_url}/console/contests/{SLUG}/bulk/") == 200
            admin.set_input_files("#id_sheet", sheet)
            admin.click("#bulk-sheet-send")
            expect(admin).to_have_url(
                re.compile(rf"^{base_url}/console/contests/{SLUG}/bulk/\d+/$")
            )
            expect(admin.locator("#bulk-rows tr[data-row]")).to_have_count(BULK_FILES + 1)
            admin.set_input_files("#bulk-files", bulk_files)
            admin.click("#bulk-send")
            expect(admin.locator("#bulk-upload")).to_have_attribute("data-state", "done")
            for n in range(BULK_FILES):
                line = admin.locator(f"#bulk-file-{n}")
                if n == 8:
                    expect(line).to_have_attribute("data-status", "refused")
                    expect(line).to_contain_text("b08.jpg")
                    expect(line).to_contain_text("文本")  # the pipeline's reason: it is text
                else:
                    expect(line).to_have_attribute("data-status", "submitted")
            waiting = admin.locator("#bulk-rows tr[data-status=waiting]")
            expect(waiting).to_have_count(1)
            expect(waiting).to_contain_text("missing.jpg")
            expect(admin.locator("#bulk-unmatched li")).to_have_count(0)

            # --- the organiser disqualifies the duplicate ----------------------------------
            assert status_of(organiser, f"{base_url}/console/contests/{SLUG}/screening/") == 200
            duplicates = organiser.locator("#flags-duplicate article[data-state=open]")
            expect(duplicates).to_have_count(1)
            flag_id = duplicates.get_attribute("id")
            organiser.check(f"#{flag_id}-disqualified")
            organiser.fill(f"#{flag_id}-reason", "与本人已投稿作品重复")
            organiser.click(f"#{flag_id}-submit")
            expect(organiser.locator(f"#{flag_id}")).to_have_attribute("data-state", "disqualified")

            # --- the member reads the outcome in their inbox -------------------------------
            assert status_of(member, f"{base_url}/inbox/") == 200
            notice = member.locator("li.card").filter(has_text="与本人已投稿作品重复")
            expect(notice).to_have_count(1)
            expect(notice).to_contain_text("作品9")
            notice.locator("a").click()  # the notice leads to the entry, now disqualified
            expect(member.locator("#entry-state")).to_have_attribute("data-state", "disqualified")
            member.goto(f"{base_url}/me/entries/")
            expect(member.locator("#my-entries [data-state=disqualified]")).to_have_count(1)
        finally:
            browser.close()

    contest = Contest.objects.get(slug=SLUG)
    entries = Entry.objects.filter(contest=contest)
    assert entries.count() == 2 + BULK_FILES
    assert entries.filter(state=Entry.State.ACCEPTED).count() == 2 + 8
    assert entries.filter(state=Entry.State.REFUSED).get().title == "作品8"
    disqualified = entries.get(state=Entry.State.DISQUALIFIED)
    assert (disqualified.title, disqualified.author) == ("作品9", entrant)
    flag = Flag.objects.get(kind=Flag.Kind.DUPLICATE)
    assert (flag.entry, flag.state) == (disqualified, Flag.State.DISQUALIFIED)
    assert flag.detail == {"entries": [entries.get(title="春").number]}
