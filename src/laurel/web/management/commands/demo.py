"""``laurel demo``: load the May-Day world (idempotent) and print the demo logins.

The city federation, its 38 district/county unions, the city's industry unions, a few hundred
grassroots unions and a few thousand members (``web/demo_world.py`` makes them). Members go
in through the roster import itself, so a second run finds them all unchanged.
"""

from django.core.management.base import BaseCommand
from django.db import transaction

from laurel.accounts.models import Role, User
from laurel.accounts.services import role_grant, user_create
from laurel.core.identity import id_card_check_character
from laurel.core.roster import MEMBER_COLUMNS
from laurel.core.tables import Record, Table
from laurel.members.imports import member_import_plan
from laurel.members.models import Member
from laurel.members.services import (
    SYSTEM_ACCESS,
    member_create,
    member_import_apply,
    member_user_link,
    team_create,
)
from laurel.orgs.models import Unit
from laurel.orgs.services import unit_create
from laurel.web import demo_world

PASSWORD = "Laurel@2026"
# username, name, mobile, role, unit code
LOGINS = [
    ("admin", "市总工会管理员", "13800000001", Role.FEDERATION_ADMIN, None),
    ("yongchuan", "永川区工会管理员", "13800000002", Role.UNIT_ADMIN, "cq/yongchuan"),
    ("judge", "评委 李老师", "13800000003", Role.JUDGE, "cq/culture-palace"),
    ("member", "万承尧", "13800000004", Role.MEMBER, "cq/yongchuan/factory3"),
]
# The member login's own record (the bulletin's 万承尧); a valid number made for the demo.
MEMBER_LOGIN_ID_CARD = "50011819880512003" + id_card_check_character("50011819880512003")


class Command(BaseCommand):
    help = "Load the May-Day demo world (safe to run again) and print the logins."

    def add_arguments(self, parser):
        parser.add_argument("--members", type=int, default=3000, help="How many members.")

    @transaction.atomic
    def handle(self, *args, **options):
        units = self.load_units()
        self.load_members(units, options["members"])
        self.load_logins(units)
        self.load_teams(units)
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo world: {Unit.objects.count()} units, {Member.objects.count()} members. "
                "Logins (username / password):"
            )
        )
        for username, name, _mobile, role, _unit in LOGINS:
            self.stdout.write(f"  {username:<10} {PASSWORD:<12} {role.label} · {name}")

    def load_units(self) -> dict[str, Unit]:
        units = {unit.code: unit for unit in Unit.objects.all()}
        rows = [
            (*demo_world.FEDERATION[:3], None, ""),
            *((code, name, kind, "cq", "") for code, name, kind, _area in demo_world.DISTRICTS),
            *(
                (code, name, kind, "cq", industry)
                for code, name, kind, industry in demo_world.INDUSTRY_UNIONS
            ),
            *demo_world.grassroots_units(),
        ]
        for code, name, kind, parent, industry in rows:  # parents always come first
            if code not in units:
                units[code] = unit_create(
                    acting_user=None,
                    name=name,
                    code=code,
                    kind=kind,
                    parent=units[parent] if parent else None,
                    industry=industry,
                )
        return units

    def load_members(self, units: dict[str, Unit], count: int) -> None:
        people = demo_world.members(demo_world.grassroots_units(), count)
        headers = {column.key: column.aliases[0] for column in MEMBER_COLUMNS}
        table = Table(header_row_number=1, columns=headers)
        for number, person in enumerate(people, start=2):
            values = {key: person[key] for key in headers if key != "unit"}
            values["unit"] = person["unit_code"]
            table.records.append(Record(row_number=number, values=values))
        plan = member_import_plan(access=SYSTEM_ACCESS, table=table)
        member_import_apply(acting_user=None, plan=plan, filename="demo")

    def load_logins(self, units: dict[str, Unit]) -> None:
        for username, name, mobile, role, unit_code in LOGINS:
            user = User.objects.filter(username=username).first()
            if user is None:
                user = user_create(
                    acting_user=None,
                    username=username,
                    password=PASSWORD,
                    display_name=name,
                    mobile=mobile,
                )
            role_grant(
                acting_user=None,
                user=user,
                role=role,
                unit=units[unit_code] if unit_code else None,
            )
        role_grant(
            acting_user=None, user=User.objects.get(username="admin"), role=Role.PERSONAL_DATA
        )
        member = Member.objects.filter(id_card=MEMBER_LOGIN_ID_CARD).first()
        if member is None:
            member = member_create(
                acting_user=None,
                name="万承尧",
                id_card=MEMBER_LOGIN_ID_CARD,
                unit=units["cq/yongchuan/factory3"],
                mobile="13800000004",
                job_title="车间主任",
            )
        if member.user_id is None:
            member_user_link(
                acting_user=None, member=member, user=User.objects.get(username="member")
            )

    def load_teams(self, units: dict[str, Unit]) -> None:
        for code, name in (("cq/yongchuan/factory3", "第三机械厂技能代表队"),):
            unit = units[code]
            if unit.teams.filter(name=name).exists():
                continue
            people = list(Member.objects.filter(unit=unit).order_by("pk")[:5])
            team_create(acting_user=None, unit=unit, name=name, leader=people[0], members=people)
