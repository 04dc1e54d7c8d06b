"""The demo's team: 永川区第三机械厂's skills team, its first five members (made once by
name)."""

from django.db import transaction

from laurel.demo.registry import DemoRun, register
from laurel.members.models import Member, Team
from laurel.members.services import team_create
from laurel.orgs.models import Unit

TEAMS = [("cq/yongchuan/factory3", "第三机械厂技能代表队")]  # unit code, name


def teams_loaded() -> bool:
    return Team.objects.filter(name__in=[name for _code, name in TEAMS]).exists()


# after the logins: the member login's record may be among a small unit's first five
@register("teams", order=40, loaded=teams_loaded, needs=["members", "logins"])
@transaction.atomic
def teams_load(run: DemoRun) -> None:
    for code, name in TEAMS:
        unit = Unit.objects.get(code=code)
        if unit.teams.filter(name=name).exists():
            continue
        people = list(Member.objects.filter(unit=unit).order_by("pk")[:5])
        team_create(acting_user=None, unit=unit, name=name, leader=people[0], members=people)
