"""Every console URL × every role: allowed → 200 (or a redirect after a POST), not allowed →
403, anonymous → the log-in page, and another unit's object → 404 (never 403: no oracle).

A console URL missing from ``CONSOLE_URLS`` fails ``test_every_console_url_is_covered``.
"""

import datetime
from dataclasses import dataclass, field

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from laurel.accounts.services import invitation_create
from laurel.audit.models import LogEntry
from laurel.awards.models import Certificate, Publication
from laurel.awards.services import seal_upload
from laurel.contests.models import BulkSubmission, Entry, Flag
from laurel.contests.services import (
    Upload,
    bulk_start,
    contest_create,
    contest_transition,
    entry_submit,
)
from laurel.events.models import Event, EventStaff
from laurel.events.services import (
    act_save,
    booth_save,
    certificates_issue,
    event_create,
    event_state_set,
    meeting_invite,
    registration_create,
    slot_save,
)
from laurel.judging.models import Assignment, Deduction, Round, Seat
from laurel.judging.services import round_create, seat_add
from laurel.members.services import member_import_preview, team_create, team_import_preview
from tests.conftest import ROLES, make_member, valid_id_card
from tests.events.courses import course_create, enrol, marked
from tests.helpers import jpeg, photo, seal_image

STAFF = {"unit_admin", "federation_admin"}
FEDERATION = {"federation_admin"}
# Revealing whole numbers needs the personal_data permission, which no role fixture holds
# (not even the federation admin): every role is refused here; the holders' side is in
# tests/members/test_personal_numbers.py.
PERSONAL_DATA_HOLDERS: set[str] = set()


@dataclass
class ConsoleUrl:
    name: str
    allowed: set[str]
    method: str = "get"
    # what kwargs to reverse with: (fixtures) -> dict, for an object inside the district
    own: object = None
    # the same URL for an object in the other district: a unit admin must get 404
    foreign: object = None
    data: dict = field(default_factory=dict)
    # what "allowed" answers with, when not 200 for GET / a redirect for POST
    allowed_status: int | None = None

    def ok_status(self) -> int:
        return self.allowed_status or (200 if self.method == "get" else 302)


def _invitation(fx, unit):
    return invitation_create(
        acting_user=fx["users"]["federation_admin"], role="member", unit=unit, name="x"
    ).invitation.pk


def _member_import(uploader, unit):
    """A previewed import; imports are seen by their uploader (and the federation) only."""
    return member_import_preview(
        acting_user=uploader,
        content=f"姓名,身份证号\n新人,{valid_id_card(77)}\n".encode(),
        filename="roster.csv",
        default_unit=unit,
    )


def _team(fx, leader):
    """The team ``leader`` leads (made once per test: several URLs ask for it)."""
    key = f"team-{leader.pk}"
    if key not in fx:
        fx[key] = team_create(
            acting_user=None, unit=leader.unit, name="代表队", leader=leader, members=[leader]
        )
    return fx[key]


def _team_import(uploader, unit):
    """A previewed team sheet; seen by its uploader (and the federation) only."""
    return team_import_preview(
        acting_user=uploader,
        content=f"姓名,身份证号\n会员1,{valid_id_card(1)}\n".encode(),
        filename="team.csv",
        unit=unit,
        name="代表队",
    )


def _seal(fx):
    return seal_upload(
        acting_user=fx["users"]["federation_admin"], issuer="市总工会", data=seal_image()
    )


def _entry(unit):
    return LogEntry.objects.filter(unit=unit).first().pk


def _contest(fx):
    """One open contest for the whole table (made once per test)."""
    if "contest" not in fx:
        now = timezone.now()
        organiser = fx["users"]["federation_admin"]
        contest = contest_create(
            acting_user=organiser,
            slug="access",
            title="摄影展",
            organiser="市总工会",
            opens_at=now - datetime.timedelta(days=1),
            closes_at=now + datetime.timedelta(days=1),
            categories=["自然风光"],
        )
        fx["contest"] = contest_transition(acting_user=organiser, contest=contest, to="open")
    return fx["contest"]


def _contest_entry(fx, person) -> Entry:
    contest = _contest(fx)
    return entry_submit(
        acting_user=fx["users"]["federation_admin"],
        contest=contest,
        author=person,
        category=contest.categories.get(),
        title="作品",
        uploads=[Upload("a.jpg", [jpeg(photo(person.pk))])],
        process=False,
    )


def _round(fx) -> Round:
    """A planned scoring round of the contest, with one judge on its panel."""
    if "round" not in fx:
        fx["round_entry"] = _contest_entry(fx, fx["own_person"])
        contest = contest_transition(
            acting_user=fx["users"]["federation_admin"], contest=_contest(fx), to="closed"
        )
        fx["round"] = round_create(
            acting_user=fx["users"]["federation_admin"],
            contest=contest,
            name="复评",
            mode="score",
            deadline=timezone.now() + datetime.timedelta(days=3),
            criteria=[("主题", 100, 1, 10)],
        )
        seat_add(acting_user=None, round=fx["round"], judge=fx["users"]["judge"])
    return fx["round"]


def _assignment(fx) -> Assignment:
    round_ = _round(fx)
    return Assignment.objects.create(
        round=round_, entry=fx["round_entry"], judge=fx["users"]["judge"]
    )


def _deduction(fx) -> Deduction:
    round_ = _round(fx)
    return Deduction.objects.create(
        round=round_,
        entry=fx["round_entry"],
        points=1,
        reason="缺席一人",
        created_by=fx["users"]["federation_admin"],
    )


def _flag(fx) -> Flag:
    return Flag.objects.create(entry=_contest_entry(fx, fx["own_person"]), kind="date_missing")


def _bulk(fx, uploader) -> BulkSubmission:
    return bulk_start(
        acting_user=uploader,
        contest=_contest(fx),
        content="文件名,作品名称,作者身份证号,类别\na.jpg,作品,,自然风光\n".encode(),
        filename="entries.csv",
    )


