"""The gate's camera, for real: chromium's fake camera plays a video of a ticket's QR code,
the page's reader (zxing-wasm, from npm, served as our static files) decodes it, and the
holder is let in — with nothing typed.

Chromium takes a camera from a file (``--use-file-for-fake-video-capture``: MJPEG, JPEG
frames one after another); the live server's ``localhost`` is a secure context, so the page
may ask for it.
"""

import io

import pytest
import segno
from PIL import Image
from playwright.sync_api import expect, sync_playwright

from laurel.events import services
from laurel.events.models import EventStaff, Registration
from tests.conftest import PASSWORD, make_member
from tests.e2e.test_journey import CHROMIUM_ARGS, log_in
from tests.events.conftest import event_factory, slot_of  # noqa: F401 - the fixture used


def camera_video(payload: str, path) -> None:
    """An MJPEG file of 30 frames of ``payload``'s QR code, as a phone would see it held up."""
    qr = io.BytesIO()
    segno.make(payload, error="m").save(qr, kind="png", scale=8, border=4)
    code = Image.open(qr).convert("RGB")
    frame = Image.new("RGB", (640, 480), "white")
    frame.paste(code, ((640 - code.width) // 2, (480 - code.height) // 2))
    jpeg = io.BytesIO()
    frame.save(jpeg, format="JPEG", quality=90)
    path.write_bytes(jpeg.getvalue() * 30)


@pytest.mark.browser
def test_the_camera_reads_a_ticket_and_the_holder_is_let_in(
    live_server,
    world,
    make_user,
    event_factory,  # noqa: F811
    tmp_path,
):
    event = event_factory(booths={"花艺馆": [(9, 10, 5)]})
    staff = make_user("checkin_staff", username="gate_camera")
    EventStaff.objects.create(event=event, user=staff)
    registration = services.registration_create(
        acting_user=None,
        event=event,
        slot=slot_of(event, "花艺馆", 9),
        member=make_member(world.grassroots, 77, name="孙八"),
    ).registration
    video = tmp_path / "ticket.mjpeg"
    camera_video(services.ticket_of(registration).payload, video)
    base_url = live_server.url.replace("127.0.0.1", "localhost")  # a secure context

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=[
                *CHROMIUM_ARGS,
                "--use-fake-ui-for-media-stream",
                "--use-fake-device-for-media-stream",
                f"--use-file-for-fake-video-capture={video}",
            ],
        )
        page = browser.new_context().new_page()
        log_in(page, base_url, "gate_camera", PASSWORD)
        page.goto(f"{base_url}/events/{event.slug}/gate/")
        start = page.locator("#scanner-start")
        expect(start).to_be_visible()  # a secure context with a camera and the library
        start.click()
        result = page.locator("#scan-result")
        expect(result).to_have_attribute("data-result", "ok", timeout=15_000)
        expect(result).to_contain_text("孙八")
        browser.close()

    registration.refresh_from_db()
    assert registration.checked_in_at is not None
    # the code stays in view: read once, never sent again
    assert Registration.objects.get(pk=registration.pk).check_ins.count() == 1
