"""A course's console page (惠工课堂, Events IV): its organisers only; the classes added,
changed and deleted (a class with attendance refused); the completion rule and the members by
standing; the attendance grid's cells for a known set of marks and check-ins, searched and
paged; the grid as a workbook (opened again, a formula-like name kept as text, audited); the
completion certificates issued from the page."""

import io
import re
from datetime import timedelta

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from laurel.audit.models import LogEntry
from laurel.events import services
from laurel.events.models import CourseCertificate, CourseSession, Event
from laurel.events.views import console_course
from tests.conftest import english_client, make_member
from tests.events.check_ins import scan
from tests.helpers import response_body

TODAY = timezone.localtime(timezone.now()).replace(hour=0, minute=0, second=0, microsecond=0)


def evening(days: int):
    """19:00 (Beijing time) ``days`` from today."""
    return TODAY + timedelta(days=days, hours=19)


def signed_in(user):
    client = english_client()
    client.force_login(user)
    return client


@pytest.fixture
def course(users, world):
    """An open course of 永川区 (the unit admin organises it), half of its classes to complete:
    two held (three days and two days ago) and one to come (in two days); 2 of 3 needed."""
    admin = users["federation_admin"]
    now = timezone.now()
    event = services.event_create(
        acting_user=admin,
        slug="huigong-test",
        kind=Event.Kind.COURSE,
        title="惠工课堂",
        venue="职工服务中心",
        starts_at=evening(-4),
        ends_at=evening(3),
        unit=world.district,
        registration_opens_at=now - timedelta(days=30),
        registration_closes_at=evening(2),
        completion_percent=50,
    )
    for number, day in enumerate((-3, -2, 2), 1):
        services.session_save(
            acting_user=admin,
            event=event,
            topic=f"第{number}课",
            starts_at=evening(day),
            ends_at=evening(day) + timedelta(hours=2),
            teacher="王老师",
        )
    return services.event_state_set(acting_user=admin, event=event, state=Event.State.OPEN)


def classes_of(event):
    return list(event.sessions.order_by("starts_at"))


def enrol(event, member):
    return services.registration_create(acting_user=None, event=event, member=member).registration


@pytest.fixture
def enrolled(course, world):
    """Three members enrolled: 张三, 李四, 王五 (in the grid's order: by name as stored)."""
    names = ["张三", "李四", "王五"]
    return {
        name: enrol(course, make_member(world.grassroots, 500 + n, name=name))
        for n, name in enumerate(names)
    }


def into(session):
    return session.starts_at + timedelta(minutes=10)


@pytest.fixture
def recorded(course, enrolled, users):
    """张三 checked in at class 1 and marked present at class 2 (completed); 李四 checked in
    at class 1 but marked absent there, nothing at class 2 (cannot complete); 王五 checked in
    at class 2 (on track)."""
    admin = users["federation_admin"]
    first, second, _ = classes_of(course)
    scan(enrolled["张三"], at=into(first))
    services.roll_call_mark(
        acting_user=admin, session=second, registration=enrolled["张三"], present=True
    )
    scan(enrolled["李四"], at=into(first))
    services.roll_call_mark(
        acting_user=admin, session=first, registration=enrolled["李四"], present=False
    )
    scan(enrolled["王五"], at=into(second))


def page_url(event, **query) -> str:
    url = reverse("events:console_course", args=[event.slug])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def grid_row(html: str, registration) -> list[tuple[str, str, str]]:
    """The cells of a member's grid row: (presence, how known, words) for each class."""
    match = re.search(rf'<tr id="grid-row-{registration.pk}".*?</tr>', html, re.S)
    assert match, f"no grid row for {registration}"
    return re.findall(
        r'data-presence="([\w-]+)" data-by="([\w-]*)">.*?aria-label="([^"]+)"', match.group(0)
    )


def grid_names(html: str) -> list[str]:
    return re.findall(r'<th scope="row" class="grid-name">([^<]+)</th>', html)


# --- who reaches the page ----------------------------------------------------------------------


def test_the_course_page_is_its_organisers_and_only_a_courses(
    course, users, world, make_user, event_factory, client_as
):
    url = page_url(course)
    assert client_as("unit_admin").get(url).status_code == 200  # organises 永川区's events
    assert client_as("federation_admin").get(url).status_code == 200
    other_district = make_user("unit_admin", world.other_district)
    assert signed_in(other_district).get(url).status_code == 404  # no oracle: not found
    assert client_as("member").get(url).status_code == 403
    anonymous = client_as("anonymous").get(url)
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith(reverse("accounts:login"))
    carnival = event_factory(booths={}, unit=world.district)
    assert client_as("unit_admin").get(page_url(carnival)).status_code == 404