def _certificate(fx, person) -> Certificate:
    """A certificate for an entry of ``person`` (a publication of the table's contest)."""
    contest = _contest(fx)
    publication, _ = Publication.objects.get_or_create(
        contest=contest,
        version=1,
        defaults={
            "snapshot": {"rows": []},
            "digest": "0" * 64,
            "published_at": timezone.now(),
            "published_by": fx["users"]["federation_admin"],
        },
    )
    entry = _contest_entry(fx, person)
    return Certificate.objects.create(
        number=f"2026{entry.pk:08d}",
        contest=contest,
        entry=entry,
        publication=publication,
        recipient=person.name,
        unit=person.unit.name,
        title=entry.title,
        prize="一等奖",
        issued_on=timezone.localdate(),
    )


def _event(fx, *, foreign: bool = False) -> Event:
    """An open event organised by the district (the unit admin organises it) or, ``foreign``,
    by the other district; a booth with one slot (made once per test)."""
    key = "foreign_event" if foreign else "event"
    if key not in fx:
        now = timezone.now()
        organiser = fx["users"]["federation_admin"]
        starts = now + datetime.timedelta(days=10)
        event = event_create(
            acting_user=organiser,
            slug=f"access-{key.replace('_', '-')}",
            kind="carnival",
            title="文体艺嘉年华",
            venue="体育场",
            starts_at=starts,
            ends_at=starts + datetime.timedelta(hours=8),
            unit=fx["world"].other_district if foreign else fx["world"].district,
            registration_opens_at=now - datetime.timedelta(days=1),
            registration_closes_at=now + datetime.timedelta(days=9),
        )
        booth = booth_save(acting_user=organiser, event=event, name="花艺馆")
        slot_save(
            acting_user=organiser,
            booth=booth,
            starts_at=starts,
            ends_at=starts + datetime.timedelta(hours=1),
            capacity=5,
        )
        fx[key] = event_state_set(acting_user=organiser, event=event, state="open")
    return fx[key]


def _event_booth(fx, *, foreign: bool = False) -> dict:
    event = _event(fx, foreign=foreign)
    return {"slug": event.slug, "pk": event.booths.get().pk}


def _event_registration(fx, *, foreign: bool = False) -> dict:
    """A member's registration for the event's one slot (made once per test)."""
    key = "foreign_event_registration" if foreign else "event_registration"
    event = _event(fx, foreign=foreign)
    if key not in fx:
        fx[key] = registration_create(
            acting_user=None,
            event=event,
            slot=event.booths.get().slots.order_by("starts_at").first(),
            member=fx["foreign_person"] if foreign else fx["own_person"],
        ).registration
    return {"slug": event.slug, "pk": fx[key].pk}


def _event_team_registration(fx, *, foreign: bool = False) -> dict:
    """A team of the district (or the other district) registered for a later slot of the
    event's booth (its leader may hold the first one in their own name)."""
    key = "foreign_event_team_registration" if foreign else "event_team_registration"
    event = _event(fx, foreign=foreign)
    if key not in fx:
        leader = fx["foreign_person"] if foreign else fx["own_person"]
        first = event.booths.get().slots.order_by("starts_at").first()
        later = slot_save(
            acting_user=fx["users"]["federation_admin"],
            booth=first.booth,
            starts_at=first.ends_at + datetime.timedelta(hours=1),
            ends_at=first.ends_at + datetime.timedelta(hours=2),
            capacity=5,
        )
        fx[key] = registration_create(
            acting_user=None, event=event, slot=later, team=_team(fx, leader)
        ).registration
    return {"slug": event.slug, "pk": fx[key].pk}


def _event_staff(fx, *, foreign: bool = False) -> dict:
    """The check-in staff login given the event's gate (Events II, part 2: the gate)."""
    event = _event(fx, foreign=foreign)
    user = fx["users"]["checkin_staff"]
    EventStaff.objects.get_or_create(event=event, user=user)
    return {"slug": event.slug, "pk": user.pk}


def _meeting_invitee(fx, *, foreign: bool = False) -> dict:
    """A meeting of the district (or the other district), open, its one invitee the district's
    (or the other district's) person (Events IV: meetings; made once per test)."""
    key = "foreign_meeting" if foreign else "meeting"
    if key not in fx:
        now = timezone.now()
        organiser = fx["users"]["federation_admin"]
        starts = now + datetime.timedelta(days=3)
        meeting = event_create(
            acting_user=organiser,
            slug=f"access-{key.replace('_', '-')}",
            kind="meeting",
            title="干部大会",
            venue="会议室",
            starts_at=starts,
            ends_at=starts + datetime.timedelta(hours=2),
            unit=fx["world"].other_district if foreign else fx["world"].district,
            audience="invited",
            members_register=False,
            teams_register=False,
            registration_opens_at=now - datetime.timedelta(days=1),
            registration_closes_at=starts,
        )
        meeting = event_state_set(acting_user=organiser, event=meeting, state="open")
        person = fx["foreign_person"] if foreign else fx["own_person"]
        [invited] = meeting_invite(acting_user=organiser, event=meeting, members=[person]).invited
        fx[key] = (meeting, invited)
    meeting, invited = fx[key]
    return {"slug": meeting.slug, "pk": invited.pk}


def _meeting(fx, *, foreign: bool = False) -> dict:
    return {"slug": _meeting_invitee(fx, foreign=foreign)["slug"]}


def _performance_act(fx, *, foreign: bool = False) -> dict:
    """A performance of the district (or the other district), open, with one act in its
    programme (Events IV: performances; made once per test)."""
    key = "foreign_performance" if foreign else "performance"
    if key not in fx:
        now = timezone.now()
        organiser = fx["users"]["federation_admin"]
        starts = now + datetime.timedelta(days=5)
        performance = event_create(
            acting_user=organiser,
            slug=f"access-{key.replace('_', '-')}",
            kind="performance",
            title="送文化到基层",
            venue="剧场",
            starts_at=starts,
            ends_at=starts + datetime.timedelta(hours=2),
            unit=fx["world"].other_district if foreign else fx["world"].district,
            registration_opens_at=now - datetime.timedelta(days=1),
            registration_closes_at=starts,
        )
        performance = event_state_set(acting_user=organiser, event=performance, state="open")
        act = act_save(
            acting_user=organiser, event=performance, title="歌伴舞", duration_seconds=270
        )
        fx[key] = (performance, act)
    performance, act = fx[key]
    return {"slug": performance.slug, "pk": act.pk}


