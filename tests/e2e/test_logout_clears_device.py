"""Logging out makes the browser forget what the site kept on the device: a gate's ticket list
kept for working offline is names in local storage, and a shared phone passes to the next
person (``Clear-Site-Data`` on the log-out answer)."""

import pytest
from playwright.sync_api import expect, sync_playwright

from tests.conftest import PASSWORD
from tests.e2e.test_journey import CHROMIUM_ARGS, log_in

KEY = "laurel.gate.carnival-2024"  # as static/events/gate_offline.js names a gate's list


@pytest.mark.browser
def test_logging_out_clears_the_gates_list_kept_on_the_device(live_server, make_user):
    make_user("checkin_staff", username="gate01")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS
        )
        try:
            page = browser.new_page()
            log_in(page, live_server.url, "gate01", PASSWORD)
            page.evaluate(f"localStorage.setItem('{KEY}', '[{{\"holder\": \"张伟\"}}]')")
            assert page.evaluate(f"localStorage.getItem('{KEY}')") is not None
            with page.expect_response(lambda r: r.url.endswith("/accounts/logout/")) as answer:
                page.locator(".topnav form[action$='/accounts/logout/'] button").click()
            assert answer.value.status == 302
            expect(page.locator(".topnav form[action$='/accounts/logout/']")).to_have_count(0)
            assert page.evaluate("localStorage.length") == 0
        finally:
            browser.close()
