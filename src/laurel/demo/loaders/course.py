"""``course``: ``huigong-2024``, 永川区总工会's 2024 惠工课堂 (workers' classroom) — twelve
Tuesday-evening classes from March to May 2024 in 声乐, 舞蹈, 朗诵, 书法, 摄影 and 器乐 — and
its showcase ``huigong-2024-zhanyan``. The bulletin tells that on 25 April 2024, the day of
永川区's May-Day ceremony, the district held the “中国梦·劳动美”永川区庆五一暨2024年“惠工课堂”展演,
where the classroom's students took the stage in turn; the course, its classes, teachers and
people, and the acts' titles are ours.

Sixty-four of 永川区's members enrol (the member login's 万承尧 among the first) for sixty
places: four wait, and when one enrolled member cancels before the first class the first in
line moves up. The check-in staff login keeps the course's gate and takes its roll calls. The
story stands at the showcase's end: the eight classes held by then have their attendance —
some members scanned in at the door of 工人文化宫 (``ticket_check_in``, filed under the class),
most marked present by the roll call (``roll_call_mark``), and the absent marked so; a few
members have missed too many to complete (80 %: ten of twelve) —, the four classes after it
are to come. The showcase is a performance of the course (``showcase_of``) whose seven acts
are performed by the course's members. No certificates yet: the course is not over.

A smaller world (``--members`` below about 2,200) enrols the members of 永川区 it has, and no
one waits. Every moment is the 2024 story's (``clock_2024``: moved with
``--today`` as ``photo-2024`` was); the services take them, and the registrations' and events'
own times are set to the story's afterwards. Made once, all or nothing: a second run finds the
course and changes nothing.
"""

import random
from datetime import date, datetime, time, timedelta

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

SLUG = "huigong-2024"
TITLE = "2024年“惠工课堂”职工素质提升班"
DESCRIPTION = (
    "永川区总工会“惠工课堂”公益培训，面向全区职工免费开设声乐、舞蹈、朗诵、书法、摄影、器乐等课程，"
    "每周二晚上课，共12课。出勤达到80%的学员可获结业证书；学员的学习成果将在“惠工课堂”展演中汇报。"
)
VENUE = "永川区工人文化宫"
ORGANISER = "cq/yongchuan"  # 永川区总工会
CAPACITY = 60
APPLICANTS = 64  # four wait for a place
COMPLETION_PERCENT = 80
TEACHER_LOGIN = "checkin"  # the check-in staff login: keeps the gate, takes the roll calls
DOOR = "工人文化宫门口签到"  # the gate's device
SEED = 20240425

# the story's moments (local)
CREATED = datetime(2024, 2, 19, 10)  # noqa: DTZ001 - local, made aware by the loader
REGISTRATION_OPENS = datetime(2024, 2, 20, 9)  # noqa: DTZ001 - as above
LOGIN_ENROLS = datetime(2024, 2, 20, 9, 40)  # noqa: DTZ001 - 万承尧, among the first
REGISTRATION_CLOSES = datetime(2024, 3, 4, 18)  # noqa: DTZ001 - the eve of the first class
ONE_CANCELS = datetime(2024, 3, 3, 20, 15)  # noqa: DTZ001 - the first waiting moves up
CLASS_HOURS = (time(19), time(21))
# the classes: day, topic, teacher, place (blank: the venue)
CLASSES = [
    (date(2024, 3, 5), "开班仪式·声乐基础：科学发声与呼吸", "陈雪梅", ""),
    (date(2024, 3, 12), "舞蹈形体：站姿、步伐与基本功", "张丽", ""),
    (date(2024, 3, 19), "朗诵技巧：气息、停连与重音", "刘建华", ""),
    (date(2024, 3, 26), "书法入门：硬笔楷书的基本笔画", "王德明", "工人文化宫二楼书画室"),
    (date(2024, 4, 2), "摄影入门：构图与用光", "赵志强", "永川区神女湖公园（户外实拍）"),
    (date(2024, 4, 9), "器乐：葫芦丝基础", "李春燕", ""),
    (date(2024, 4, 16), "合唱训练：声部与和声", "陈雪梅", ""),
    (date(2024, 4, 23), "展演排练：节目合成", "张丽", ""),
    (date(2024, 5, 7), "手机摄影与后期", "赵志强", ""),
    (date(2024, 5, 14), "软笔书法：临帖与章法", "王德明", "工人文化宫二楼书画室"),
    (date(2024, 5, 21), "舞蹈：民族舞组合", "张丽", ""),
    (date(2024, 5, 28), "结业汇报与总结", "刘建华", ""),
]
GATE_SHARE = 0.3  # of those who came to a class, the share scanned in at the door
# how many of the classes held a member missed, and how likely each count is: most missed
# none or one; a member who missed three or more cannot reach ten of twelve any more
ABSENCES = ((0, 50), (1, 28), (2, 12), (3, 5), (4, 3), (5, 2))

