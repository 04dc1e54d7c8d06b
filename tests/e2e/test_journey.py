"""A browser journey: a federation admin invites a judge, the judge joins and switches language.

Runs in Debian's chromium against pytest-django's live server (so the test is transactional),
only in the PostgreSQL run. Every wait is Playwright's ``expect``: no sleeping.
"""

import pytest
from playwright.sync_api import Page, expect, sync_playwright

from laurel.accounts.models import Role, RoleGrant, User
from tests.conftest import PASSWORD

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
JUDGE_USERNAME = "judge_wang"
JUDGE_NAME = "评委 王老师"
JUDGE_PASSWORD = "Judge-pass-2026"  # staff policy: 8+ characters, 3 classes


def submit(page: Page, field_selector: str) -> None:
    """Press the submit button of the form holding ``field_selector`` (not the header's)."""
    form = page.locator(field_selector).locator("xpath=ancestor::form[1]")
    form.locator("button[type=submit]").click()


def status_of(page: Page, url: str) -> int:
    """Open ``url`` and return the HTTP status of the page it answered with."""
    response = page.goto(url)
    assert response is not None, url
    return response.status


def log_in(page: Page, base_url: str, username: str, password: str) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(password)
    submit(page, "#id_password")
    # LOGIN_REDIRECT_URL is the home page; a failed log-in would stay on the form.
    expect(page).to_have_url(f"{base_url}/")
    expect(page.locator(".topnav form[action$='/accounts/logout/']")).to_be_visible()


@pytest.mark.browser
def test_admin_invites_judge_who_joins_and_is_kept_out_of_the_console(
    live_server, world, make_user
):
    # Everything the database needs is made before Playwright starts its event loop.
    make_user("federation_admin", username="fedadmin")
    base_url = live_server.url

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        try:
            # A Chinese browser: Accept-Language zh-CN, which Django maps to zh-hans.
            # Browsers that ask for English still get Chinese until the user switches.
            admin_context = browser.new_context(locale="en-US")
            judge_context = browser.new_context(locale="en-US")

            # --- the federation admin issues a judge invitation --------------------------
            admin = admin_context.new_page()
            admin.goto(f"{base_url}/accounts/login/")
            expect(admin.locator("html")).to_have_attribute("lang", "zh-hans")
            log_in(admin, base_url, "fedadmin", PASSWORD)

            assert status_of(admin, f"{base_url}/console/invitations/") == 200
            admin.locator("#id_role").select_option("judge")
            admin.locator("#id_name").fill(JUDGE_NAME)
            expect(admin.locator("#id_unit")).to_have_value("")  # a judge needs no unit
            submit(admin, "#id_name")

            link = admin.locator("#invitation-link")
            expect(link).to_be_visible()
            invitation_url = link.get_attribute("href") or link.inner_text()
            assert invitation_url.startswith(f"{base_url}/accounts/invite/"), invitation_url
            expect(link).to_have_text(invitation_url)
            # The new invitation is listed as open, by name.
            expect(admin.locator("table tbody tr").filter(has_text=JUDGE_NAME)).to_have_count(1)

            # --- the judge, in a separate browser context, accepts it -------------------
            judge = judge_context.new_page()
            assert status_of(judge, invitation_url) == 200
            expect(judge.locator("#id_display_name")).to_have_value(JUDGE_NAME)
            judge.locator("#id_username").fill(JUDGE_USERNAME)
            judge.locator("#id_display_name").fill(JUDGE_NAME)
            judge.locator("#id_password1").fill(JUDGE_PASSWORD)
            judge.locator("#id_password2").fill(JUDGE_PASSWORD)
            submit(judge, "#id_password2")
            expect(judge).to_have_url(f"{base_url}/accounts/login/")
            expect(judge.locator(".messages .message.success")).to_have_count(1)

            log_in(judge, base_url, JUDGE_USERNAME, JUDGE_PASSWORD)
            expect(judge.locator(".topnav")).to_contain_text(JUDGE_NAME)

            # A judge is not staff: every console page refuses, and says so with 403.
            for path in ("/console/", "/console/invitations/", "/console/audit/"):
                assert status_of(judge, f"{base_url}{path}") == 403, path

            # The link was for one use only.
            assert status_of(judge, invitation_url) == 404

            # --- language: 简体中文 by default, English after the header switch ----------
            judge.goto(f"{base_url}/")
            html = judge.locator("html")
            expect(html).to_have_attribute("lang", "zh-hans")
            judge.locator(".language-switch button[value='en']").click()
            expect(html).to_have_attribute("lang", "en")
            expect(judge).to_have_url(f"{base_url}/")
            expect(judge.locator(".topnav").get_by_role("link", name="Inbox")).to_be_visible()
            expect(judge.locator(".language-switch button[value='zh-hans']")).to_be_visible()
            # The choice sticks for the next page too.
            judge.goto(f"{base_url}/accounts/me/")
            expect(html).to_have_attribute("lang", "en")

            # The admin's list now shows the invitation as accepted: no revoke button left.
            admin.goto(f"{base_url}/console/invitations/")
            row = admin.locator("table tbody tr").filter(has_text=JUDGE_NAME)
            expect(row).to_have_count(1)
            expect(row.locator("button[type=submit]")).to_have_count(0)
            expect(admin.locator("#invitation-link")).to_have_count(0)  # shown only once

            admin_context.close()
            judge_context.close()
        finally:
            browser.close()

    # Back in plain synchronous code, the database agrees with what the browser saw.
    judge_user = User.objects.get(username=JUDGE_USERNAME)
    assert judge_user.display_name == JUDGE_NAME
    grants = RoleGrant.objects.filter(user=judge_user)
    assert [(g.role, g.unit_id) for g in grants] == [(Role.JUDGE, None)]