def test_the_console_nav_has_a_course_tab_for_a_course_only(course, world, event_factory, users):
    client = signed_in(users["federation_admin"])
    detail = client.get(reverse("events:console_detail", args=[course.slug])).content.decode()
    assert 'id="nav-course"' in detail
    assert page_url(course) in detail
    carnival = event_factory(booths={})
    other = client.get(reverse("events:console_detail", args=[carnival.slug])).content.decode()
    assert 'id="nav-course"' not in other


# --- the classes, the rule, the standings -------------------------------------------------------


def test_the_page_shows_the_classes_the_completion_rule_and_the_members_by_standing(
    course, enrolled, recorded, users, world
):
    enrol(course, make_member(world.grassroots, 580, name="赵六"))  # never came: out of reach
    html = signed_in(users["unit_admin"]).get(page_url(course)).content.decode()
    first, second, third = classes_of(course)
    # present of enrolled, per class: 张三 (check-in) at 1; 张三 (roll call) and 王五 at 2
    for session, present in ((first, 1), (second, 2), (third, 0)):
        row = re.search(rf'<tr id="class-{session.pk}" data-present="(\d+)">(.*?)</tr>', html, re.S)
        assert row.group(1) == str(present)
        assert f"{present} of 4" in row.group(2)
        assert session.topic in row.group(2)
        assert "职工服务中心" in row.group(2)  # no place of its own: the course's venue
        hours = f"{timezone.localtime(session.starts_at):%H:%M}–"
        assert hours in row.group(2)
    assert 'data-percent="50" data-needed="2" data-classes="3"' in html
    assert "attending 50% of its classes: 2 of its 3 classes" in html
    counts = dict(re.findall(r'id="count-(\w+)" data-count="(\d+)"', html))
    assert counts == {"completed": "1", "on_track": "1", "out_of_reach": "2", "enrolled": "4"}
    # the bar: each standing's share of the members
    assert 'class="course-stack-completed width-25"' in html
    assert 'class="course-stack-on_track width-25"' in html
    assert 'class="course-stack-out_of_reach width-50"' in html


def test_the_grid_shows_each_members_presence_and_how_it_was_known(
    course, enrolled, recorded, users
):
    html = signed_in(users["federation_admin"]).get(page_url(course)).content.decode()
    assert grid_row(html, enrolled["张三"]) == [
        ("present", "check-in", "Present: checked in at the gate"),
        ("present", "roll-call", "Present: marked at the roll call"),
        ("to-come", "", "Not recorded yet"),
    ]
    assert grid_row(html, enrolled["李四"]) == [
        ("absent", "roll-call", "Absent: marked at the roll call, though checked in at the gate"),
        ("absent", "", "Absent"),
        ("to-come", "", "Not recorded yet"),
    ]
    assert grid_row(html, enrolled["王五"]) == [
        ("absent", "", "Absent"),
        ("present", "check-in", "Present: checked in at the gate"),
        ("to-come", "", "Not recorded yet"),
    ]
    attended = dict(
        re.findall(r'id="grid-row-(\d+)".*?class="num grid-attended">([^<]+)</td>', html, re.S)
    )
    assert attended == {
        str(enrolled["张三"].pk): "2 / 2",
        str(enrolled["李四"].pk): "0 / 2",
        str(enrolled["王五"].pk): "1 / 2",
    }
    standing = re.search(rf'id="grid-row-{enrolled["李四"].pk}"[^>]*data-standing="(\w+)"', html)
    assert standing.group(1) == "out_of_reach"


def test_the_grid_is_searched_by_name_and_paged(course, enrolled, users, monkeypatch):
    client = signed_in(users["federation_admin"])
    assert grid_names(client.get(page_url(course)).content.decode()) == ["张三", "李四", "王五"]
    assert grid_names(client.get(page_url(course, q="李")).content.decode()) == ["李四"]
    nobody = client.get(page_url(course, q="赵")).content.decode()
    assert grid_names(nobody) == []
    assert "No member of this course has that name." in nobody
    monkeypatch.setattr(console_course, "ROWS_PER_PAGE", 2)
    assert grid_names(client.get(page_url(course)).content.decode()) == ["张三", "李四"]
    assert grid_names(client.get(page_url(course, page=2)).content.decode()) == ["王五"]


