"""A browser journey through a course (惠工课堂): the teacher takes the roll call of the class
on now on a phone — finds a member by name, taps Present for her and Absent for another, the
rows and the counts changing without a reload; the organiser issues the completion
certificates; the member sees her progress (two of three classes, completed) and downloads
her certificate (结业证书), a PDF naming her and the course.

Debian's chromium against pytest-django's live server; every database write made before
Playwright starts (a read inside goes through a thread), every wait an ``expect``.
"""

import io
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect, sync_playwright
from pypdf import PdfReader

from laurel.events import services
from laurel.events.models import Event, Registration, RollCallMark
from laurel.members.services import member_user_link
from tests.conftest import PASSWORD, make_member
from tests.e2e.test_journey import CHROMIUM_ARGS, log_in
from tests.events.check_ins import scan

PHONE = {"width": 390, "height": 844}
TITLE = "惠工课堂太极拳班"
MEMBER = "李明"
CLASSMATES = ("张伟", "王芳", "赵敏")
TAP_TARGET = 44  # px: the least height a finger hits reliably


def course_with_classes(admin, unit) -> Event:
    """An open course of ``unit``, 60 % of its classes to complete it (2 of 3): a class a week
    ago, one three days ago, and one that started ten minutes ago (its roll call open)."""
    now = timezone.now()
    starts = [now - timedelta(days=7), now - timedelta(days=3), now - timedelta(minutes=10)]
    course = services.event_create(
        acting_user=admin,
        slug="huigong-journey",
        kind=Event.Kind.COURSE,
        title=TITLE,
        venue="职工服务中心",
        starts_at=starts[0] - timedelta(hours=1),
        ends_at=starts[-1] + timedelta(hours=3),
        unit=unit,
        registration_opens_at=now - timedelta(days=30),
        registration_closes_at=starts[-1] + timedelta(hours=2),
        completion_percent=60,
    )
    for number, start in enumerate(starts, 1):
        services.session_save(
            acting_user=admin,
            event=course,
            topic=f"第{number}课",
            starts_at=start,
            ends_at=start + timedelta(hours=2),
            teacher="王老师",
        )
    return services.event_state_set(acting_user=admin, event=course, state=Event.State.OPEN)


def marks_now(session_id: int) -> dict[str, tuple[bool, str]]:
    """The roll-call marks the server holds for a class — each member's name: (present, who
    marked) — read outside Playwright's event loop."""

    def read() -> dict[str, tuple[bool, str]]:
        try:
            marks = RollCallMark.objects.filter(session_id=session_id).select_related(
                "registration__member", "marked_by"
            )
            return {m.registration.member.name: (m.present, m.marked_by.username) for m in marks}
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(read).result()


def pdf_text(pdf: bytes) -> str:
    """The text of every page, without spaces or line breaks (the heading is spaced out)."""
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    return "".join(text.split())


def counts_are(page: Page, **expected: int) -> None:
    for name, count in expected.items():
        expect(page.locator(f"#count-{name}")).to_have_attribute("data-count", str(count))


def fits_the_phone(page: Page) -> None:
    """Nothing wider than the screen: the page does not scroll sideways."""
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} is {width} px wide"