def _performance(fx, *, foreign: bool = False) -> dict:
    return {"slug": _performance_act(fx, foreign=foreign)["slug"]}


def _course_certificate(fx, *, foreign: bool = False) -> dict:
    """A course of the district (or the other district) whose one class its member (the
    district's person, or the other's) attended: their completion certificate (Events IV:
    courses; made once per test)."""
    key = "foreign_course_certificate" if foreign else "course_certificate"
    if key not in fx:
        organiser = fx["users"]["federation_admin"]
        course = course_create(
            organiser,
            fx["world"].other_district if foreign else fx["world"].district,
            slug=f"access-{key.replace('_', '-')}",
            days=(-3,),
            percent=100,
        )
        registration = enrol(course, fx["foreign_person"] if foreign else fx["own_person"])
        marked(organiser, registration, course.sessions.get(), present=True)
        [fx[key]] = certificates_issue(acting_user=organiser, event=course).issued
    return {"number": fx[key].number}


def _course(fx, *, foreign: bool = False) -> dict:
    """A course of the district (or the other district), open, with a class held three days
    ago and one in two days, and its member (the district's person, or the other's) enrolled
    (Events IV: courses — the console page and the roll call; made once per test)."""
    key = "foreign_course" if foreign else "course"
    if key not in fx:
        course = course_create(
            fx["users"]["federation_admin"],
            fx["world"].other_district if foreign else fx["world"].district,
            slug=f"access-{key.replace('_', '-')}",
            days=(-3, 2),
        )
        registration = enrol(course, fx["foreign_person"] if foreign else fx["own_person"])
        fx[key] = (course, course.sessions.order_by("starts_at").first(), registration)
    course, session, registration = fx[key]
    return {"slug": course.slug, "session_id": session.pk, "pk": registration.pk}


def _course_page(fx, *, foreign: bool = False) -> dict:
    return {"slug": _course(fx, foreign=foreign)["slug"]}


def _course_class(fx, *, foreign: bool = False) -> dict:
    found = _course(fx, foreign=foreign)
    return {"slug": found["slug"], "pk": found["session_id"]}


# a class as the course page's form sends it (far ahead: no clock makes it refused)
COURSE_CLASS_DATA = {
    "topic": "劳动法讲座",
    "starts_at": "2031-05-06T19:00",
    "ends_at": "2031-05-06T21:00",
    "place": "",
    "teacher": "刘律师",
}


def _results_entry(fx) -> dict:
    return {"slug": _contest(fx).slug, "number": _contest_entry(fx, fx["own_person"]).number}


