"""A browser journey through the carnival's registration: a unit admin registers a team for
a booth; a member signs up for a full booth and is put on the waiting list; the person
holding that place cancels, which moves the member up — and the member sees it.

Debian's chromium against pytest-django's live server; every database write made before
Playwright starts, every wait an ``expect``.
"""

import re

import pytest
from playwright.sync_api import expect, sync_playwright

from laurel.events import services
from laurel.events.models import Registration
from laurel.members.services import member_user_link
from tests.conftest import PASSWORD, make_member
from tests.e2e.test_journey import CHROMIUM_ARGS, log_in, submit
from tests.events.conftest import (  # noqa: F401 - fixtures the journey uses
    district_team,
    event_factory,
    slot_of,
)


@pytest.mark.browser
def test_a_team_registers_a_member_waits_and_moves_up_when_a_place_is_freed(
    live_server,
    world,
    users,
    make_user,
    event_factory,  # noqa: F811
    district_team,  # noqa: F811
):
    event = event_factory(booths={"花艺馆": [(9, 10, 1)], "剪纸馆": [(9, 11, 5)]})
    flowers = slot_of(event, "花艺馆", 9)
    make_user("unit_admin", world.district, username="yc_admin")
    waiting_user = make_user("member", world.grassroots, username="liming")
    member_user_link(
        acting_user=None, member=make_member(world.grassroots, 1, name="李明"), user=waiting_user
    )
    holder_user = make_user("member", world.grassroots, username="wangfang")
    holder = make_member(world.grassroots, 2, name="王芳")
    member_user_link(acting_user=None, member=holder, user=holder_user)
    holder.refresh_from_db()
    services.registration_create(acting_user=holder_user, event=event, slot=flowers, member=holder)
    base_url = live_server.url

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)

        # the unit admin registers the district's team for 剪纸馆
        admin = browser.new_context().new_page()
        log_in(admin, base_url, "yc_admin", PASSWORD)
        admin.goto(f"{base_url}/console/events/{event.slug}/register/?who=team")
        admin.locator(f"tr[data-team='{district_team.pk}'] a.button").click()
        expect(admin.locator("#team-members tbody tr")).to_have_count(3)
        admin.locator("label", has_text="剪纸馆").click()
        submit(admin, "#register-send")
        outcome = admin.locator("#outcomes tr[data-outcome]")
        expect(outcome).to_have_attribute("data-outcome", "registered")
        expect(outcome).to_contain_text(district_team.name)

        # 李明 finds 花艺馆 full and joins its waiting list
        waiting = browser.new_context().new_page()
        log_in(waiting, base_url, "liming", PASSWORD)
        waiting.goto(f"{base_url}/events/{event.slug}/")
        full_row = waiting.locator(f"tr[data-slot='{flowers.pk}']")
        expect(full_row).to_have_attribute("data-full", "1")
        full_row.locator("a[data-register]").click()
        submit(waiting, "#register-send")
        expect(waiting).to_have_url(re.compile(rf"^{base_url}/me/events/\d+/$"))
        expect(waiting.locator(".registration-state")).to_have_attribute("data-state", "waiting")
        expect(waiting.locator(".waiting-place")).to_have_attribute("data-place", "1")

        # 王芳 gives her place up
        giver = browser.new_context().new_page()
        log_in(giver, base_url, "wangfang", PASSWORD)
        giver.goto(f"{base_url}/me/events/")
        giver.locator("section.registration[data-state='registered'] .registration-cancel").click()
        expect(giver.locator("section.registration[data-state='cancelled']")).to_have_count(1)

        # 李明 has the place now, on his page and in his inbox
        waiting.goto(f"{base_url}/me/events/")
        expect(waiting.locator("section.registration")).to_have_attribute(
            "data-state", "registered"
        )
        waiting.goto(f"{base_url}/inbox/")
        expect(waiting.locator("main")).to_contain_text("花艺馆")
        browser.close()

    states = dict(Registration.objects.filter(event=event).values_list("member__name", "state"))
    assert states == {"王芳": "cancelled", "李明": "registered", None: "registered"}
