"""``laurel demo``: load the May-Day scenario (idempotent) and print the demo logins."""

from django.core.management.base import BaseCommand
from django.db import transaction

from laurel.accounts.models import Role, User
from laurel.accounts.services import role_grant, user_create
from laurel.orgs.models import Unit
from laurel.orgs.services import unit_create

# The bulletin's world: the city federation and the unions its May-Day bulletin names.
UNITS = [
    # code, name, kind, parent code
    ("cq", "重庆市总工会", Unit.Kind.FEDERATION, None),
    ("cq/yongchuan", "永川区总工会", Unit.Kind.DISTRICT, "cq"),
    ("cq/fengjie", "奉节县总工会", Unit.Kind.DISTRICT, "cq"),
    ("cq/yunyang", "云阳县总工会", Unit.Kind.DISTRICT, "cq"),
    ("cq/wansheng", "万盛经开区总工会", Unit.Kind.DEVELOPMENT_ZONE, "cq"),
    ("cq/culture-palace", "市劳动人民文化宫", Unit.Kind.GRASSROOTS, "cq"),
    ("cq/yongchuan/factory3", "永川区第三机械厂工会", Unit.Kind.GRASSROOTS, "cq/yongchuan"),
    ("cq/yongchuan/organs", "机关工会", Unit.Kind.GRASSROOTS, "cq/yongchuan"),
    ("cq/fengjie/organs", "机关工会", Unit.Kind.GRASSROOTS, "cq/fengjie"),
    ("cq/yunyang/education", "云阳县教育工会", Unit.Kind.INDUSTRY, "cq/yunyang"),
]

# username, password, name, mobile, role, unit code
LOGINS = [
    ("admin", "Laurel@2026", "市总工会管理员", "13800000001", Role.FEDERATION_ADMIN, None),
    (
        "yongchuan",
        "Laurel@2026",
        "永川区工会管理员",
        "13800000002",
        Role.UNIT_ADMIN,
        "cq/yongchuan",
    ),
    ("judge", "Laurel@2026", "评委 李老师", "13800000003", Role.JUDGE, "cq/culture-palace"),
    ("member", "Laurel@2026", "万承尧", "13800000004", Role.MEMBER, "cq/yongchuan/factory3"),
]


class Command(BaseCommand):
    help = "Load the May-Day demo scenario (safe to run again) and print the logins."

    @transaction.atomic
    def handle(self, *args, **options):
        units = {unit.code: unit for unit in Unit.objects.all()}
        for code, name, kind, parent in UNITS:
            if code not in units:
                units[code] = unit_create(
                    acting_user=None,
                    name=name,
                    code=code,
                    kind=kind,
                    parent=units[parent] if parent else None,
                )
        for username, password, name, mobile, role, unit_code in LOGINS:
            user = User.objects.filter(username=username).first()
            if user is None:
                user = user_create(
                    acting_user=None,
                    username=username,
                    password=password,
                    display_name=name,
                    mobile=mobile,
                )
            role_grant(
                acting_user=None,
                user=user,
                role=role,
                unit=units[unit_code] if unit_code else None,
            )
        admin = User.objects.get(username="admin")
        role_grant(acting_user=None, user=admin, role=Role.PERSONAL_DATA)
        self.stdout.write(self.style.SUCCESS("Demo data loaded. Logins (username / password):"))
        for username, password, name, _mobile, role, _unit in LOGINS:
            self.stdout.write(f"  {username:<10} {password:<12} {role.label} · {name}")