CONSOLE_URLS = [
    ConsoleUrl("web:console", STAFF),
    ConsoleUrl("orgs:unit_list", STAFF),
    ConsoleUrl(
        "orgs:unit_detail",
        STAFF,
        own=lambda fx: {"pk": fx["world"].grassroots.pk},
        foreign=lambda fx: {"pk": fx["world"].other_grassroots.pk},
    ),
    ConsoleUrl("orgs:unit_pick", STAFF),
    ConsoleUrl("accounts:user_list", STAFF),
    ConsoleUrl("accounts:member_create", STAFF),
    ConsoleUrl(
        "accounts:user_detail",
        STAFF,
        own=lambda fx: {"pk": fx["users"]["member"].pk},
        foreign=lambda fx: {"pk": fx["foreign_member"].pk},
    ),
    ConsoleUrl(
        "accounts:user_numbers_reveal",
        PERSONAL_DATA_HOLDERS,
        method="post",
        own=lambda fx: {"pk": fx["users"]["member"].pk},
    ),
    ConsoleUrl(
        "accounts:role_grant",
        FEDERATION,
        method="post",
        own=lambda fx: {"pk": fx["users"]["member"].pk},
        data={"role": "member"},
    ),
    ConsoleUrl(
        "accounts:role_revoke",
        FEDERATION,
        method="post",
        own=lambda fx: {
            "pk": fx["users"]["member"].pk,
            "grant_pk": fx["users"]["member"].grants.get().pk,
        },
    ),
    ConsoleUrl(
        "accounts:user_set_active",
        FEDERATION,
        method="post",
        own=lambda fx: {"pk": fx["users"]["member"].pk},
        data={"active": "1"},
    ),
    ConsoleUrl("accounts:invitation_list", STAFF),
    ConsoleUrl("accounts:invitation_codes", STAFF),
    ConsoleUrl(
        "accounts:invitation_revoke",
        STAFF,
        method="post",
        own=lambda fx: {"pk": _invitation(fx, fx["world"].grassroots)},
        foreign=lambda fx: {"pk": _invitation(fx, fx["world"].other_grassroots)},
    ),
    ConsoleUrl("audit:entry_list", STAFF),
    ConsoleUrl(
        "audit:entry_detail",
        STAFF,
        own=lambda fx: {"pk": _entry(fx["world"].grassroots)},
        foreign=lambda fx: {"pk": _entry(fx["world"].other_grassroots)},
    ),
    ConsoleUrl("notifications:outbox", FEDERATION),
    ConsoleUrl("members:member_list", STAFF),
    ConsoleUrl("members:member_export", STAFF),
    ConsoleUrl(
        "members:member_detail",
        STAFF,
        own=lambda fx: {"pk": fx["own_person"].pk},
        foreign=lambda fx: {"pk": fx["foreign_person"].pk},
    ),
    ConsoleUrl(
        "members:member_login",
        STAFF,
        method="post",
        allowed_status=200,  # the page showing the one-off password
        own=lambda fx: {"pk": fx["own_person"].pk},
        foreign=lambda fx: {"pk": fx["foreign_person"].pk},
    ),
    ConsoleUrl(
        "members:member_numbers_reveal",
        PERSONAL_DATA_HOLDERS,
        method="post",
        own=lambda fx: {"pk": fx["own_person"].pk},
    ),
    ConsoleUrl("members:member_import", STAFF),
    ConsoleUrl("members:member_import_template", STAFF),
    ConsoleUrl(
        "members:member_import_detail",
        STAFF,
        own=lambda fx: {"pk": _member_import(fx["users"]["unit_admin"], fx["world"].grassroots).pk},
        foreign=lambda fx: {"pk": _member_import(fx["other_admin"], fx["world"].grassroots).pk},
    ),
    ConsoleUrl(
        "members:member_import_report",
        STAFF,
        own=lambda fx: {"pk": _member_import(fx["users"]["unit_admin"], fx["world"].grassroots).pk},
        foreign=lambda fx: {"pk": _member_import(fx["other_admin"], fx["world"].grassroots).pk},
    ),
    ConsoleUrl(
        "members:member_import_commit",
        STAFF,
        method="post",
        own=lambda fx: {"pk": _member_import(fx["users"]["unit_admin"], fx["world"].grassroots).pk},
        foreign=lambda fx: {"pk": _member_import(fx["other_admin"], fx["world"].grassroots).pk},
    ),
    ConsoleUrl("members:team_list", STAFF),
    ConsoleUrl("members:team_create", STAFF),
    ConsoleUrl(
        "members:team_detail",
        STAFF,
        own=lambda fx: {"pk": _team(fx, fx["own_person"]).pk},
        foreign=lambda fx: {"pk": _team(fx, fx["foreign_person"]).pk},
    ),
    ConsoleUrl(
        "members:team_edit",
        STAFF,
        own=lambda fx: {"pk": _team(fx, fx["own_person"]).pk},
        foreign=lambda fx: {"pk": _team(fx, fx["foreign_person"]).pk},
    ),
    ConsoleUrl(
        "members:team_dissolve",
        STAFF,
        own=lambda fx: {"pk": _team(fx, fx["own_person"]).pk},
        foreign=lambda fx: {"pk": _team(fx, fx["foreign_person"]).pk},
    ),
    ConsoleUrl(
        "members:team_dissolve",
        STAFF,
        method="post",
        own=lambda fx: {"pk": _team(fx, fx["own_person"]).pk},
        foreign=lambda fx: {"pk": _team(fx, fx["foreign_person"]).pk},
    ),
    ConsoleUrl(
        "members:team_members_add",
        STAFF,
        method="post",
        allowed_status=200,  # no one ticked: the team's page with the form's error
        own=lambda fx: {"pk": _team(fx, fx["own_person"]).pk},
        foreign=lambda fx: {"pk": _team(fx, fx["foreign_person"]).pk},
    ),
    ConsoleUrl(
        "members:team_member_remove",
        STAFF,
        method="post",  # the leader: refused, back to the team's page saying why
        own=lambda fx: {"pk": _team(fx, fx["own_person"]).pk, "member_pk": fx["own_person"].pk},
        foreign=lambda fx: {
            "pk": _team(fx, fx["foreign_person"]).pk,
            "member_pk": fx["foreign_person"].pk,
        },
    ),
    ConsoleUrl("members:team_import", STAFF),
    ConsoleUrl("members:team_import_template", STAFF),
    ConsoleUrl(
        "members:team_import_detail",
        STAFF,
        own=lambda fx: {"pk": _team_import(fx["users"]["unit_admin"], fx["world"].grassroots).pk},
        foreign=lambda fx: {"pk": _team_import(fx["other_admin"], fx["world"].grassroots).pk},
    ),
    ConsoleUrl(
        "members:team_import_report",
        STAFF,
        own=lambda fx: {"pk": _team_import(fx["users"]["unit_admin"], fx["world"].grassroots).pk},
        foreign=lambda fx: {"pk": _team_import(fx["other_admin"], fx["world"].grassroots).pk},
    ),
    ConsoleUrl(
        "members:team_import_commit",
        STAFF,
        method="post",
        own=lambda fx: {"pk": _team_import(fx["users"]["unit_admin"], fx["world"].grassroots).pk},
        foreign=lambda fx: {"pk": _team_import(fx["other_admin"], fx["world"].grassroots).pk},
    ),
    ConsoleUrl("contests:console_contest_list", STAFF),
    ConsoleUrl("contests:console_contest_create", FEDERATION),
    ConsoleUrl("contests:console_contest", STAFF, own=lambda fx: {"slug": _contest(fx).slug}),
    ConsoleUrl(
        "contests:console_contest_edit", FEDERATION, own=lambda fx: {"slug": _contest(fx).slug}
    ),
    ConsoleUrl(
        "contests:console_contest_copy", FEDERATION, own=lambda fx: {"slug": _contest(fx).slug}
    ),
    ConsoleUrl(
        "contests:console_contest_transition",
        FEDERATION,
        method="post",
        own=lambda fx: {"slug": _contest(fx).slug},
        data={"to": "closed", "confirm": "1"},
    ),
    ConsoleUrl("contests:console_entry_list", STAFF, own=lambda fx: {"slug": _contest(fx).slug}),
    ConsoleUrl(
        "contests:console_entry",
        STAFF,
        own=lambda fx: {
            "slug": _contest(fx).slug,
            "number": _contest_entry(fx, fx["own_person"]).number,
        },
        foreign=lambda fx: {
            "slug": _contest(fx).slug,
            "number": _contest_entry(fx, fx["foreign_person"]).number,
        },
    ),
    ConsoleUrl(
        "contests:console_screening", FEDERATION, own=lambda fx: {"slug": _contest(fx).slug}
    ),
    ConsoleUrl("contests:console_statistics", STAFF, own=lambda fx: {"slug": _contest(fx).slug}),
    ConsoleUrl(
        "contests:console_statistics_unit",
        STAFF,
        own=lambda fx: {"slug": _contest(fx).slug, "pk": fx["world"].district.pk},
        foreign=lambda fx: {"slug": _contest(fx).slug, "pk": fx["world"].other_district.pk},
    ),
    ConsoleUrl(
        "contests:console_flag_resolve",
        FEDERATION,
        method="post",
        own=lambda fx: {"pk": _flag(fx).pk},
        data={"decision": "kept", "reason": "拍摄日期已补充"},
    ),
    ConsoleUrl("contests:console_entry_submit", STAFF, own=lambda fx: {"slug": _contest(fx).slug}),
    ConsoleUrl("contests:console_bulk", STAFF, own=lambda fx: {"slug": _contest(fx).slug}),
    ConsoleUrl("contests:console_bulk_template", STAFF, own=lambda fx: {"slug": _contest(fx).slug}),
    ConsoleUrl(
        "contests:console_bulk_detail",
        STAFF,
        own=lambda fx: {"slug": _contest(fx).slug, "pk": _bulk(fx, fx["users"]["unit_admin"]).pk},
        foreign=lambda fx: {"slug": _contest(fx).slug, "pk": _bulk(fx, fx["other_admin"]).pk},
    ),
    ConsoleUrl(
        "contests:console_bulk_file",
        STAFF,
        method="post",
        allowed_status=400,  # no file sent: the answer says so
        own=lambda fx: {"slug": _contest(fx).slug, "pk": _bulk(fx, fx["users"]["unit_admin"]).pk},
        foreign=lambda fx: {"slug": _contest(fx).slug, "pk": _bulk(fx, fx["other_admin"]).pk},
    ),
    ConsoleUrl("judging:round_list", FEDERATION, own=lambda fx: {"slug": _contest(fx).slug}),
    ConsoleUrl("judging:round_create", FEDERATION, own=lambda fx: {"slug": _contest(fx).slug}),
    ConsoleUrl("judging:round_detail", FEDERATION, own=lambda fx: {"pk": _round(fx).pk}),
    ConsoleUrl("judging:round_progress", FEDERATION, own=lambda fx: {"pk": _round(fx).pk}),
    ConsoleUrl(
        "judging:seat_add",
        FEDERATION,
        method="post",
        own=lambda fx: {"pk": _round(fx).pk},
        allowed_status=200,  # nobody named: the page shows the form's errors
    ),
    ConsoleUrl(
        "judging:seats_add",
        FEDERATION,
        method="post",
        own=lambda fx: {"pk": _round(fx).pk},
        allowed_status=200,  # nobody ticked: the page shows the form's errors
    ),
    ConsoleUrl(
        "judging:panel_copy",
        FEDERATION,
        method="post",
        own=lambda fx: {"pk": _round(fx).pk},
        allowed_status=200,  # no round chosen: the page shows the form's errors
    ),
    ConsoleUrl(
        "judging:judge_drop",
        FEDERATION,
        method="post",
        own=lambda fx: {"pk": _round(fx).seats.get().pk},
    ),
    ConsoleUrl(
        "judging:seat_role_set",
        FEDERATION,
        method="post",
        own=lambda fx: {"pk": _round(fx).seats.get().pk},
        data={"role": "head"},
    ),
    ConsoleUrl(
        "judging:assignment_solve", FEDERATION, method="post", own=lambda fx: {"pk": _round(fx).pk}
    ),
    ConsoleUrl(
        "judging:assignment_move",
        FEDERATION,
        method="post",
        own=lambda fx: {"pk": _assignment(fx).pk},  # to nobody: back to the form, which says so
    ),
    ConsoleUrl(
        "judging:round_open",
        FEDERATION,
        method="post",
        own=lambda fx: {"pk": _round(fx).pk},
        data={"confirm": "1"},
    ),
    ConsoleUrl(
        "judging:reminders_send",
        FEDERATION,
        method="post",
        own=lambda fx: {"pk": _round(fx).pk},
        data={"confirm": "1"},
    ),
    ConsoleUrl(
        "judging:round_close", FEDERATION, method="post", own=lambda fx: {"pk": _round(fx).pk}
    ),
    ConsoleUrl(
        "judging:deduction_add", FEDERATION, method="post", own=lambda fx: {"pk": _round(fx).pk}
    ),
    ConsoleUrl(
        "judging:deduction_remove",
        FEDERATION,
        method="post",
        own=lambda fx: {"pk": _deduction(fx).pk},
    ),
    ConsoleUrl(
        "judging:tie_decide",
        FEDERATION,
        method="post",
        own=lambda fx: {"pk": _round(fx).pk},  # not closed: back to the round, which says so
    ),
    # awards: results, prizes, publishing (organisers); documents (by what each may see)
    ConsoleUrl("awards:console_results", FEDERATION, own=lambda fx: {"slug": _contest(fx).slug}),
    ConsoleUrl(
        "awards:console_results_method",
        FEDERATION,
        method="post",
        own=lambda fx: {"slug": _contest(fx).slug},
        data={"method": "mean", "reason": "试"},
    ),
    ConsoleUrl(
        "awards:console_awards_propose",
        FEDERATION,
        method="post",
        own=lambda fx: {"slug": _contest(fx).slug},
    ),
    ConsoleUrl(
        "awards:console_unit_awards_propose",
        FEDERATION,
        method="post",
        own=lambda fx: {"slug": _contest(fx).slug},
    ),
    ConsoleUrl(
        "awards:console_unit_award_set",
        FEDERATION,
        method="post",
        own=lambda fx: {"slug": _contest(fx).slug},
        data={"tier": "", "reason": "试"},  # no unit chosen: back to the page, which says so
    ),
    ConsoleUrl(
        "awards:console_results_publish",
        FEDERATION,
        method="post",
        own=lambda fx: {"slug": _contest(fx).slug},
        data={"confirm": "1"},
    ),
    ConsoleUrl("awards:console_result_entry", FEDERATION, own=_results_entry),
    ConsoleUrl(
        "awards:console_award_set",
        FEDERATION,
        method="post",
        own=_results_entry,
        data={"tier": "", "reason": "试"},
    ),
    ConsoleUrl("awards:console_certificates", STAFF, own=lambda fx: {"slug": _contest(fx).slug}),
    ConsoleUrl(
        "awards:console_certificates_all", FEDERATION, own=lambda fx: {"slug": _contest(fx).slug}
    ),
    ConsoleUrl(
        "awards:console_certificate_pdf",
        STAFF,
        own=lambda fx: {"number": _certificate(fx, fx["own_person"]).number},
        foreign=lambda fx: {"number": _certificate(fx, fx["foreign_person"]).number},
    ),
    ConsoleUrl(
        "awards:console_export",
        STAFF,
        own=lambda fx: {"slug": _contest(fx).slug, "kind": "entries"},
    ),
    ConsoleUrl(
        "awards:console_export",
        FEDERATION,
        own=lambda fx: {"slug": _contest(fx).slug, "kind": "scores"},
    ),
    ConsoleUrl(
        "awards:console_export",
        FEDERATION,  # unit admins: only once the results are published
        own=lambda fx: {"slug": _contest(fx).slug, "kind": "results"},
    ),
    ConsoleUrl(
        "awards:console_originals_zip", FEDERATION, own=lambda fx: {"slug": _contest(fx).slug}
    ),
    # events: organisers' pages (another district's event is not found), and registering
    ConsoleUrl("events:console_list", STAFF),
    ConsoleUrl("events:console_create", STAFF),
    *(
        ConsoleUrl(
            name,
            STAFF,
            own=lambda fx: {"slug": _event(fx).slug},
            foreign=lambda fx: {"slug": _event(fx, foreign=True).slug},
        )
        for name in (
            "events:console_detail",
            "events:console_edit",
            "events:console_booths",
            "events:console_occupancy",
            "events:console_attendance",
            "events:console_registrations",
        )
    ),
    ConsoleUrl(
        "events:console_state",
        STAFF,
        method="post",
        own=lambda fx: {"slug": _event(fx).slug},
        foreign=lambda fx: {"slug": _event(fx, foreign=True).slug},
        data={"state": "closed"},
    ),
    ConsoleUrl(
        "events:console_booth",
        STAFF,
        own=_event_booth,
        foreign=lambda fx: _event_booth(fx, foreign=True),
    ),
    ConsoleUrl(
        "events:console_registration_cancel",
        STAFF,
        method="post",
        own=_event_registration,
        foreign=lambda fx: _event_registration(fx, foreign=True),
        data={"confirm": "1"},
    ),
    # a team's badges (Events II, part 2): the organisers, the unit admin of the team's subtree
    ConsoleUrl(
        "events:console_team_badges",
        STAFF,
        own=_event_team_registration,
        foreign=lambda fx: _event_team_registration(fx, foreign=True),
    ),
    # who keeps an event's gate (Events II, part 2: the gate): the event's organisers
    ConsoleUrl(
        "events:console_staff",
        STAFF,
        own=lambda fx: {"slug": _event(fx).slug},
        foreign=lambda fx: {"slug": _event(fx, foreign=True).slug},
    ),
    ConsoleUrl(
        "events:console_staff",
        STAFF,
        method="post",
        own=lambda fx: {"slug": _event(fx).slug},
        data={"username": "nobody-here"},
        allowed_status=200,  # no such login: the page shows the form's error
    ),
    ConsoleUrl(
        "events:console_staff_remove",
        STAFF,
        method="post",
        own=_event_staff,
        foreign=lambda fx: _event_staff(fx, foreign=True),
    ),
    # any open event, another district's too: unit admins register their teams and members
    ConsoleUrl(
        "events:console_register", STAFF, own=lambda fx: {"slug": _event(fx, foreign=True).slug}
    ),
    # a meeting's sign-in (Events IV, MEET): its organisers; another district's is not found
    *(
        ConsoleUrl(name, STAFF, own=_meeting, foreign=lambda fx: _meeting(fx, foreign=True))
        for name in (
            "events:console_roll",
            "events:console_roll_xlsx",
            "events:console_roll_pdf",
        )
    ),
    ConsoleUrl(
        "events:console_roll_invite",
        STAFF,
        method="post",
        own=_meeting,
        foreign=lambda fx: _meeting(fx, foreign=True),  # nobody ticked: back, saying so
    ),
    *(
        ConsoleUrl(
            name,
            STAFF,
            method="post",
            own=_meeting_invitee,
            foreign=lambda fx: _meeting_invitee(fx, foreign=True),
            data={"reason": "出差"},
        )
        for name in (
            "events:console_roll_sign_in",
            "events:console_roll_leave",
            "events:console_roll_remove",
        )
    ),
    # a performance's programme (Events IV, PERF): its organisers; another district's not found
    ConsoleUrl(
        "events:console_programme",
        STAFF,
        own=_performance,
        foreign=lambda fx: _performance(fx, foreign=True),
    ),
    ConsoleUrl(
        "events:console_programme",
        STAFF,
        method="post",
        own=_performance,
        foreign=lambda fx: _performance(fx, foreign=True),
        data={"title": "诗朗诵", "duration": "3:30"},
    ),
    ConsoleUrl(
        "events:console_programme_order",
        STAFF,
        method="post",
        own=_performance,
        foreign=lambda fx: _performance(fx, foreign=True),  # no acts sent: refused, back
    ),
    ConsoleUrl(
        "events:console_act",
        STAFF,
        own=_performance_act,
        foreign=lambda fx: _performance_act(fx, foreign=True),
    ),
    ConsoleUrl(
        "events:console_act_move",
        STAFF,
        method="post",
        own=_performance_act,
        foreign=lambda fx: _performance_act(fx, foreign=True),
        data={"position": "1"},
    ),
    # a course's completion certificate (Events IV, courses): its organisers' copy
    ConsoleUrl(
        "events:console_course_certificate",
        STAFF,
        own=_course_certificate,
        foreign=lambda fx: _course_certificate(fx, foreign=True),
    ),
    # a course's page (Events IV, courses): its organisers; another district's not found
    ConsoleUrl(
        "events:console_course",
        STAFF,
        own=_course_page,
        foreign=lambda fx: _course_page(fx, foreign=True),
    ),
    ConsoleUrl(
        "events:console_course",
        STAFF,
        method="post",
        own=_course_page,
        foreign=lambda fx: _course_page(fx, foreign=True),
        data=COURSE_CLASS_DATA,
    ),
    ConsoleUrl(
        "events:console_course_class",
        STAFF,
        own=_course_class,
        foreign=lambda fx: _course_class(fx, foreign=True),
    ),
    ConsoleUrl(
        "events:console_course_class",
        STAFF,
        method="post",
        own=_course_class,
        foreign=lambda fx: _course_class(fx, foreign=True),
        data={"action": "save", **COURSE_CLASS_DATA},
    ),
    ConsoleUrl(
        "events:console_course_certificates_issue",
        STAFF,
        method="post",
        own=_course_page,
        foreign=lambda fx: _course_page(fx, foreign=True),
    ),
    ConsoleUrl("awards:console_seals", FEDERATION),
    ConsoleUrl("awards:console_seal_image", FEDERATION, own=lambda fx: {"pk": _seal(fx).pk}),
    ConsoleUrl(
        "awards:console_seal_remove",
        FEDERATION,
        method="post",
        own=lambda fx: {"pk": _seal(fx).pk},
    ),
]


