"""``meeting``: ``ganbu-2024-04-29``, the city federation's cadres' meeting as the bulletin
tells it — 市总工会直属机关干部大会暨党纪学习教育推进会, on the morning of 29 April 2024. The
federation invites about sixty people of the demo world four days before
(``events.services.meeting_invite``: each registered with a ticket), the member login's
万承尧 among them; three ask for leave with their reasons (two themselves, one recorded by the
organisers on the morning); on the day most sign in with their ticket's QR code at the door
(``ticket_check_in``), a few are ticked on the list by staff (``sign_in_by_list``), some come
late and a few do not come at all; then the meeting has ended.

The meeting keeps the 2024 story's time (moved as ``photo-2024``'s was, with ``--today``), as
``carnival-2024`` does: the invitations' times are set to the story's afterwards; the audit
log keeps when the demo was loaded. Made once, all or nothing: a second run finds the
meeting and changes nothing.
"""

import random
from datetime import datetime, timedelta

from django.db import transaction

from laurel.accounts.models import User
from laurel.demo.loaders.logins import MEMBER_LOGIN_ID_CARD
from laurel.demo.registry import DemoRun, register
from laurel.demo.story import clock_2024, told_at, told_since
from laurel.events import services as events
from laurel.events.keys import private_key_of
from laurel.events.models import Event, Registration, Ticket
from laurel.members.models import Member
from laurel.orgs.models import Unit

SLUG = "ganbu-2024-04-29"
TITLE = "市总工会直属机关干部大会暨党纪学习教育推进会"
DESCRIPTION = (
    "传达学习贯彻习近平总书记在新时代推动西部大开发座谈会和视察重庆的重要讲话重要指示精神，"
    "传达全市领导干部会议精神，以及全国总工会领导视频调研四川、重庆时的讲话精神，"
    "安排部署近期重点工作，扎实开展党纪学习教育。"
)
VENUE = "市总工会机关大楼三楼会议室"
ORGANISER = "cq"  # 重庆市总工会
# local times of the story (made aware by the loader)
CREATED = datetime(2024, 4, 25, 10)  # noqa: DTZ001 - local, made aware by the loader
INVITED = datetime(2024, 4, 25, 10, 30)  # noqa: DTZ001 - as above
STARTS = datetime(2024, 4, 29, 9)  # noqa: DTZ001 - as above
ENDS = datetime(2024, 4, 29, 11, 30)  # noqa: DTZ001 - as above
DOOR = "会议室门口签到"  # the gate's device at the door
INVITEES = 60
SEED = 20240429
# the leave asked for: when, why, and whether the invitee asked themself (else the organisers
# recorded it, on the morning)
LEAVE = [
    (datetime(2024, 4, 26, 16, 20), "参加全总在京举办的工会干部培训班", True),  # noqa: DTZ001
    (datetime(2024, 4, 28, 9, 5), "病假（已提交病假条）", True),  # noqa: DTZ001
    (datetime(2024, 4, 29, 8, 10), "在万盛驻点筹备送文化到基层演出", False),  # noqa: DTZ001
]
ABSENT = 3  # neither came nor asked for leave
LATE = 4  # signed in after the start (the last of them ticked by staff)
TICKED = 6  # on time, but without their tickets: ticked on the list by staff


def meeting_loaded() -> bool:
    return Event.objects.filter(slug=SLUG).exists()


@register("meeting", order=90, loaded=meeting_loaded, needs=["units", "members", "logins"])
@transaction.atomic
def meeting_load(run: DemoRun) -> None:
    if meeting_loaded():
        return
    admin = User.objects.get(username="admin")
    story = clock_2024(run)
    event = events.event_create(
        acting_user=admin,
        slug=SLUG,
        kind=Event.Kind.MEETING,
        title=TITLE,
        description=DESCRIPTION,
        venue=VENUE,
        starts_at=story(STARTS),
        ends_at=story(ENDS),
        unit=Unit.objects.get(code=ORGANISER),
        audience=Event.Audience.INVITED,
        registration_opens_at=story(CREATED),
        registration_closes_at=story(STARTS),
        members_register=False,
        teams_register=False,
        waiting_list=False,
    )
    event = events.event_state_set(acting_user=admin, event=event, state=Event.State.OPEN)
    since = told_since()
    outcome = events.meeting_invite(
        acting_user=admin, event=event, members=_invitees(), now=story(INVITED)
    )
    told_at(since, story(INVITED))  # each invitee told when the story invited them
    _the_day(event, admin, outcome.invited, story)
    events.event_state_set(acting_user=admin, event=event, state=Event.State.ENDED)
    _dated(event, story)


