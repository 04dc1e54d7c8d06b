"""A browser journey: a district admin imports a real roster, half good and half bad.

The admin uploads an .xlsx as units send it (a merged title row above the header), reads the
preview's reasons for the bad rows, commits the good ones and finds them in the member list
with their ID numbers masked; a member of another district stays out of reach (404).

Like ``test_journey``: Debian's chromium against pytest-django's live server, every database
write made before Playwright starts, every wait an ``expect``.
"""

import re

import pytest
from openpyxl import Workbook
from playwright.sync_api import expect, sync_playwright

from laurel.core.identity import id_card_mask
from laurel.members.models import Member
from tests.conftest import PASSWORD, make_member, valid_id_card
from tests.e2e.test_journey import CHROMIUM_ARGS, log_in, status_of, submit

HEADER = ["姓名", "性别", "身份证号", "手机号", "单位"]
GOOD = {  # name → (gender, ID number, mobile as typed); every one for 机关工会 cq/yc/jg
    "张三": ("男", valid_id_card(1), "13900000011"),
    "李四": ("女", valid_id_card(2), "１３９００００００１２"),  # full-width digits
    "王五": ("男", valid_id_card(3), "13900000013"),
    "赵六": ("女", valid_id_card(4), "13900000014"),
}
MISTYPED_ID = valid_id_card(5)[:-1] + ("0" if valid_id_card(5)[-1] != "0" else "1")


def good_row(name: str) -> list[str]:
    gender, id_card, mobile = GOOD[name]
    return [name, gender, id_card, mobile, "cq/yc/jg"]


def roster_xlsx(path) -> None:
    """Rows 3-9 under a merged title (row 1) and the header (row 2); 4, 7 and 9 are bad."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["永川区机关工会会员花名册（2026年）"])
    sheet.merge_cells("A1:E1")
    sheet.append(HEADER)
    sheet.append(good_row("张三"))  # row 3
    sheet.append(["钱七", "男", MISTYPED_ID, "13900000015", "cq/yc/jg"])  # row 4: check digit
    sheet.append(good_row("李四"))  # row 5
    sheet.append(good_row("王五"))  # row 6
    sheet.append(["孙八", "女", valid_id_card(6), "023-49871234", "cq/yc/jg"])  # row 7: landline
    sheet.append(good_row("赵六"))  # row 8
    sheet.append(["周九", "男", valid_id_card(7), "13900000017", "奉节县总工会"])  # row 9
    workbook.save(path)


REJECTED = [  # (row, name, characteristic part of the English reason)
    ("4", "钱七", "check digit"),
    ("7", "孙八", "landline"),
    ("9", "周九", "No unit you administer"),
]


@pytest.mark.browser
def test_unit_admin_imports_a_roster_and_sees_good_rows_masked_and_bad_rows_explained(
    live_server, world, make_user, tmp_path
):
    # Everything the database needs is made before Playwright starts its event loop.
    make_user("unit_admin", world.district, username="yc_admin")
    elsewhere = make_member(world.other_grassroots, 90)  # 奉节县: not this admin's
    roster = tmp_path / "永川区花名册.xlsx"
    roster_xlsx(roster)
    base_url = live_server.url

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(locale="en-US")
            page = context.new_page()
            log_in(page, base_url, "yc_admin", PASSWORD)
            expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
            # English from here on: the reasons are written in the uploader's language.
            context.add_cookies([{"name": "django_language", "value": "en", "url": base_url}])

            # --- upload: nothing is written yet, the preview explains every row ----------
            assert status_of(page, f"{base_url}/console/members/import/") == 200
            expect(page.locator("html")).to_have_attribute("lang", "en")
            expect(page.locator("#id_unit")).to_have_value("")  # each row names its unit
            page.set_input_files("#id_file", roster)
            submit(page, "#id_file")
            expect(page).to_have_url(re.compile(rf"^{base_url}/console/members/import/\d+/$"))
            summary = page.locator("#import-summary")
            expect(summary).to_have_attribute("data-status", "previewed")
            expect(summary.locator("[data-count=imported]")).to_have_text("4")
            expect(summary.locator("[data-count=updated]")).to_have_text("0")
            expect(summary.locator("[data-count=unchanged]")).to_have_text("0")
            expect(summary.locator("[data-count=rejected]")).to_have_text("3")

            rejected = page.locator("#rejected-rows tbody tr")
            expect(rejected).to_have_count(len(REJECTED))  # one problem each
            for index, (row_number, name, reason) in enumerate(REJECTED):
                cells = rejected.nth(index).locator("td")
                expect(cells.nth(0)).to_have_text(row_number)
                expect(cells.nth(1)).to_contain_text(name)
                expect(cells.nth(3)).to_contain_text(reason)
            expect(page.locator("#accepted-rows tbody tr")).to_have_count(len(GOOD))
            assert MISTYPED_ID not in page.content()

            # --- commit: the task runs after the request's transaction ------------------
            commit = page.locator("#import-commit")
            expect(commit).to_be_enabled()
            commit.click()
            expect(summary).to_have_attribute("data-status", "committed")
            expect(summary.locator("[data-count=imported]")).to_have_text("4")
            expect(summary.locator("[data-count=rejected]")).to_have_text("3")
            expect(page.locator("#import-commit")).to_have_count(0)

            # --- the member list: the four, ID numbers masked ---------------------------
            assert status_of(page, f"{base_url}/console/members/") == 200
            table = page.locator("#member-table")
            expect(table.locator("tbody tr")).to_have_count(len(GOOD))
            for name, (_gender, id_card, _mobile) in GOOD.items():
                row = table.locator("tbody tr").filter(has_text=name)
                expect(row).to_have_count(1)
                expect(row).to_contain_text(id_card[:6] + "********" + id_card[-4:])
            expect(table).not_to_contain_text(elsewhere.name)
            content = page.content()
            for _gender, id_card, _mobile in GOOD.values():
                assert id_card not in content
            own_href = table.get_by_role("link", name="张三").get_attribute("href")
            assert own_href is not None

            # --- detail pages: its own member yes, 奉节县's member not even found ------------
            assert status_of(page, f"{base_url}{own_href}") == 200
            expect(page.locator("#member-id-card")).to_have_text(id_card_mask(GOOD["张三"][1]))
            assert status_of(page, f"{base_url}/console/members/{elsewhere.pk}/") == 404

            context.close()
        finally:
            browser.close()

    # Back in plain synchronous code, the database agrees with what the browser saw.
    assert sorted(Member.objects.values_list("name", "id_card", "unit__code")) == sorted(
        [(name, id_card, "cq/yc/jg") for name, (_gender, id_card, _mobile) in GOOD.items()]
        + [(elsewhere.name, elsewhere.id_card, "cq/fj/jg")]
    )
    assert Member.objects.get(name="李四").mobile == "13900000012"
