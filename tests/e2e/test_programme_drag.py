"""A browser journey through a performance's programme: the organiser drags the fourth act to
the top by its handle; the order is sent at once and the programme comes back as saved — the
numbers and start times counted again — and a reload shows it so.

Debian's chromium against pytest-django's live server; the acts made before Playwright
starts, every wait an ``expect``.
"""

import pytest
from playwright.sync_api import expect, sync_playwright

from laurel.events import services
from laurel.events.models import Act, Event
from tests.conftest import PASSWORD
from tests.e2e.test_journey import CHROMIUM_ARGS, log_in
from tests.events.conftest import event_factory  # noqa: F401 - the fixture the journey uses

ACTS = [("开场歌舞", 300), ("诗朗诵", 180), ("舞蹈", 240), ("杂技", 360)]


@pytest.mark.browser
def test_an_act_dragged_to_the_top_is_saved_in_its_new_place(
    live_server,
    users,
    make_user,
    event_factory,  # noqa: F811
):
    event = event_factory(booths={}, kind=Event.Kind.PERFORMANCE, title="送文化到基层")
    for title, seconds in ACTS:
        services.act_save(
            acting_user=users["federation_admin"],
            event=event,
            title=title,
            duration_seconds=seconds,
        )
    make_user("federation_admin", username="stage_manager")
    base_url = live_server.url

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        try:
            page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
            page.set_default_timeout(5000)
            log_in(page, base_url, "stage_manager", PASSWORD)
            page.goto(f"{base_url}/console/events/{event.slug}/programme/")
            rows = page.locator("#programme-acts tbody tr")
            expect(rows).to_have_count(4)
            expect(page.locator("#programme-acts tbody[data-sortable-ready]")).to_have_count(1)

            handle = rows.nth(3).locator(".drag-handle").bounding_box()
            top = rows.nth(0).bounding_box()
            x = handle["x"] + handle["width"] / 2
            y = handle["y"] + handle["height"] / 2
            page.mouse.move(x, y)
            page.mouse.down()
            for step in range(1, 31):  # in small steps, as a hand would
                page.mouse.move(x, y + (top["y"] + 3 - y) * step / 30)
                page.wait_for_timeout(15)
            page.mouse.up()

            expect(page.locator("#programme-order-saved")).to_be_visible()
            titles = page.locator("#programme-acts tbody .act-title")
            expect(titles).to_have_text(["杂技", "开场歌舞", "诗朗诵", "舞蹈"])
            expect(page.locator("#programme-acts tbody .act-number")).to_have_text(
                ["1", "2", "3", "4"]
            )
            expect(page.locator("#programme-acts tbody .act-offset")).to_have_text(
                ["00:00", "06:00", "11:00", "14:00"]
            )
            page.reload()
            expect(titles).to_have_text(["杂技", "开场歌舞", "诗朗诵", "舞蹈"])
        finally:
            browser.close()
    saved = Act.objects.filter(event=event).order_by("position").values_list("title", flat=True)
    assert list(saved) == ["杂技", "开场歌舞", "诗朗诵", "舞蹈"]