def test_the_page_takes_as_many_queries_whatever_the_number_of_members(
    course, enrolled, recorded, users, world
):
    client = signed_in(users["federation_admin"])
    client.get(page_url(course))  # the session and the caches warmed
    with CaptureQueriesContext(connection) as few:
        assert client.get(page_url(course)).status_code == 200
    for n in range(6):
        enrol(course, make_member(world.grassroots, 600 + n, name=f"学员{n}"))
    with CaptureQueriesContext(connection) as more:
        assert client.get(page_url(course)).status_code == 200
    assert len(more) == len(few)


# --- classes added, changed, deleted ------------------------------------------------------------


def class_data(**fields) -> dict:
    start = timezone.localtime(evening(5))
    data = {
        "topic": "劳动法讲座",
        "starts_at": f"{start:%Y-%m-%dT%H:%M}",
        "ends_at": f"{start + timedelta(hours=2):%Y-%m-%dT%H:%M}",
        "place": "三楼教室",
        "teacher": "刘律师",
    }
    return data | fields


def test_a_class_is_added_from_the_page(course, users):
    response = signed_in(users["unit_admin"]).post(page_url(course), class_data())
    assert response.status_code == 302
    added = course.sessions.get(topic="劳动法讲座")
    assert added.starts_at == evening(5)
    assert added.ends_at == evening(5) + timedelta(hours=2)
    assert (added.place, added.teacher) == ("三楼教室", "刘律师")
    assert LogEntry.objects.filter(action="events.session.added", object_id=str(added.pk)).exists()


