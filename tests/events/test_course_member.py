"""A course seen by its member, by the public and by its organisers' form: the member's own
progress (each class's presence and how it was known, the standing) and their certificate's
download; the course's public page (its classes, the completion rule, its showcases' acts);
the event form's completion share and showcase."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import translation

from laurel.core.completion import Progress
from laurel.events import services
from laurel.events.models import Event
from laurel.events.views.member_course import standing_sentence
from laurel.members.services import member_user_link
from tests.conftest import english_client, make_member
from tests.events.courses import (
    checked_in,
    classes_of,
    course_create,
    enrol,
    evening,
    marked,
)
from tests.events.test_console import event_form_data


def signed_in(user):
    client = english_client()
    client.force_login(user)
    return client


def html_of(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


@pytest.fixture
def course(world, users):
    """永川区's course of six classes, four held and two to come; half to attend (3)."""
    return course_create(
        users["federation_admin"], world.district, days=(-30, -20, -10, -5, 5, 10), percent=50
    )


@pytest.fixture
def enrolment(course, users, member_self, world):
    """李明: checked in at the first; checked in but marked absent at the second; marked
    present at the third; nothing at the fourth, where a classmate was marked present (its
    roll call taken); the last two to come."""
    admin = users["federation_admin"]
    registration = enrol(course, member_self)
    first, second, third, fourth, *_ = classes_of(course)
    checked_in(registration, first)
    checked_in(registration, second)
    marked(admin, registration, second, present=False)
    marked(admin, registration, third, present=True)
    marked(admin, enrol(course, make_member(world.district, 61)), fourth, present=True)
    return registration


def my_course(client, course):
    return client.get(reverse("events:my_course", args=[course.slug]))


# --- the member's progress ------------------------------------------------------------------


def test_the_member_sees_each_class_and_how_their_presence_was_known(course, enrolment, users):
    html = html_of(my_course(signed_in(users["member"]), course))

    rows = re.findall(
        r'<tr class="course-class" data-session="(\d+)" data-presence="(\w+)">.*?'
        r'class-presence">([^<]+)</span>(?: <span class="muted class-how">([^<]+)</span>)?',
        html,
        re.S,
    )
    assert [int(session) for session, *_ in rows] == [s.pk for s in classes_of(course)]
    assert [(presence, label, how) for _session, presence, label, how in rows] == [
        ("present", "Present", "checked in at the gate"),
        ("absent", "Absent", "marked absent in the roll call"),
        ("present", "Present", "marked present in the roll call"),
        ("absent", "Absent", "no check-in and no roll-call mark"),
        ("to_come", "Not recorded yet", ""),
        ("to_come", "Not recorded yet", ""),
    ]
    assert 'data-standing="on_track" data-attended="2" data-classes="6" data-needed="3"' in html
    assert "3 needed to complete the course (50 % of its classes)" in html
    assert 'data-checked-in="2" data-holding="6"' in html  # the bar: 2 of 6
    assert "Attend 1 more of the 2 classes to come to complete it." in html
    assert 'id="course-certificate-download"' not in html


@translation.override("en")
def test_the_standing_sentences():
    assert standing_sentence(Progress(8, 10, 0, 8)) == "You have completed the course."
    assert standing_sentence(Progress(5, 10, 4, 8)) == (
        "Attend 3 more of the 4 classes to come to complete it."
    )
    assert standing_sentence(Progress(5, 10, 2, 8)) == (
        "You can no longer reach 8 classes: the course cannot be completed."
    )
    assert standing_sentence(Progress(0, 0, 0, 0)) == "The course has no classes yet."


def test_a_member_not_enrolled_or_enrolled_through_a_team_finds_no_course(
    course, enrolment, world, users, make_user, district_team, event_factory, member_self
):
    stranger = make_user("member", world.grassroots)
    assert my_course(signed_in(stranger), course).status_code == 404
    leader = make_user("member", world.district)
    member_user_link(acting_user=None, member=district_team.leader, user=leader)
    services.registration_create(acting_user=users["unit_admin"], event=course, team=district_team)
    assert my_course(signed_in(leader), course).status_code == 404
    # the member's own page of another course they are not in, and of a carnival
    other = course_create(users["federation_admin"], world.district, slug="other-course")
    assert my_course(signed_in(users["member"]), other).status_code == 404
    carnival = event_factory(booths={})
    services.registration_create(acting_user=None, event=carnival, member=member_self)
    assert my_course(signed_in(users["member"]), carnival).status_code == 404
    assert my_course(signed_in(users["member"]), course).status_code == 200