def console_url_names() -> set[str]:
    names = set()

    def walk(patterns, prefix, namespace):
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                ns = pattern.namespace or namespace
                walk(pattern.url_patterns, route, ns)
            elif isinstance(pattern, URLPattern) and route.startswith("console/"):
                names.add(f"{namespace}:{pattern.name}")

    walk(get_resolver().url_patterns, "", None)
    return names


def test_every_console_url_is_covered():
    assert console_url_names() == {url.name for url in CONSOLE_URLS}


@pytest.fixture
def users(users, make_user):
    """conftest's one user per role, and the check-in staff login the table walks too."""
    return users | {"checkin_staff": make_user("checkin_staff")}


@pytest.fixture
def fx(world, users, make_user):
    return {
        "world": world,
        "users": users,
        "foreign_member": make_user("member", world.other_grassroots),
        "own_person": make_member(world.grassroots, 1),
        "foreign_person": make_member(world.other_grassroots, 2),
        "other_admin": make_user("unit_admin", world.district),
    }


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("console_url", CONSOLE_URLS, ids=lambda url: url.name)
def test_console_url_by_role(console_url, role, fx, client_as):
    kwargs = console_url.own(fx) if console_url.own else {}
    url = reverse(console_url.name, kwargs=kwargs)
    response = getattr(client_as(role), console_url.method)(url, console_url.data)
    if role == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
    elif role in console_url.allowed:
        assert response.status_code == console_url.ok_status(), response.content[:500]
    else:
        assert response.status_code == 403


