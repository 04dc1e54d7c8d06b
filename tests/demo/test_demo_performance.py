"""The demo's performance (``songwenhua-2024``): the bulletin's 送文化到基层 show in 万盛 on the
evening of 29 April 2024, its programme in the bulletin's order — 歌伴舞《盛城星光——万盛劳动者之歌》
first, then 诗朗诵, 舞蹈, 杂技, 小品, 魔术 —, guest troupes and the demo's own people performing;
ended, in the 2024 story's time; a second run changing nothing."""

import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from laurel.demo.loaders.logins import MEMBER_LOGIN_ID_CARD
from laurel.events.models import Act, Event
from laurel.events.selectors import programme
from laurel.members.models import Team

BULLETINS_ORDER = ["歌伴舞", "诗朗诵", "舞蹈", "杂技", "小品", "魔术"]


def snapshot() -> dict:
    return {
        model.__name__: list(model.objects.order_by("pk").values())
        for model in (Event, Act, Team, Act.members.through, Act.teams.through)
    }


@pytest.mark.django_db
def test_the_demo_loads_the_wansheng_performance_with_its_programme_once():
    out = io.StringIO()
    call_command(
        "demo", "--only", "units,members,logins,performance", "--members", "40", stdout=out
    )
    event = Event.objects.get(slug="songwenhua-2024")
    assert event.kind == Event.Kind.PERFORMANCE
    assert event.state == Event.State.ENDED
    assert event.unit.name == "重庆市总工会"
    assert "送文化到基层走进万盛" in event.title
    assert "万盛经开区" in event.description
    assert list(event.audience_units.values_list("name", flat=True)) == ["万盛经开区总工会"]
    starts = timezone.localtime(event.starts_at)
    assert (starts.year, starts.month, starts.day) == (2024, 4, 29)
    assert starts.hour >= 18  # 4月29日晚
    assert event.created_at < event.registration_opens_at < event.starts_at

    shown = programme(event)
    assert [row.act.kind for row in shown.acts] == BULLETINS_ORDER
    assert [row.act.position for row in shown.acts] == [1, 2, 3, 4, 5, 6]
    assert shown.acts[0].act.title == "盛城星光——万盛劳动者之歌"
    assert all(row.act.guests for row in shown.acts if row.act.kind in ("杂技", "魔术"))
    assert sum(bool(row.act.guests) for row in shown.acts) >= 3  # guest troupes by name
    troupe = Team.objects.get(name="市总工会职工艺术团")
    assert [row.act.kind for row in shown.acts if troupe.name in row.teams] == ["歌伴舞", "小品"]
    reciting = Act.objects.get(event=event, kind="诗朗诵")
    assert reciting.members.filter(id_card=MEMBER_LOGIN_ID_CARD).exists()  # 万承尧
    assert shown.total_seconds == sum(row.act.duration_seconds for row in shown.acts)
    assert event.starts_at.timestamp() + shown.total_seconds <= event.ends_at.timestamp()

    printed = out.getvalue()
    assert "Event songwenhua-2024: " in printed
    assert f", 6 acts, running time {shown.total} · " in printed
    assert "/events/songwenhua-2024/programme.pdf" in printed

    before = snapshot()
    call_command("demo", "--only", "performance", stdout=io.StringIO())
    assert snapshot() == before
