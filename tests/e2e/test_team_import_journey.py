"""A browser journey: a unit admin imports a team from a sheet, fixes the refused rows, sees
the team.

The first sheet has two good rows and three bad ones (a mistyped ID number, another
district's member, a name that is not the roster's); the preview names each by row and
reason, the good rows are imported. The fixed sheet brings the two members that were refused
(the other district's row dropped); the two already in are unchanged. The team's page lists
the four, their numbers masked.

Like ``test_member_import``: Debian's chromium against pytest-django's live server, every
database write made before Playwright starts, every wait an ``expect``.
"""

import re

import pytest
from openpyxl import Workbook
from playwright.sync_api import expect, sync_playwright

from laurel.core.identity import id_card_mask
from laurel.members.models import Team
from tests.conftest import PASSWORD, make_member
from tests.e2e.test_journey import CHROMIUM_ARGS, log_in, submit

TEAM = "机关工会代表队"


def mistyped(id_card: str) -> str:
    return id_card[:-1] + ("0" if id_card[-1] != "0" else "1")


def team_sheet(path, rows) -> None:
    workbook = Workbook()
    workbook.active.append(["姓名", "身份证号", "手机号"])
    for row in rows:
        workbook.active.append(row)
    workbook.save(path)


def upload(page, base_url: str, sheet) -> None:
    """The import form: the sheet, the unit chosen with the picker, the team's name."""
    page.goto(f"{base_url}/console/teams/import/")
    page.set_input_files("#id_file", sheet)
    page.locator("#id_unit").fill("机关")
    page.locator("label.check", has_text="机关工会").click()
    page.locator("#id_name").fill(TEAM)
    page.locator("#id_kind").fill("参赛队")
    submit(page, "#id_name")
    expect(page).to_have_url(re.compile(rf"^{base_url}/console/teams/import/\d+/$"))


def counts(page, **expected: int) -> None:
    summary = page.locator("#import-summary")
    for status, count in expected.items():
        expect(summary.locator(f"[data-count={status}]")).to_have_text(str(count))


@pytest.mark.browser
def test_unit_admin_imports_a_team_fixes_the_refused_rows_and_sees_the_team(
    live_server, world, make_user, tmp_path
):
    make_user("unit_admin", world.district, username="yc_admin")
    people = {n: make_member(world.grassroots, n) for n in range(1, 5)}
    elsewhere = make_member(world.other_grassroots, 90)  # 奉节县: not this admin's
    first, fixed = tmp_path / "代表队.xlsx", tmp_path / "代表队-改.xlsx"
    team_sheet(
        first,
        [
            [people[1].name, people[1].id_card, ""],  # row 2: good
            [people[2].name, "", people[2].mobile],  # row 3: good, by mobile
            [people[3].name, mistyped(people[3].id_card), ""],  # row 4: check digit
            [elsewhere.name, elsewhere.id_card, ""],  # row 5: not this unit's
            ["别人", people[4].id_card, ""],  # row 6: not the roster's name
        ],
    )
    team_sheet(fixed, [[people[n].name, people[n].id_card, ""] for n in (1, 2, 3, 4)])
    base_url = live_server.url

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(locale="en-US")
            page = context.new_page()
            page.set_default_timeout(15_000)
            log_in(page, base_url, "yc_admin", PASSWORD)
            context.add_cookies([{"name": "django_language", "value": "en", "url": base_url}])

            # --- the first sheet: the preview names each bad row and its reason ----------
            upload(page, base_url, first)
            expect(page.locator("#import-summary")).to_have_attribute("data-status", "previewed")
            counts(page, imported=2, updated=0, unchanged=0, rejected=3)
            rejected = page.locator("#rejected-rows tbody tr")
            expect(rejected).to_have_count(3)
            for index, (row, reason) in enumerate(
                [
                    ("4", "check digit"),
                    ("5", "No member of 机关工会 has this number."),
                    ("6", "not the roster's name"),
                ]
            ):
                cells = rejected.nth(index).locator("td")
                expect(cells.nth(0)).to_have_text(row)
                expect(cells.nth(3)).to_contain_text(reason)
            expect(page.locator("main")).not_to_contain_text("奉节")
            page.locator("#import-commit").click()
            expect(page.locator("#import-summary")).to_have_attribute("data-status", "committed")
            counts(page, imported=2, rejected=3)

            # --- the fixed sheet: the two refused join, the two in the team stay -------------
            upload(page, base_url, fixed)
            counts(page, imported=2, updated=0, unchanged=2, rejected=0)
            expect(page.locator("#rejected-rows")).to_have_count(0)
            page.locator("#import-commit").click()
            expect(page.locator("#import-summary")).to_have_attribute("data-status", "committed")

            # --- the team: four members, the first row's person leads, numbers masked ------
            page.locator("#import-team").click()
            expect(page.locator("h1")).to_have_text(TEAM)
            expect(page.locator("#team-leader")).to_have_text(people[1].name)
            expect(page.locator("#team-kind")).to_have_text("参赛队")
            members = page.locator("#team-members tbody tr")
            expect(members).to_have_count(4)
            for person in people.values():
                row = members.filter(has_text=person.name)
                expect(row).to_contain_text(id_card_mask(person.id_card))
            content = page.content()
            for person in people.values():
                assert person.id_card not in content
            context.close()
        finally:
            browser.close()

    team = Team.objects.get(name=TEAM)
    assert (team.unit, team.kind, team.leader) == (world.grassroots, "参赛队", people[1])
    assert set(team.members.all()) == set(people.values())