@pytest.mark.parametrize(
    "console_url", [url for url in CONSOLE_URLS if url.foreign], ids=lambda url: url.name
)
def test_another_units_object_is_not_found_for_a_unit_admin(console_url, fx, client_as):
    url = reverse(console_url.name, kwargs=console_url.foreign(fx))
    response = getattr(client_as("unit_admin"), console_url.method)(url, console_url.data)
    assert response.status_code == 404
    # ... while the federation admin reaches the very same object
    response = getattr(client_as("federation_admin"), console_url.method)(url, console_url.data)
    assert response.status_code == console_url.ok_status()


def _headed_round(fx) -> Round:
    """The table's round, open, its one judge (the ``judge`` role's user) its head judge."""
    round_ = _round(fx)
    Seat.objects.filter(round=round_).update(role="head")
    Round.objects.filter(pk=round_.pk).update(state=Round.State.OPEN)
    return round_


# The head judge's pages in the judge workspace: the head judge of the round (the ``judge``
# role's user here) gets in; other roles are refused; a judge not heading it finds nothing.
HEAD_JUDGE_URLS = [
    ConsoleUrl("judging:judge_deductions", {"judge"}, own=lambda fx: {"pk": _headed_round(fx).pk}),
    ConsoleUrl(
        "judging:judge_deductions",
        {"judge"},
        method="post",
        own=lambda fx: {"pk": _headed_round(fx).pk},
        allowed_status=200,  # nothing filled in: the page shows the form's errors
    ),
    ConsoleUrl(
        "judging:judge_deduction_remove",
        {"judge"},
        method="post",
        own=lambda fx: {"pk": (_headed_round(fx), _deduction(fx))[1].pk},
    ),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("head_url", HEAD_JUDGE_URLS, ids=lambda url: f"{url.name}-{url.method}")
def test_head_judge_url_by_role(head_url, role, fx, client_as):
    url = reverse(head_url.name, kwargs=head_url.own(fx))
    response = getattr(client_as(role), head_url.method)(url, head_url.data)
    if role == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
    elif role in head_url.allowed:
        assert response.status_code == head_url.ok_status(), response.content[:500]
    else:
        assert response.status_code == 403


@pytest.mark.parametrize("head_url", HEAD_JUDGE_URLS, ids=lambda url: f"{url.name}-{url.method}")
def test_head_judge_urls_are_not_found_for_a_judge_not_heading_the_round(head_url, fx, client_as):
    url = reverse(head_url.name, kwargs=head_url.own(fx))
    Seat.objects.filter(round=fx["round"]).update(role="judge")
    response = getattr(client_as("judge"), head_url.method)(url, head_url.data)
    assert response.status_code == 404


# Every login's own pages, a check-in login's too; and a person's own pages, which a login
# holding check-in staff alone is refused (it signs in, sees its home, changes its password).
ACCOUNT_PAGES = ["accounts:account", "accounts:password_change"]
PERSONS_PAGES = [
    "notifications:inbox",
    "members:my_record",
    "contests:my_entries",
    "events:mine",
]


def test_member_and_judge_pages_need_a_login(client_as):
    for name in ACCOUNT_PAGES + PERSONS_PAGES:
        assert client_as("anonymous").get(reverse(name)).status_code == 302
        assert client_as("member").get(reverse(name)).status_code == 200
        assert client_as("judge").get(reverse(name)).status_code == 200


def test_a_checkin_login_has_its_account_and_home_but_no_persons_pages(client_as):
    checkin = client_as("checkin_staff")
    for name in ["web:home", *ACCOUNT_PAGES]:
        assert checkin.get(reverse(name)).status_code == 200, name
    for name in [*PERSONS_PAGES, "judging:judge_home"]:
        assert checkin.get(reverse(name)).status_code == 403, name


# The gate (Events II, part 2): a page for staff phones outside the console. Check-in staff
# reach the gates of the events given to them only — another event's gate is not found — and
# organisers reach their events' gates; nobody else gets in.
# Events III: the device's ticket list and the gate's service worker go with the gate page.
GATE_URLS = [
    "events:gate",
    "events:gate_lost",
    "events:gate_walk_in",
    "events:gate_offline_list",
    "events:gate_sw",
]


@pytest.mark.parametrize("name", GATE_URLS)
def test_a_checkin_login_reaches_the_gate_of_its_events_only(name, fx, client_as):
    given = _event_staff(fx)["slug"]
    other = _event(fx, foreign=True).slug
    checkin = client_as("checkin_staff")
    assert checkin.get(reverse(name, kwargs={"slug": given})).status_code == 200
    assert checkin.get(reverse(name, kwargs={"slug": other})).status_code == 404


@pytest.mark.parametrize("name", GATE_URLS)
@pytest.mark.parametrize("role", ROLES)
def test_the_gate_by_role(name, role, fx, client_as):
    url = reverse(name, kwargs={"slug": _event(fx).slug})  # organised by the district
    response = client_as(role).get(url)
    if role == "anonymous":
        assert response.status_code == 302
    elif role in STAFF:
        assert response.status_code == 200
    elif role == "checkin_staff":
        assert response.status_code == 404  # not given this event's gate
    else:
        assert response.status_code == 403
    # another district's event: its organisers only
    foreign = client_as(role).get(reverse(name, kwargs={"slug": _event(fx, foreign=True).slug}))
    if role == "federation_admin":
        assert foreign.status_code == 200
    elif role in {"unit_admin", "checkin_staff"}:
        assert foreign.status_code == 404


@pytest.mark.parametrize("role", ROLES)
def test_sending_scans_made_offline_by_role(role, fx, client_as):
    """The sync of scans made offline (Events III) is the gate's: its staff and organisers."""
    given = _event_staff(fx)["slug"]
    for slug in (given, _event(fx).slug):
        response = client_as(role).post(
            reverse("events:gate_sync", kwargs={"slug": slug}),
            data={"scans": []},
            content_type="application/json",
        )
        keeps_this_gate = (role in STAFF and slug == _event(fx).slug) or (
            role == "checkin_staff" and slug == given
        )
        if role == "anonymous":
            assert response.status_code == 302
        elif keeps_this_gate:
            assert response.status_code == 200
        elif role in STAFF or role == "checkin_staff":
            assert response.status_code == 404, (role, slug)
        else:
            assert response.status_code == 403, (role, slug)


# A member's own course pages (Events IV: courses): signed in, and their own enrolment only —
# anyone else, however senior, finds nothing; a check-in login has no person's pages.
@pytest.mark.parametrize("name", ["events:my_course", "events:my_course_certificate"])
@pytest.mark.parametrize("role", ROLES)
def test_a_members_course_pages_by_role(name, role, fx, client_as):
    _course_certificate(fx)  # the district's person's, who is none of the roles
    response = client_as(role).get(reverse(name, args=["access-course-certificate"]))
    if role == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
    elif role == "checkin_staff":
        assert response.status_code == 403
    else:
        assert response.status_code == 404


# A course's roll call (Events IV: courses), beside the gate: the course's organisers and the
# check-in staff given its gate; other check-in staff and another district's organisers find
# nothing; nobody else gets in. A mark without htmx goes back to the page (302).
ROLL_CALL_URLS = {
    "events:roll_call_classes": ("get", lambda found: {"slug": found["slug"]}),
    "events:roll_call": (
        "get",
        lambda found: {"slug": found["slug"], "session_id": found["session_id"]},
    ),
    "events:roll_call_mark": ("post", lambda found: found),
}


def _roll_call_request(client, name: str, found: dict):
    method, kwargs = ROLL_CALL_URLS[name]
    return getattr(client, method)(reverse(name, kwargs=kwargs(found)), {"mark": "present"})


@pytest.mark.parametrize("name", ROLL_CALL_URLS)
@pytest.mark.parametrize("role", ROLES)
def test_a_courses_roll_call_by_role(name, role, fx, client_as):
    allowed = 200 if ROLL_CALL_URLS[name][0] == "get" else 302
    response = _roll_call_request(client_as(role), name, _course(fx))
    if role == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
    elif role in STAFF:
        assert response.status_code == allowed
    elif role == "checkin_staff":
        assert response.status_code == 404  # not given this course's gate
    else:
        assert response.status_code == 403
    foreign = _roll_call_request(client_as(role), name, _course(fx, foreign=True))
    if role == "federation_admin":
        assert foreign.status_code == allowed
    elif role in {"unit_admin", "checkin_staff"}:
        assert foreign.status_code == 404


@pytest.mark.parametrize("name", ROLL_CALL_URLS)
def test_a_checkin_login_takes_the_roll_call_of_its_courses_only(name, fx, client_as):
    allowed = 200 if ROLL_CALL_URLS[name][0] == "get" else 302
    given = _course(fx)
    EventStaff.objects.create(event_id=fx["course"][0].pk, user=fx["users"]["checkin_staff"])
    checkin = client_as("checkin_staff")
    assert _roll_call_request(checkin, name, given).status_code == allowed
    assert _roll_call_request(checkin, name, _course(fx, foreign=True)).status_code == 404
