"""A teacher's roll call on a phone (惠工课堂, Events IV): the course's classes, today's first;
a class's roll call, where marking present then absent keeps one mark and the counts follow;
a member checked in at the gate shows so; before the roll call opens there are no buttons and
a mark is refused; the gate's keepers only (organisers, the check-in staff given the course)."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from laurel.audit.models import LogEntry
from laurel.events import services
from laurel.events.models import Event, EventStaff, RollCallMark
from laurel.events.views.console_gate_roll_call import ROLL_CALL_CHANGED
from tests.conftest import english_client, make_member
from tests.events.check_ins import scan

HTMX = {"HX-Request": "true"}
NOW = timezone.now()
TODAY = timezone.localtime(NOW).replace(hour=0, minute=0, second=0, microsecond=0)


def signed_in(user):
    client = english_client()
    client.force_login(user)
    return client


def course_make(admin, unit, *, slug: str, classes) -> Event:
    """An open course of ``unit`` with a class for each (topic, start, hours) of ``classes``."""
    starts = min(start for _, start, _ in classes)
    ends = max(start + timedelta(hours=hours) for _, start, hours in classes)
    course = services.event_create(
        acting_user=admin,
        slug=slug,
        kind=Event.Kind.COURSE,
        title="惠工课堂",
        venue="职工服务中心",
        starts_at=starts - timedelta(hours=1),
        ends_at=ends + timedelta(hours=1),
        unit=unit,
        registration_opens_at=NOW - timedelta(days=30),
        registration_closes_at=ends,
        completion_percent=80,
    )
    for topic, start, hours in classes:
        services.session_save(
            acting_user=admin,
            event=course,
            topic=topic,
            starts_at=start,
            ends_at=start + timedelta(hours=hours),
            teacher="王老师",
        )
    return services.event_state_set(acting_user=admin, event=course, state=Event.State.OPEN)


@pytest.fixture
def course(users, world):
    """A course of 永川区: a class held yesterday, one on now (started ten minutes ago: its
    roll call open) and one in two days (its roll call not open yet)."""
    now = timezone.now()
    return course_make(
        users["federation_admin"],
        world.district,
        slug="huigong-roll",
        classes=[
            ("昨天的课", now - timedelta(days=1), 2),
            ("正在上的课", now - timedelta(minutes=10), 2),
            ("后天的课", now + timedelta(days=2), 2),
        ],
    )


@pytest.fixture
def enrolled(course, world):
    return {
        name: services.registration_create(
            acting_user=None,
            event=course,
            member=make_member(world.grassroots, 700 + n, name=name),
        ).registration
        for n, name in enumerate(["张三", "李四", "王五"])
    }


def class_named(course, topic):
    return course.sessions.get(topic=topic)


def roll_call_url(course, session) -> str:
    return reverse("events:roll_call", args=[course.slug, session.pk])


def mark_url(course, session, registration) -> str:
    return reverse("events:roll_call_mark", args=[course.slug, session.pk, registration.pk])


def counts(html: str) -> dict[str, int]:
    return {k: int(v) for k, v in re.findall(r'id="count-(\w+)" data-count="(\d+)"', html)}


def states(html: str) -> dict[str, str]:
    """Each row's state, by the registration's pk."""
    return dict(re.findall(r'data-registration="(\d+)" data-state="(\w+)"', html))


@pytest.fixture
def teacher(course, make_user):
    """A check-in staff login given the course's gate: the teacher's phone."""
    user = make_user("checkin_staff")
    EventStaff.objects.create(event=course, user=user)
    return user


# --- the roll call ------------------------------------------------------------------------------


def test_the_open_roll_call_lists_every_member_with_two_buttons(course, enrolled, teacher):
    session = class_named(course, "正在上的课")
    response = signed_in(teacher).get(roll_call_url(course, session))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Class 2: 正在上的课" in html
    assert 'data-open="true"' in html
    assert states(html) == {str(r.pk): "unmarked" for r in enrolled.values()}
    assert counts(html) == {"present": 0, "absent": 0, "unmarked": 3, "total": 3}
    for registration in enrolled.values():
        assert html.count(f'action="{mark_url(course, session, registration)}"') == 2
    assert 'aria-label="张三: present"' in html
    assert 'aria-label="张三: absent"' in html


def test_marking_present_then_absent_keeps_one_mark_and_the_counts_follow(
    course, enrolled, teacher
):
    session = class_named(course, "正在上的课")
    client = signed_in(teacher)
    zhang = enrolled["张三"]
    response = client.post(mark_url(course, session, zhang), {"mark": "present"}, headers=HTMX)
    assert response.status_code == 200
    assert response["HX-Trigger"] == ROLL_CALL_CHANGED
    row = response.content.decode()
    assert states(row) == {str(zhang.pk): "present"}
    assert 'class="roll-call-present" aria-pressed="true"' in row
    counted = client.get(roll_call_url(course, session) + "?part=counts", headers=HTMX)
    assert counts(counted.content.decode()) == {
        "present": 1,
        "absent": 0,
        "unmarked": 2,
        "total": 3,
    }
    response = client.post(mark_url(course, session, zhang), {"mark": "absent"}, headers=HTMX)
    assert states(response.content.decode()) == {str(zhang.pk): "absent"}
    [mark] = RollCallMark.objects.filter(session=session, registration=zhang)
    assert mark.present is False
    assert mark.marked_by == teacher
    counted = client.get(roll_call_url(course, session) + "?part=counts", headers=HTMX)
    assert counts(counted.content.decode()) == {
        "present": 0,
        "absent": 1,
        "unmarked": 2,
        "total": 3,
    }
    assert LogEntry.objects.filter(action="events.roll_call.marked").count() == 2


def test_a_mark_without_htmx_goes_back_to_the_roll_call(course, enrolled, teacher):
    session = class_named(course, "正在上的课")
    response = signed_in(teacher).post(
        mark_url(course, session, enrolled["李四"]), {"mark": "present"}
    )
    assert response.status_code == 302
    assert response["Location"] == roll_call_url(course, session)
    assert RollCallMark.objects.get(registration=enrolled["李四"]).present is True


def test_a_mark_that_is_neither_present_nor_absent_is_a_bad_request(course, enrolled, teacher):
    session = class_named(course, "正在上的课")
    url = mark_url(course, session, enrolled["张三"])
    assert signed_in(teacher).post(url, {"mark": "maybe"}, headers=HTMX).status_code == 400
    assert not RollCallMark.objects.exists()


def test_a_member_checked_in_at_the_gate_shows_so_and_counts_present_unless_marked_absent(
    course, enrolled, teacher
):
    session = class_named(course, "正在上的课")
    wang = enrolled["王五"]
    scan(wang)  # now: inside the class's window
    client = signed_in(teacher)
    html = client.get(roll_call_url(course, session)).content.decode()
    assert states(html)[str(wang.pk)] == "checked_in"
    assert "Checked in at the gate" in html
    assert counts(html) == {"present": 1, "absent": 0, "unmarked": 2, "total": 3}
    row = client.post(mark_url(course, session, wang), {"mark": "absent"}, headers=HTMX)
    row = row.content.decode()
    assert states(row) == {str(wang.pk): "absent"}
    assert "Absent · checked in at the gate" in row
    html = client.get(roll_call_url(course, session)).content.decode()
    assert counts(html) == {"present": 0, "absent": 1, "unmarked": 2, "total": 3}


def test_the_name_filter_finds_the_rows_holding_it(course, enrolled, teacher):
    session = class_named(course, "正在上的课")
    client = signed_in(teacher)
    rows = client.get(roll_call_url(course, session) + "?part=rows&q=李", headers=HTMX)
    assert states(rows.content.decode()) == {str(enrolled["李四"].pk): "unmarked"}
    assert 'id="roll-call-counts"' not in rows.content.decode()  # the rows alone
    nobody = client.get(roll_call_url(course, session) + "?q=赵").content.decode()
    assert states(nobody) == {}
    assert "No member of this course has that name." in nobody


def test_before_the_roll_call_opens_there_are_no_buttons_and_a_mark_is_refused(
    course, enrolled, teacher
):
    session = class_named(course, "后天的课")
    client = signed_in(teacher)
    html = client.get(roll_call_url(course, session)).content.decode()
    opens = timezone.localtime(session.starts_at - timedelta(minutes=30))
    assert f"The roll call opens at {opens:%m-%d %H:%M}" in html
    assert "/mark/" not in html
    assert 'class="roll-call-present"' not in html
    zhang = enrolled["张三"]
    response = client.post(mark_url(course, session, zhang), {"mark": "present"}, headers=HTMX)
    assert response.status_code == 200
    assert "HX-Trigger" not in response
    assert "This class has not started yet: its roll call is not open." in response.content.decode()
    assert states(response.content.decode()) == {str(zhang.pk): "unmarked"}
    response = client.post(mark_url(course, session, zhang), {"mark": "present"}, follow=True)
    assert "its roll call is not open" in response.content.decode()
    assert not RollCallMark.objects.exists()


def test_a_member_no_longer_enrolled_is_refused_not_an_error(course, enrolled, teacher):
    session = class_named(course, "正在上的课")
    li = enrolled["李四"]
    services.registration_cancel(acting_user=None, registration=li)
    response = signed_in(teacher).post(
        mark_url(course, session, li), {"mark": "present"}, headers=HTMX
    )
    assert response.status_code == 200
    assert "Only a member enrolled in the course is on its roll." in response.content.decode()
    assert not RollCallMark.objects.exists()


# --- who takes it -------------------------------------------------------------------------------


def test_the_roll_call_is_the_gates_keepers_only(
    course, enrolled, teacher, users, world, make_user, client_as
):
    session = class_named(course, "正在上的课")
    url = roll_call_url(course, session)
    zhang = enrolled["张三"]
    mark = mark_url(course, session, zhang)
    assert client_as("unit_admin").get(url).status_code == 200  # organises 永川区's events
    assert signed_in(teacher).get(url).status_code == 200
    stranger = make_user("checkin_staff")  # check-in staff not given this course
    assert signed_in(stranger).get(url).status_code == 404
    assert signed_in(stranger).post(mark, {"mark": "present"}).status_code == 404
    other_district = make_user("unit_admin", world.other_district)
    assert signed_in(other_district).post(mark, {"mark": "present"}).status_code == 404
    assert client_as("member").get(url).status_code == 403
    assert client_as("member").post(mark, {"mark": "present"}).status_code == 403
    assert not RollCallMark.objects.exists()
    # a class of another course, or a registration of another event: not found
    other = course_make(
        users["federation_admin"],
        world.district,
        slug="other-course",
        classes=[("别的课", timezone.now() - timedelta(minutes=5), 1)],
    )
    foreign = other.sessions.get()
    assert client_as("unit_admin").get(roll_call_url(course, foreign)).status_code == 404
    stray = services.registration_create(
        acting_user=None, event=other, member=make_member(world.grassroots, 790)
    ).registration
    response = client_as("unit_admin").post(mark_url(course, session, stray), {"mark": "present"})
    assert response.status_code == 404


def test_only_a_course_has_a_roll_call(event_factory, world, client_as):
    carnival = event_factory(booths={}, unit=world.district)
    url = reverse("events:roll_call_classes", args=[carnival.slug])
    assert client_as("unit_admin").get(url).status_code == 404


# --- the classes, and the way in from the gate ---------------------------------------------------


def test_the_classes_come_today_first_then_those_to_come_then_those_held(users, world, make_user):
    noon = TODAY + timedelta(hours=12)
    course = course_make(
        users["federation_admin"],
        world.district,
        slug="huigong-list",
        classes=[
            ("三天前", noon - timedelta(days=3), 2),
            ("昨天", noon - timedelta(days=1), 2),
            ("今天", noon, 2),
            ("明天", noon + timedelta(days=1), 2),
            ("三天后", noon + timedelta(days=3), 2),
        ],
    )
    html = (
        signed_in(users["unit_admin"])
        .get(reverse("events:roll_call_classes", args=[course.slug]))
        .content.decode()
    )
    topics = re.findall(r"Class \d: ([^<]+)</span>", html)
    assert topics == ["今天", "明天", "三天后", "昨天", "三天前"]
    today = re.search(r'<section id="classes-today">.*?</section>', html, re.S).group(0)
    assert "今天" in today
    assert "明天" not in today
    tomorrow = course.sessions.get(topic="明天")
    opens = timezone.localtime(tomorrow.starts_at - timedelta(minutes=30))
    assert f"Roll call opens at {opens:%m-%d %H:%M}" in html
    assert "0 present · 0 absent · 0 not marked" in html  # the classes held


def test_the_gate_of_a_course_links_to_its_roll_call(course, teacher, event_factory, users):
    client = signed_in(teacher)
    gate = client.get(reverse("events:gate", args=[course.slug])).content.decode()
    assert reverse("events:roll_call_classes", args=[course.slug]) in gate
    carnival = event_factory(booths={})
    other = signed_in(users["federation_admin"]).get(reverse("events:gate", args=[carnival.slug]))
    assert 'id="gate-roll-call"' not in other.content.decode()