SHOWCASE_SLUG = "huigong-2024-zhanyan"
SHOWCASE_TITLE = "“中国梦·劳动美”永川区庆五一暨2024年“惠工课堂”展演"
SHOWCASE_DESCRIPTION = (
    "以“奋力建功立业，服务经济发展；展示职工风采，尽享品质生活”为主题，“惠工课堂”学员轮番登台，"
    "展示“惠工课堂”教学成果和职工良好的精神风貌。"
)
SHOWCASE_VENUE = "永川区工人文化宫剧场"
SHOWCASE_CREATED = datetime(2024, 4, 15, 10)  # noqa: DTZ001 - as above
SHOWCASE_OPENS = datetime(2024, 4, 16, 9)  # noqa: DTZ001 - as above
SHOWCASE_CLOSES = datetime(2024, 4, 24, 18)  # noqa: DTZ001 - as above
SHOWCASE_STARTS = datetime(2024, 4, 25, 14, 30)  # noqa: DTZ001 - the afternoon of the 25th
SHOWCASE_ENDS = datetime(2024, 4, 25, 16, 0)  # noqa: DTZ001 - the story stands here
# The programme in order: title, kind, seconds, how many students perform (0: all of the
# acts before), notes. 万承尧 recites.
ACTS = [
    ("劳动最光荣", "合唱", 270, 16, "声乐班学员；指导老师：陈雪梅"),
    ("竹海春韵", "舞蹈", 300, 8, "舞蹈形体班学员；指导老师：张丽"),
    ("致敬，平凡的劳动者", "诗朗诵", 240, 3, "配乐：《我爱你中国》；指导老师：刘建华"),
    ("笔墨颂匠心", "书法展示", 360, 4, "现场书写“工匠精神”；指导老师：王德明"),
    ("茉莉花", "器乐", 210, 6, "葫芦丝合奏；指导老师：李春燕"),
    ("镜头里的永川职工", "摄影作品展示", 180, 2, "大屏幕播放学员作品；指导老师：赵志强"),
    ("我和我的祖国", "合唱", 300, 0, "全体演出学员；谢幕"),
]
RECITATION = "致敬，平凡的劳动者"


def course_loaded() -> bool:
    return Event.objects.filter(slug=SLUG).exists()


@register("course", order=80, loaded=course_loaded, needs=["units", "members", "logins"])
@transaction.atomic
def course_load(run: DemoRun) -> None:
    if course_loaded():
        return
    admin = User.objects.get(username="admin")
    story = clock_2024(run)
    district = Unit.objects.get(code=ORGANISER)
    event = _course_made(admin, district, story)
    moments = _enrolled(event, _students(district), story)
    events.event_state_set(acting_user=admin, event=event, state=Event.State.CLOSED)
    teacher = User.objects.get(username=TEACHER_LOGIN)
    events.staff_add(acting_user=admin, event=event, user=teacher)
    came = _classes_held(event, teacher, until=story(SHOWCASE_ENDS))
    showcase = _showcase_made(admin, district, event, came, story)
    _dated(event, showcase, moments, story)


