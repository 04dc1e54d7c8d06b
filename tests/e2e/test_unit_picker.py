"""The unit picker in a browser: typing part of a name shows the matches with their
districts as one types (no page load), and the unit chosen is the one the form sends."""

import pytest
from playwright.sync_api import expect, sync_playwright

from laurel.accounts.models import Invitation
from tests.conftest import PASSWORD
from tests.e2e.test_journey import CHROMIUM_ARGS, log_in, submit


@pytest.mark.browser
def test_a_unit_is_found_by_name_and_chosen(live_server, world, make_user):
    make_user("federation_admin", username="fedadmin")
    base_url = live_server.url
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        try:
            page = browser.new_context(locale="en-US").new_page()
            log_in(page, base_url, "fedadmin", PASSWORD)
            page.goto(f"{base_url}/console/invitations/codes/")
            page.locator("#id_unit").fill("机关")
            results = page.locator("[data-unit-picker-results] input[type=radio]")
            expect(results).to_have_count(2)  # 机关工会 of 永川区 and of 奉节县
            choice = page.locator("label.check", has_text="奉节县总工会")
            expect(choice).to_contain_text("机关工会")
            choice.click()
            page.locator("#id_count").fill("2")
            page.locator("#id_unit").press("Enter")  # searches again; does not send the form
            expect(page.locator(f"input[value='{world.other_grassroots.pk}']")).to_be_checked()
            submit(page, "#id_count")
            expect(page.locator(".codes li")).to_have_count(2)
        finally:
            browser.close()
    assert Invitation.objects.filter(unit=world.other_grassroots).count() == 2
