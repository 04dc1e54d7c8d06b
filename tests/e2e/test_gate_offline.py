"""The gate through a bad network: the browser goes offline, two tickets are scanned — a QR
payload checked by its signature on the device, a typed code against the device's list —
one of them twice, which the device refuses at once; the network comes back and the scans
are sent: the server holds each check-in once and one duplicate record naming the device;
offline again, the page reloads from the service worker's copy with its ticket list.

Debian's chromium against pytest-django's live server; every database write made before
Playwright starts, every wait an ``expect``.
"""

from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection
from playwright.sync_api import expect, sync_playwright

from laurel.events import services
from laurel.events.models import CheckIn, EventStaff
from tests.conftest import PASSWORD, make_member
from tests.e2e.test_journey import CHROMIUM_ARGS, log_in
from tests.events.conftest import event_factory, slot_of  # noqa: F401 - the fixture used


def check_ins_now() -> int:
    """The check-ins the server holds, read outside Playwright's event loop."""

    def count() -> int:
        try:
            return CheckIn.objects.count()
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(count).result()


@pytest.mark.browser
def test_scans_made_offline_are_checked_on_the_device_and_sent_once_when_back_online(
    live_server,
    world,
    make_user,
    event_factory,  # noqa: F811
):
    event = event_factory(booths={"花艺馆": [(9, 10, 5)]})
    flowers = slot_of(event, "花艺馆", 9)
    staff = make_user("checkin_staff", username="gate_east")
    EventStaff.objects.create(event=event, user=staff)

    def registered(n: int, name: str):
        return services.registration_create(
            acting_user=None,
            event=event,
            slot=flowers,
            member=make_member(world.grassroots, n, name=name),
        ).registration

    li, wang = registered(1, "李明"), registered(2, "王芳")
    li_payload = services.ticket_of(li).payload
    wang_code = services.ticket_of(wang).code
    gate = f"{live_server.url}/events/{event.slug}/gate/?device=东门1号"

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        context = browser.new_context()
        page = context.new_page()
        log_in(page, live_server.url, "gate_east", PASSWORD)
        page.goto(gate)
        status = page.locator("#gate-offline")
        expect(status.locator("#offline-list")).to_have_attribute("data-tickets", "2")
        # the page is kept by its service worker before the network goes
        expect(status).to_have_attribute("data-kept", "true")
        result = page.locator("#scan-result")
        scan_input = page.locator("#scan-input")

        def scan(text: str, expected: str) -> None:
            scan_input.fill(text)
            scan_input.press("Enter")
            expect(result).to_have_attribute("data-result", expected)
            expect(result).to_have_attribute("data-offline", "true")
            expect(scan_input).to_have_value("")

        context.set_offline(True)
        expect(status.locator("#offline-network")).to_have_attribute("data-online", "false")
        scan(li_payload, "ok")
        expect(result.locator("#result-holder")).to_have_text("李明")
        scan(li_payload, "duplicate")  # this device's own duplicate, refused at once
        expect(result.locator("#result-message")).to_contain_text("东门1号")
        scan("AAAA-AAAA", "forged")  # not on the list, never sent
        tampered = li_payload[:-3] + ("AAA" if not li_payload.endswith("AAA") else "BBB")
        scan(tampered, "forged")  # its signature fails on the device
        scan(wang_code.lower(), "ok")
        expect(result.locator("#result-holder")).to_have_text("王芳")
        expect(status.locator("#offline-pending")).to_have_attribute("data-pending", "3")
        assert check_ins_now() == 0  # nothing reached the server

        context.set_offline(False)
        # sent when the browser says it is online, else by the next try (every 10 s)
        expect(status.locator("#offline-pending")).to_have_attribute(
            "data-pending", "0", timeout=25_000
        )
        expect(status.locator("#offline-synced")).not_to_have_attribute("data-synced", "")
        expect(status.locator("#offline-problems")).to_be_hidden()

        # offline again, the page opens from the device's copy with its list and what it
        # knows: 李明 is in (nothing is left to send, so nothing more reaches the server)
        context.set_offline(True)
        page.reload()
        expect(status.locator("#offline-list")).to_have_attribute("data-tickets", "2")
        expect(status.locator("#offline-pending")).to_have_attribute("data-pending", "0")
        expect(page.locator("#scan-input")).to_be_visible()
        browser.close()

    firsts = CheckIn.objects.filter(duplicate_of__isnull=True)
    assert sorted(firsts.values_list("registration_id", flat=True)) == [li.pk, wang.pk]
    duplicate = CheckIn.objects.get(duplicate_of__isnull=False)
    assert duplicate.registration_id == li.pk
    assert duplicate.duplicate_of.device == duplicate.device == "东门1号"
    assert all(check_in.synced_at is not None for check_in in CheckIn.objects.all())
    li.refresh_from_db()
    assert li.checked_in_at == duplicate.duplicate_of.at < duplicate.at