@pytest.mark.browser
def test_a_teacher_takes_the_roll_call_on_a_phone_and_the_member_downloads_her_certificate(
    live_server, world, users, make_user
):
    course = course_with_classes(users["federation_admin"], world.district)
    first, second, running = course.sessions.order_by("starts_at")
    teacher = make_user("checkin_staff", username="teacher_wang")
    services.staff_add(acting_user=users["federation_admin"], event=course, user=teacher)
    make_user("unit_admin", world.district, username="yc_admin")  # organises 永川区's events
    member_login = make_user("member", world.grassroots, username="liming")
    enrolled: dict[str, Registration] = {}
    for n, name in enumerate((MEMBER, *CLASSMATES), 1):
        member = make_member(world.grassroots, 800 + n, name=name)
        if name == MEMBER:
            member_user_link(acting_user=None, member=member, user=member_login)
            member.refresh_from_db()
        enrolled[name] = services.registration_create(
            acting_user=None, event=course, member=member
        ).registration
    # 李明: present at the first class by the roll call, absent from the second — one of three
    for session, present in ((first, True), (second, False)):
        services.roll_call_mark(
            acting_user=teacher,
            session=session,
            registration=enrolled[MEMBER],
            present=present,
            now=session.starts_at + timedelta(minutes=15),
        )
    scan(enrolled["张伟"], at=first.starts_at + timedelta(minutes=5))  # one class only
    li, wang = enrolled[MEMBER], enrolled["王芳"]
    base_url = live_server.url
    classes_url = base_url + reverse("events:roll_call_classes", args=[course.slug])
    console_url = base_url + reverse("events:console_course", args=[course.slug])
    my_course_url = base_url + reverse("events:my_course", args=[course.slug])

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        try:
            # --- the teacher, on a phone: the class on now, then its roll call ------------
            phone = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
            page = phone.new_page()
            page.set_default_timeout(5000)
            log_in(page, base_url, "teacher_wang", PASSWORD)
            page.goto(classes_url)
            running_class = page.locator(f"#roll-call-class-{running.pk}")
            expect(running_class).to_have_attribute("data-open", "true")
            link = running_class.locator("a")
            assert link.bounding_box()["height"] >= TAP_TARGET
            fits_the_phone(page)
            link.tap()
            expect(page.locator("#roll-call-class")).to_have_attribute("data-open", "true")
            rows = page.locator("#roll-call-rows li.roll-call-row")
            expect(rows).to_have_count(4)
            counts_are(page, present=0, absent=0, unmarked=4, total=4)
            # marked on this page from now on: a reload would lose it
            page.evaluate("window.journeyPageKept = true")

            li_row = page.locator(f"#roll-call-row-{li.pk}")
            page.locator("#roll-call-q").fill(MEMBER)
            expect(rows).to_have_count(1)
            expect(li_row).to_have_attribute("data-state", "unmarked")
            li_row.locator("button.roll-call-present").tap()
            expect(li_row).to_have_attribute("data-state", "present")
            expect(li_row.locator("button.roll-call-present")).to_have_attribute(
                "aria-pressed", "true"
            )
            counts_are(page, present=1, absent=0, unmarked=3, total=4)

            wang_row = page.locator(f"#roll-call-row-{wang.pk}")
            page.locator("#roll-call-q").fill("王芳")
            expect(rows).to_have_count(1)
            expect(wang_row).to_be_visible()
            wang_row.locator("button.roll-call-absent").tap()
            expect(wang_row).to_have_attribute("data-state", "absent")
            expect(wang_row.locator("button.roll-call-absent")).to_have_attribute(
                "aria-pressed", "true"
            )
            counts_are(page, present=1, absent=1, unmarked=2, total=4)

            page.locator("#roll-call-q").fill("")
            expect(rows).to_have_count(4)
            expect(li_row).to_have_attribute("data-state", "present")
            expect(wang_row).to_have_attribute("data-state", "absent")
            assert page.evaluate("window.journeyPageKept") is True  # no page was loaded
            buttons = page.locator("#roll-call-rows button[type=submit]")
            expect(buttons).to_have_count(8)
            heights = [box["height"] for box in (b.bounding_box() for b in buttons.all())]
            assert min(heights) >= TAP_TARGET, heights
            fits_the_phone(page)
            assert marks_now(running.pk) == {
                MEMBER: (True, "teacher_wang"),
                "王芳": (False, "teacher_wang"),
            }
            phone.close()

            # --- the organiser issues the completion certificates -------------------------
            desk = browser.new_context(viewport={"width": 1280, "height": 900})
            page = desk.new_page()
            page.set_default_timeout(5000)
            log_in(page, base_url, "yc_admin", PASSWORD)
            page.goto(console_url)
            expect(page.locator("#no-certificates")).to_be_visible()
            expect(page.locator("#count-completed")).to_have_attribute("data-count", "1")
            page.locator("#certificates-issue button[type=submit]").click()
            expect(page.locator(".messages .message.success")).to_be_visible()
            issued = page.locator("#certificates-table tbody tr")
            expect(issued).to_have_count(1)
            expect(issued).to_have_attribute("data-valid", "true")
            expect(issued).to_contain_text(MEMBER)
            number = issued.get_attribute("id").removeprefix("certificate-")
            desk.close()

            # --- the member: her progress and her certificate -----------------------------
            own = browser.new_context(viewport={"width": 1280, "height": 900})
            page = own.new_page()
            page.set_default_timeout(5000)
            log_in(page, base_url, "liming", PASSWORD)
            page.goto(my_course_url)
            progress = page.locator("#course-progress")
            expect(progress).to_have_attribute("data-standing", "completed")
            expect(progress).to_have_attribute("data-attended", "2")
            expect(progress).to_have_attribute("data-classes", "3")
            expect(progress).to_have_attribute("data-needed", "2")
            expect(page.locator("#course-figures .figure")).to_have_text("2 / 3")
            presences = page.locator("tr.course-class")
            expect(presences).to_have_count(3)
            at_classes = ("present", "absent", "present")  # marked, absent, marked now
            for row, presence in zip(presences.all(), at_classes, strict=True):
                expect(row).to_have_attribute("data-presence", presence)
            expect(page.locator("#course-certificate")).to_have_attribute("data-number", number)
            with page.expect_download() as downloading:
                page.locator("#course-certificate-download").click()
            download = downloading.value
            assert download.suggested_filename == f"certificate-{number}.pdf"
            pdf = Path(download.path()).read_bytes()
            own.close()
        finally:
            browser.close()

    assert pdf.startswith(b"%PDF")
    text = pdf_text(pdf)
    assert "结业证书" in text
    assert MEMBER in text
    assert TITLE in text
    assert number in text