def test_the_page_needs_a_person_signed_in(course, enrolment, client_as, make_user):
    url = reverse("events:my_course", args=[course.slug])
    anonymous = client_as("anonymous").get(url)
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith(reverse("accounts:login"))
    assert signed_in(make_user("checkin_staff")).get(url).status_code == 403


def test_the_registrations_link_to_the_progress_of_a_course_only(
    course, enrolment, event_factory, users, member_self
):
    carnival = event_factory(booths={})
    services.registration_create(acting_user=None, event=carnival, member=member_self)
    progress = reverse("events:my_course", args=[course.slug])

    client = signed_in(users["member"])
    mine = html_of(client.get(reverse("events:mine")))
    own = html_of(client.get(reverse("events:registration", args=[enrolment.pk])))

    assert mine.count('class="registration-course"') == 1
    assert f'<a class="registration-course" href="{progress}">My progress</a>' in mine
    assert f'href="{progress}"' in own


# --- the certificate's download -------------------------------------------------------------


@pytest.fixture
def completed(course, enrolment, users):
    """李明 at a fourth class: three of six, completed; the certificates issued."""
    marked(users["federation_admin"], enrolment, classes_of(course)[3], present=True)
    [certificate] = services.certificates_issue(
        acting_user=users["federation_admin"], event=course
    ).issued
    return certificate


def test_the_holder_downloads_their_certificate_from_their_page(course, completed, users):
    client = signed_in(users["member"])
    html = html_of(my_course(client, course))
    assert "You have completed the course." in html
    download = reverse("events:my_course_certificate", args=[course.slug])
    assert f'id="course-certificate-download" href="{download}"' in html

    response = client.get(download)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert completed.number in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"] or "no-cache" in response["Cache-Control"]


def test_only_the_holder_downloads_it_and_only_once_issued(
    course, enrolment, users, world, make_user
):
    url = reverse("events:my_course_certificate", args=[course.slug])
    holder = signed_in(users["member"])
    assert holder.get(url).status_code == 404  # not issued yet
    classmate = make_user("member", world.grassroots)
    member = make_member(world.grassroots, 7, name="张伟")
    member_user_link(acting_user=None, member=member, user=classmate)
    enrol(course, member)  # enrolled, attending nothing: no certificate of their own
    admin = users["federation_admin"]
    marked(admin, enrolment, classes_of(course)[3], present=True)
    services.certificates_issue(acting_user=admin, event=course)

    assert holder.get(url).status_code == 200
    assert signed_in(classmate).get(url).status_code == 404


def test_a_revoked_certificate_downloads_for_no_one(course, completed, enrolment, users):
    admin = users["federation_admin"]
    marked(admin, enrolment, classes_of(course)[3], present=False)
    services.certificates_issue(acting_user=admin, event=course)

    mine = signed_in(users["member"]).get(
        reverse("events:my_course_certificate", args=[course.slug])
    )
    console = signed_in(admin).get(
        reverse("events:console_course_certificate", args=[completed.number])
    )

    assert (mine.status_code, console.status_code) == (404, 404)
    assert 'id="course-certificate-download"' not in html_of(
        my_course(signed_in(users["member"]), course)
    )


def test_the_console_copy_is_the_course_organisers_only(completed, world, users, make_user):
    url = reverse("events:console_course_certificate", args=[completed.number])
    for organiser in (users["federation_admin"], users["unit_admin"]):
        response = signed_in(organiser).get(url)
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
    assert signed_in(make_user("unit_admin", world.other_district)).get(url).status_code == 404
    assert signed_in(users["member"]).get(url).status_code == 403  # the holder: their own page


# --- the public page ------------------------------------------------------------------------


def showcase_create(course, users, *, state=Event.State.OPEN, title="惠工课堂成果展演"):
    admin = users["federation_admin"]
    starts = evening(15)
    showcase = services.event_create(
        acting_user=admin,
        slug=f"showcase-{state}",
        kind=Event.Kind.PERFORMANCE,
        title=title,
        venue="职工文化宫",
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        unit=course.unit,
        registration_opens_at=starts - timedelta(days=30),
        registration_closes_at=starts - timedelta(hours=1),
        showcase_of=course,
    )
    if state != Event.State.DRAFT:
        showcase = services.event_state_set(acting_user=admin, event=showcase, state=state)
    return showcase