def test_a_class_refused_shows_why_on_the_form_and_keeps_what_was_typed(course, users):
    start = timezone.localtime(evening(5))
    data = class_data(ends_at=f"{start - timedelta(hours=1):%Y-%m-%dT%H:%M}")
    response = signed_in(users["unit_admin"]).post(page_url(course), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "The class must end after it starts." in html
    assert 'value="劳动法讲座"' in html
    assert 'value="刘律师"' in html
    assert not course.sessions.filter(topic="劳动法讲座").exists()


def test_a_class_is_changed_and_one_without_attendance_deleted(course, users):
    client = signed_in(users["unit_admin"])
    third = classes_of(course)[2]
    url = reverse("events:console_course_class", args=[course.slug, third.pk])
    page = client.get(url).content.decode()
    assert "Class 3: 第3课" in page
    response = client.post(url, {"action": "save", **class_data(topic="第3课 安全生产")})
    assert response.status_code == 302
    third.refresh_from_db()
    assert (third.topic, third.starts_at) == ("第3课 安全生产", evening(5))
    response = client.post(url, {"action": "delete"})
    assert response.status_code == 302
    assert not CourseSession.objects.filter(pk=third.pk).exists()
    assert LogEntry.objects.filter(action="events.session.deleted").count() == 1


def test_a_class_with_attendance_is_not_deleted_nor_moved(course, enrolled, recorded, users):
    client = signed_in(users["unit_admin"])
    first = classes_of(course)[0]
    url = reverse("events:console_course_class", args=[course.slug, first.pk])
    response = client.post(url, {"action": "delete"}, follow=True)
    assert CourseSession.objects.filter(pk=first.pk).exists()
    assert "This class has attendance recorded: it cannot be deleted." in (
        response.content.decode()
    )
    moved = class_data(topic="第1课 改", place="", teacher="王老师")
    response = client.post(url, {"action": "save", **moved})
    assert response.status_code == 200
    html = response.content.decode()
    assert "its times cannot change any more" in html
    assert 'value="第1课 改"' in html  # nothing typed is lost
    first.refresh_from_db()
    assert (first.topic, first.starts_at) == ("第1课", evening(-3))
    # the same times to the minute and a new topic: saved (the form, showing minutes, keeps
    # the seconds as stored)
    CourseSession.objects.filter(pk=first.pk).update(starts_at=evening(-3) + timedelta(seconds=30))
    first.refresh_from_db()
    kept = {
        "topic": "第1课 工会法",
        "starts_at": f"{timezone.localtime(first.starts_at):%Y-%m-%dT%H:%M}",
        "ends_at": f"{timezone.localtime(first.ends_at):%Y-%m-%dT%H:%M}",
        "place": "",
        "teacher": "王老师",
    }
    assert client.post(url, {"action": "save", **kept}).status_code == 302
    first.refresh_from_db()
    assert first.topic == "第1课 工会法"
    assert first.starts_at == evening(-3) + timedelta(seconds=30)


def test_a_class_of_another_course_is_not_found(course, users, world):
    admin = users["federation_admin"]
    other = services.event_create(
        acting_user=admin,
        slug="other-course",
        kind=Event.Kind.COURSE,
        title="另一课程",
        venue="礼堂",
        starts_at=evening(1),
        ends_at=evening(9),
        unit=world.district,
        registration_opens_at=timezone.now(),
        registration_closes_at=evening(1),
    )
    foreign = services.session_save(
        acting_user=admin,
        event=other,
        topic="别的课",
        starts_at=evening(2),
        ends_at=evening(2) + timedelta(hours=1),
    )
    url = reverse("events:console_course_class", args=[course.slug, foreign.pk])
    assert signed_in(admin).get(url).status_code == 404


# --- the workbook -------------------------------------------------------------------------------


def test_the_grid_downloads_as_a_workbook_a_formula_like_name_kept_as_text(
    course, enrolled, recorded, users, world
):
    trap = enrol(course, make_member(world.grassroots, 590, name="=1+1"))
    admin = users["unit_admin"]
    services.roll_call_mark(
        acting_user=admin, session=classes_of(course)[0], registration=trap, present=True
    )
    response = signed_in(admin).get(page_url(course, export="xlsx"))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert f'filename="{course.slug}-attendance.xlsx"' in response["Content-Disposition"]
    book = openpyxl.load_workbook(io.BytesIO(response_body(response)))
    grid = book.worksheets[0]
    cells = list(grid.iter_rows())
    values = [[cell.value for cell in row] for row in cells]
    first, second, third = classes_of(course)
    day = f"{timezone.localtime(first.starts_at):%m-%d}"
    assert values[0][:3] == ["Name", "Unit", f"1. {day} 第1课"]
    assert values[0][5:] == ["Classes attended", "Classes needed", "Standing"]
    rows = {row[0]: row[1:] for row in values[1:]}
    assert rows["张三"] == ["机关工会", "Present", "Present", "—", 2, 2, "Completed"]
    assert rows["李四"] == ["机关工会", "Absent", "Absent", "—", 0, 2, "Cannot complete"]
    assert rows["王五"] == ["机关工会", "Absent", "Present", "—", 1, 2, "On track"]
    assert rows["'=1+1"] == ["机关工会", "Present", "Absent", "—", 1, 2, "On track"]
    assert all(cell.data_type != "f" for row in cells for cell in row)
    classes = [[cell.value for cell in row] for row in book.worksheets[1].iter_rows()]
    assert classes[1][3:] == ["第1课", "职工服务中心", "王老师", 2, 4]  # 张三 and "=1+1"
    assert classes[1][1] == timezone.localtime(first.starts_at).replace(tzinfo=None)
    entry = LogEntry.objects.get(action="events.attendance.exported")
    assert entry.data == {"event": course.slug, "rows": 4, "filters": {}}
    assert entry.actor == admin


# --- completion certificates --------------------------------------------------------------------


def test_issuing_certificates_from_the_page_says_how_many_and_a_second_time_issues_none(
    course, enrolled, recorded, users
):
    client = signed_in(users["unit_admin"])
    url = reverse("events:console_course_certificates_issue", args=[course.slug])
    response = client.post(url, follow=True)
    html = response.content.decode()
    assert "1 completion certificate issued." in html
    [certificate] = CourseCertificate.objects.filter(event=course)
    assert certificate.registration == enrolled["张三"]
    assert f'id="certificate-{certificate.number}" data-valid="true"' in html
    assert reverse("events:console_course_certificate", args=[certificate.number]) in html
    again = client.post(url, follow=True).content.decode()
    assert "0 completion certificates issued." in again
    assert CourseCertificate.objects.filter(event=course).count() == 1
    # a roll call corrected: 张三 no longer completes, the certificate is revoked
    services.roll_call_mark(
        acting_user=users["unit_admin"],
        session=classes_of(course)[1],
        registration=enrolled["张三"],
        present=False,
    )
    corrected = client.post(url, follow=True).content.decode()
    assert "1 certificate revoked" in corrected
    assert f'id="certificate-{certificate.number}" data-valid="false"' in corrected


def test_issuing_certificates_is_its_organisers(course, users, world, make_user, client_as):
    url = reverse("events:console_course_certificates_issue", args=[course.slug])
    other_district = make_user("unit_admin", world.other_district)
    assert signed_in(other_district).post(url).status_code == 404
    assert client_as("member").post(url).status_code == 403
    assert not LogEntry.objects.filter(action="events.certificates.issued").exists()