def _course_made(admin: User, district: Unit, story) -> Event:
    first, last = CLASSES[0][0], CLASSES[-1][0]
    event = events.event_create(
        acting_user=admin,
        slug=SLUG,
        kind=Event.Kind.COURSE,
        title=TITLE,
        description=DESCRIPTION,
        venue=VENUE,
        starts_at=story(datetime.combine(first, CLASS_HOURS[0])),
        ends_at=story(datetime.combine(last, CLASS_HOURS[1])),
        unit=district,
        audience=Event.Audience.UNITS,
        audience_units=[district],
        registration_opens_at=story(REGISTRATION_OPENS),
        registration_closes_at=story(REGISTRATION_CLOSES),
        capacity=CAPACITY,
        completion_percent=COMPLETION_PERCENT,
        teams_register=False,
        waiting_list=True,
    )
    for day, topic, teacher, place in CLASSES:
        events.session_save(
            acting_user=admin,
            event=event,
            topic=topic,
            starts_at=story(datetime.combine(day, CLASS_HOURS[0])),
            ends_at=story(datetime.combine(day, CLASS_HOURS[1])),
            place=place,
            teacher=teacher,
        )
    return events.event_state_set(acting_user=admin, event=event, state=Event.State.OPEN)


def _students(district: Unit) -> list[Member]:
    """Up to ``APPLICANTS`` members of the district's unions, drawn (seeded) in the order
    they enrol, 万承尧 first (a small world enrols what it has)."""
    login_member = Member.objects.get(id_card=MEMBER_LOGIN_ID_CARD)
    pks = list(
        Member.objects.filter(unit__path__startswith=district.path)
        .exclude(pk=login_member.pk)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    rng = random.Random(SEED)  # noqa: S311 - demo data, not security
    chosen = rng.sample(pks, min(APPLICANTS - 1, len(pks)))
    people = Member.objects.in_bulk(chosen)
    return [login_member, *(people[pk] for pk in chosen)]


def _enrolled(event: Event, students: list[Member], story) -> dict[int, datetime]:
    """Each student enrols at a seeded moment of the registration window (万承尧, the first
    of ``students``, at ``LOGIN_ENROLS``), in the moments' order: the first ``CAPACITY``
    hold places, the others wait. With people waiting, one of those enrolled cancels on the
    eve of the course and the first waiting moves up. The registrations' moments, by
    primary key."""
    rng = random.Random(SEED + 2)  # noqa: S311 - demo data, not security
    opens, closes = story(REGISTRATION_OPENS), story(ONE_CANCELS) - timedelta(days=1)
    span = int((closes - opens).total_seconds())
    login_member, *others = students
    enrolling = sorted(
        [
            (story(LOGIN_ENROLS), login_member.pk, login_member),
            *((opens + timedelta(seconds=rng.randrange(span)), s.pk, s) for s in others),
        ]
    )
    made = {}
    for at, _pk, student in enrolling:
        outcome = events.registration_create(acting_user=None, event=event, member=student, now=at)
        made[outcome.registration.pk] = at
    holding = list(
        Registration.objects.filter(event=event, state=Registration.State.REGISTERED)
        .exclude(member__id_card=MEMBER_LOGIN_ID_CARD)
        .order_by("pk")
    )
    if len(students) > CAPACITY:
        since = told_since()
        events.registration_cancel(
            acting_user=None, registration=rng.choice(holding), now=story(ONE_CANCELS)
        )
        told_at(since, story(ONE_CANCELS))  # the first waiting is told of the place
    return made


def _classes_held(event: Event, teacher: User, *, until: datetime) -> set[int]:
    """Each class ended by ``until``: every enrolled member came or did not, as their seeded
    count of absences says (万承尧 missed none); of those who came some were scanned in at
    the door up to 25 minutes before the class, and the teacher's roll call, a few minutes in,
    marked everyone else present or absent. The members present at the last class held."""
    rng = random.Random(SEED + 3)  # noqa: S311 - demo data, not security
    held = list(event.sessions.filter(ends_at__lte=until).order_by("starts_at"))
    enrolled = list(
        Registration.objects.filter(event=event, state=Registration.State.REGISTERED)
        .select_related("member")
        .order_by("pk")
    )
    counts, weights = zip(*ABSENCES, strict=True)
    missed = {}
    for registration in enrolled:
        absences = rng.choices(counts, weights=weights)[0]
        if registration.member.id_card == MEMBER_LOGIN_ID_CARD:
            absences = 0
        missed[registration.pk] = set(rng.sample(range(len(held)), min(absences, len(held))))
    private_raw = private_key_of(event)
    tickets = {t.registration_id: t for t in Ticket.objects.filter(event=event, revoked_at=None)}
    came: set[int] = set()
    for n, session in enumerate(held):
        came = set()
        for registration in enrolled:
            present = n not in missed[registration.pk]
            if present:
                came.add(registration.member_id)
            if present and rng.random() < GATE_SHARE:
                events.ticket_check_in(
                    acting_user=teacher,
                    event=event,
                    scanned=events.ticket_text(tickets[registration.pk], private_raw).payload,
                    device=DOOR,
                    now=session.starts_at - timedelta(seconds=rng.randint(60, 25 * 60)),
                )
                continue
            events.roll_call_mark(
                acting_user=teacher,
                session=session,
                registration=registration,
                present=present,
                now=session.starts_at + timedelta(seconds=rng.randint(3 * 60, 15 * 60)),
            )
    return came


def _showcase_made(admin: User, district: Unit, course: Event, came: set[int], story) -> Event:
    """The showcase: a performance of the course on the bulletin's day, its acts performed
    by students (seeded) who came to the last class held (the rehearsal), 万承尧 reciting;
    then it has ended."""
    event = events.event_create(
        acting_user=admin,
        slug=SHOWCASE_SLUG,
        kind=Event.Kind.PERFORMANCE,
        title=SHOWCASE_TITLE,
        description=SHOWCASE_DESCRIPTION,
        venue=SHOWCASE_VENUE,
        starts_at=story(SHOWCASE_STARTS),
        ends_at=story(SHOWCASE_ENDS),
        unit=district,
        audience=Event.Audience.UNITS,
        audience_units=[district],
        registration_opens_at=story(SHOWCASE_OPENS),
        registration_closes_at=story(SHOWCASE_CLOSES),
        members_register=False,
        teams_register=False,
        waiting_list=False,
        showcase_of=course,
    )
    rng = random.Random(SEED + 4)  # noqa: S311 - demo data, not security
    login_member = Member.objects.get(id_card=MEMBER_LOGIN_ID_CARD)
    students = list(Member.objects.filter(pk__in=came).exclude(pk=login_member.pk).order_by("pk"))
    performed: dict[int, Member] = {}
    for title, kind, seconds, size, notes in ACTS:
        if size:
            members = rng.sample(students, min(size, len(students)))
            if title == RECITATION:
                members = [login_member, *members[: size - 1]]
            performed.update((member.pk, member) for member in members)
        else:
            members = list(performed.values())
        events.act_save(
            acting_user=admin,
            event=event,
            title=title,
            kind=kind,
            members=members,
            duration_seconds=seconds,
            notes=notes,
        )
    events.event_state_set(acting_user=admin, event=event, state=Event.State.OPEN)
    return events.event_state_set(acting_user=admin, event=event, state=Event.State.ENDED)


def _dated(course: Event, showcase: Event, moments: dict[int, datetime], story) -> None:
    """The one write behind the services: enrolments made when the story made them (the
    service takes the clock's time), the course and its showcase set up when the story says."""
    registrations = list(Registration.objects.filter(pk__in=moments))
    for registration in registrations:
        registration.created_at = registration.updated_at = moments[registration.pk]
    Registration.objects.bulk_update(registrations, ["created_at", "updated_at"], batch_size=500)
    Event.objects.filter(pk=course.pk).update(
        created_at=story(CREATED), updated_at=story(SHOWCASE_ENDS)
    )
    Event.objects.filter(pk=showcase.pk).update(
        created_at=story(SHOWCASE_CREATED), updated_at=story(SHOWCASE_ENDS)
    )