def test_the_public_course_page_lists_its_classes_its_rule_and_its_showcases_acts(course, users):
    admin = users["federation_admin"]
    showcase = showcase_create(course, users)
    acts = [
        services.act_save(acting_user=admin, event=showcase, title=title, duration_seconds=240)
        for title in ("太极拳", "剪纸", "合唱")
    ]
    services.act_move(acting_user=admin, act=acts[2], position=1)  # 合唱, 太极拳, 剪纸
    showcase_create(course, users, state=Event.State.DRAFT, title="草稿展演")

    html = html_of(english_client().get(reverse("events:detail", args=[course.slug])))

    topics = re.findall(r'<td class="class-topic">([^<]+)</td>', html)
    assert topics == [f"第{n}课" for n in range(1, 7)]
    assert 'data-percent="50" data-needed="3"' in html
    assert "attend at least 50 % of its classes: 3 of its 6 classes" in html
    shown = html.split(f'id="showcase-{showcase.slug}"')[1]
    assert re.findall(r'<strong class="act-title">([^<]+)</strong>', shown) == [
        "合唱",
        "太极拳",
        "剪纸",
    ]
    assert "草稿展演" not in html  # a draft showcase is nobody's to see yet


def test_a_showcase_links_to_its_course(course, users):
    showcase = showcase_create(course, users)

    html = html_of(english_client().get(reverse("events:detail", args=[showcase.slug])))

    course_link = reverse("events:detail", args=[course.slug])
    assert f'<dd id="event-showcase-of"><a href="{course_link}">惠工课堂</a></dd>' in html
    assert 'id="course-classes"' not in html  # a performance has no classes


# --- the event form -------------------------------------------------------------------------


def course_form_data(world, **overrides) -> dict:
    return event_form_data(world, slug="huigong-2026", kind="course", title="惠工课堂", **overrides)


def test_the_form_saves_a_courses_completion_share(world, users):
    client = signed_in(users["unit_admin"])
    form = html_of(client.get(reverse("events:console_create")))
    assert 'name="completion_percent"' in form
    assert 'name="showcase_of"' in form

    response = client.post(
        reverse("events:console_create"), course_form_data(world, completion_percent="80")
    )

    assert response.status_code == 302
    assert Event.objects.get(slug="huigong-2026").completion_percent == 80


def test_the_form_refuses_a_completion_share_for_a_carnival_or_past_100(world, users):
    client = signed_in(users["unit_admin"])

    carnival = client.post(
        reverse("events:console_create"), event_form_data(world, completion_percent="80")
    )
    too_much = client.post(
        reverse("events:console_create"), course_form_data(world, completion_percent="120")
    )

    assert carnival.status_code == 200
    assert "Only a course asks for a share of its classes." in html_of(carnival)
    assert too_much.status_code == 200
    assert "completion_percent" in too_much.context["form"].errors
    assert not Event.objects.exists()


def test_a_showcase_is_of_a_course_the_organiser_organises(world, users):
    admin = users["federation_admin"]
    own = course_create(admin, world.district, slug="own-course")
    foreign = course_create(admin, world.other_district, slug="foreign-course")
    client = signed_in(users["unit_admin"])
    performance = {"kind": "performance", "slug": "showcase-2026", "title": "成果展演"}

    refused = client.post(
        reverse("events:console_create"),
        event_form_data(world, **performance, showcase_of=str(foreign.pk)),
    )
    taken = client.post(
        reverse("events:console_create"),
        event_form_data(world, **performance, showcase_of=str(own.pk)),
    )

    assert refused.status_code == 200
    assert "showcase_of" in refused.context["form"].errors
    assert taken.status_code == 302
    assert Event.objects.get(slug="showcase-2026").showcase_of == own
    options = re.findall(
        r'<option value="(\d+)"',
        html_of(client.get(reverse("events:console_create"))).split('name="showcase_of"')[1],
    )
    assert str(own.pk) in options
    assert str(foreign.pk) not in options
