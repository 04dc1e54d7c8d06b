"""``performance``: ``songwenhua-2024``, the bulletin's 送文化到基层 show in 万盛 — on the
evening of 29 April 2024 重庆市总工会, with 万盛经开区's 党工委 and 管委会, brought a May-Day
performance to the zone's workers. It opened with the 歌伴舞《盛城星光——万盛劳动者之歌》;
then a 诗朗诵, a 舞蹈, 杂技, a 小品 and 魔术 followed in that order. The bulletin names only
the first act: the others' titles, performers and durations are ours. Guest troupes are
named; the federation's own workers' art troupe (a team of the demo's members) and the
member login's 万承尧 perform too.

The programme is set up through ``events.services`` before the event opens; then it has
ended — in the 2024 story's time, as the carnival keeps it (moved with ``--today`` as
``photo-2024`` was): the event's times, and when it was set up and ended. Made once, all or
nothing: a second run finds the event and changes nothing.
"""

from datetime import datetime

from django.db import transaction

from laurel.accounts.models import User
from laurel.demo.loaders.logins import MEMBER_LOGIN_ID_CARD
from laurel.demo.registry import DemoRun, register
from laurel.demo.story import clock_2024
from laurel.events import services as events
from laurel.events.models import Event
from laurel.members.models import Member, Team
from laurel.members.services import team_create
from laurel.orgs.models import Unit

SLUG = "songwenhua-2024"
TITLE = "“中国梦·劳动美”致敬劳动者——重庆市总工会庆祝“五一”国际劳动节暨送文化到基层走进万盛文艺演出"
DESCRIPTION = (
    "重庆市总工会、万盛经开区党工委、管委会联合举办。文艺演出在歌伴舞《盛城星光——万盛劳动者之歌》"
    "中拉开帷幕，随后诗朗诵、舞蹈、杂技、小品、魔术等节目依次上演，充分展示了广大劳动者拼搏进取、"
    "甘于奉献、开拓创新的时代风采。"
)
VENUE = "万盛经开区文体中心剧场"
ORGANISER = "cq"  # 重庆市总工会
AUDIENCE = "cq/wansheng"  # 万盛经开区总工会: its workers are the audience
TROUPE = "市总工会职工艺术团"  # a team of the federation's members
TROUPE_SIZE = 8

# the story's moments (local)
CREATED = datetime(2024, 4, 15, 10)  # noqa: DTZ001 - local, made aware by the loader
REGISTRATION_OPENS = datetime(2024, 4, 20, 9)  # noqa: DTZ001 - as above
REGISTRATION_CLOSES = datetime(2024, 4, 28, 18)  # noqa: DTZ001 - as above
STARTS = datetime(2024, 4, 29, 19, 30)  # noqa: DTZ001 - "4月29日晚"
ENDS = datetime(2024, 4, 29, 21, 0)  # noqa: DTZ001 - as above

# The programme in order: title, kind, seconds, the troupe performs, the member login
# performs (with the troupe's first members), guests by name, notes.
ACTS = [
    ("盛城星光——万盛劳动者之歌", "歌伴舞", 330, True, False, "万盛经开区文化馆艺术团", "开场"),
    ("致敬，最美劳动者", "诗朗诵", 240, False, True, "", "配乐：《我爱你中国》"),
    ("黑山谷的春天", "舞蹈", 300, False, False, "万盛经开区职工舞蹈队", ""),
    ("绽放·顶碗", "杂技", 360, False, False, "重庆杂技艺术团", "需舞台中央留出3米见方"),
    ("加班以后", "小品", 600, True, False, "", ""),
    ("幸福来敲门", "魔术", 390, False, False, "重庆市劳动人民文化宫魔术社", "谢幕前全体演员上台"),
]


def performance_loaded() -> bool:
    return Event.objects.filter(slug=SLUG).exists()


@register("performance", order=72, loaded=performance_loaded, needs=["units", "members", "logins"])
@transaction.atomic
def performance_load(run: DemoRun) -> None:
    if performance_loaded():
        return
    admin = User.objects.get(username="admin")
    story = clock_2024(run)
    federation = Unit.objects.get(code=ORGANISER)
    event = events.event_create(
        acting_user=admin,
        slug=SLUG,
        kind=Event.Kind.PERFORMANCE,
        title=TITLE,
        description=DESCRIPTION,
        venue=VENUE,
        starts_at=story(STARTS),
        ends_at=story(ENDS),
        unit=federation,
        audience=Event.Audience.UNITS,
        audience_units=[Unit.objects.get(code=AUDIENCE)],
        registration_opens_at=story(REGISTRATION_OPENS),
        registration_closes_at=story(REGISTRATION_CLOSES),
        members_register=False,
        teams_register=False,
        waiting_list=False,
    )
    troupe = _troupe(federation)
    reciters = [Member.objects.get(id_card=MEMBER_LOGIN_ID_CARD), troupe.leader]
    for title, kind, seconds, by_troupe, by_reciters, guests, notes in ACTS:
        events.act_save(
            acting_user=admin,
            event=event,
            title=title,
            kind=kind,
            teams=[troupe] if by_troupe else [],
            members=reciters if by_reciters else [],
            guests=guests,
            duration_seconds=seconds,
            notes=notes,
        )
    events.event_state_set(acting_user=admin, event=event, state=Event.State.OPEN)
    events.event_state_set(acting_user=admin, event=event, state=Event.State.ENDED)
    # the one write behind the services: set up and ended when the story says
    Event.objects.filter(pk=event.pk).update(created_at=story(CREATED), updated_at=story(ENDS))


def _troupe(federation: Unit) -> Team:
    """The federation's workers' art troupe: the first ``TROUPE_SIZE`` members of the roster
    (made once by name)."""
    troupe = Team.objects.filter(unit=federation, name=TROUPE).first()
    if troupe is not None:
        return troupe
    people = list(Member.objects.exclude(id_card=MEMBER_LOGIN_ID_CARD).order_by("pk")[:TROUPE_SIZE])
    return team_create(
        acting_user=None, unit=federation, name=TROUPE, leader=people[0], members=people
    )