def _invitees() -> list[Member]:
    """Up to ``INVITEES`` people drawn (seeded) from the demo world's members outside 云阳县
    (whose carnival's people join the roster later), the member login's 万承尧 among them."""
    county = Unit.objects.filter(code="cq/yunyang").values_list("path", flat=True).first()
    candidates = Member.objects.exclude(id_card=MEMBER_LOGIN_ID_CARD)
    if county:
        candidates = candidates.exclude(unit__path__startswith=county)
    pks = list(candidates.order_by("pk").values_list("pk", flat=True))
    rng = random.Random(SEED)  # noqa: S311 - demo data, not security
    chosen = rng.sample(pks, min(INVITEES - 1, len(pks)))
    login_member = Member.objects.filter(id_card=MEMBER_LOGIN_ID_CARD).first()
    people = list(Member.objects.filter(pk__in=chosen).select_related("unit"))
    return [*people, login_member] if login_member is not None else people


def _the_day(event: Event, admin: User, invited: list[Registration], story) -> None:
    """Leave asked for, then the morning: in a seeded order, those on leave, the absent, the
    latecomers, those ticked by staff, and everyone else in through the door by QR code
    (万承尧 among them) — each at a seeded minute."""
    rng = random.Random(SEED + 1)  # noqa: S311 - demo data, not security
    ordered = sorted(invited, key=lambda r: r.member.id_card == MEMBER_LOGIN_ID_CARD)
    head, login_member = ordered[:-1], ordered[-1:]
    rng.shuffle(head)
    people = [*head, *login_member]
    on_leave, people = people[: len(LEAVE)], people[len(LEAVE) :]
    _absent, people = people[:ABSENT], people[ABSENT:]
    late, people = people[:LATE], people[LATE:]
    ticked, by_door = people[:TICKED], people[TICKED:]
    for registration, (when, reason, themself) in zip(on_leave, LEAVE, strict=False):
        events.leave_request(
            acting_user=None if themself else admin,
            registration=registration,
            reason=reason,
            now=story(when),
        )
    starts = story(STARTS)
    private_raw = private_key_of(event)
    tickets = {
        ticket.registration_id: ticket
        for ticket in Ticket.objects.filter(registration__in=[*late, *by_door])
    }

    def scanned(registration: Registration, at: datetime) -> None:
        events.ticket_check_in(
            acting_user=admin,
            event=event,
            scanned=events.ticket_text(tickets[registration.pk], private_raw).payload,
            device=DOOR,
            now=at,
        )

    for registration in by_door:
        scanned(registration, starts - timedelta(seconds=rng.randint(60, 30 * 60)))
    for registration in ticked:
        events.sign_in_by_list(
            acting_user=admin,
            event=event,
            registration=registration,
            now=starts - timedelta(seconds=rng.randint(2 * 60, 20 * 60)),
        )
    for n, registration in enumerate(late):
        at = starts + timedelta(seconds=rng.randint(3 * 60, 25 * 60))
        if n == len(late) - 1:
            events.sign_in_by_list(
                acting_user=admin, event=event, registration=registration, now=at
            )
        else:
            scanned(registration, at)


def _dated(event: Event, story) -> None:
    """The one write behind the services: the invitations made when the story made them (the
    service takes the clock's time), the meeting set up and ended when the story says."""
    Registration.objects.filter(event=event).update(
        created_at=story(INVITED), updated_at=story(ENDS)
    )
    Event.objects.filter(pk=event.pk).update(created_at=story(CREATED), updated_at=story(ENDS))
