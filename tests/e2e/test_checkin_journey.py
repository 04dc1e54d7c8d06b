"""A browser journey at the gate: check-in staff given the event's gate check a member in by
typed code; a second check-in is refused as a duplicate with the first scan's time; another
event's ticket, a tampered QR payload and a cancelled ticket are refused with their reasons;
a walk-in is registered and checked in at once.

Debian's chromium against pytest-django's live server; every database write made before
Playwright starts, every wait an ``expect``. The scan form posts through htmx.
"""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect, sync_playwright

from laurel.events import services
from laurel.events.models import EventStaff, Registration
from tests.conftest import PASSWORD, make_member
from tests.e2e.test_journey import CHROMIUM_ARGS, log_in
from tests.events.conftest import event_factory, slot_of  # noqa: F401 - the fixture used


@pytest.mark.browser
def test_staff_check_people_in_refuse_bad_tickets_and_let_a_walk_in_in(
    live_server,
    world,
    make_user,
    event_factory,  # noqa: F811
):
    event = event_factory(booths={"花艺馆": [(9, 10, 5)]})
    other = event_factory(booths={"剪纸馆": [(9, 10, 5)]})
    flowers = slot_of(event, "花艺馆", 9)
    staff = make_user("checkin_staff", username="gate_east")
    EventStaff.objects.create(event=event, user=staff)

    def registered(n: int, name: str, at_event=event, slot=flowers):
        return services.registration_create(
            acting_user=None,
            event=at_event,
            slot=slot,
            member=make_member(world.grassroots, n, name=name),
        ).registration

    member = registered(1, "李明")
    cancelled = registered(2, "王芳")
    elsewhere = registered(3, "赵敏", other, slot_of(other, "剪纸馆", 9))
    code = services.ticket_of(member).code
    cancelled_payload = services.ticket_of(cancelled).payload
    services.registration_cancel(acting_user=None, registration=cancelled)
    other_payload = services.ticket_of(elsewhere).payload
    payload = services.ticket_of(member).payload
    tampered = payload[:-3] + ("AAA" if not payload.endswith("AAA") else "BBB")
    walker = make_member(world.grassroots, 4, name="张伟")
    base_url = live_server.url

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        page = browser.new_context().new_page()
        log_in(page, base_url, "gate_east", PASSWORD)
        page.locator(f"#panel-checkin a[href='/events/{event.slug}/gate/']").click()
        result = page.locator("#scan-result")
        scan_input = page.locator("#scan-input")
        expect(scan_input).to_be_focused()

        def scan(text: str, expected: str) -> None:
            scan_input.fill(text)
            scan_input.press("Enter")
            expect(result).to_have_attribute("data-result", expected)
            expect(scan_input).to_have_value("")
            expect(scan_input).to_be_focused()

        # a typed code lets 李明 in; the same ticket again is a duplicate, with the first time
        scan(code.lower(), "ok")
        expect(result.locator("#result-holder")).to_have_text("李明")
        expect(result.locator("#result-booth")).to_have_text("花艺馆")
        scan(code, "duplicate")
        expect(result).to_contain_text(re.compile(r"\d{2}:\d{2}:\d{2}"))
        duplicate_said = result.locator("#result-message").text_content()
        # another event's ticket, a tampered payload, a cancelled ticket
        scan(other_payload, "other-event")
        scan(tampered, "forged")
        scan(cancelled_payload, "cancelled")
        expect(result).to_contain_text("王芳")

        # a walk-in: found by name and the last four digits of the mobile, let in at once
        page.locator("#gate-walk-in summary").click()
        walk_in = page.locator("#gate-walk-in")
        walk_in.locator("input[name='name']").fill("张伟")
        walk_in.locator("input[name='mobile_last4']").fill(walker.mobile[-4:])
        walk_in.locator("button[type='submit']").first.click()
        row = page.locator(f"#walk-in-found li[data-member='{walker.pk}']")
        row.locator(".walk-in-register").click()
        expect(page.locator("#scan-result")).to_have_attribute("data-result", "ok")
        expect(page.locator("#result-holder")).to_have_text("张伟")
        browser.close()

    walked_in = Registration.objects.get(event=event, member=walker)
    assert walked_in.state == Registration.State.REGISTERED
    assert walked_in.checked_in_at is not None
    assert member.check_ins.count() == 2  # the first, and the duplicate
    first = member.check_ins.get(duplicate_of=None)
    assert timezone.localtime(first.at).strftime("%H:%M:%S") in duplicate_said
