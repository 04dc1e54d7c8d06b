"""The demo's logins, one of each role (``LOGINS``, all with ``PASSWORD``), and the member
login's own record (the bulletin's 万承尧), linked to it."""

from django.db import transaction

from laurel.accounts.models import Role, User
from laurel.accounts.services import role_grant, user_create
from laurel.core.identity import id_card_check_character
from laurel.demo.registry import DemoRun, register
from laurel.members.models import Member
from laurel.members.services import member_create, member_user_link
from laurel.orgs.models import Unit

PASSWORD = "Laurel@2026"
# username, name, mobile, role, unit code
LOGINS = [
    ("admin", "市总工会管理员", "13800000001", Role.FEDERATION_ADMIN, None),
    ("yongchuan", "永川区工会管理员", "13800000002", Role.UNIT_ADMIN, "cq/yongchuan"),
    ("judge", "评委 李老师", "13800000003", Role.JUDGE, "cq/culture-palace"),
    ("member", "万承尧", "13800000004", Role.MEMBER, "cq/yongchuan/factory3"),
    ("checkin", "签到员 小周", "13800000005", Role.CHECKIN_STAFF, None),
]
# The member login's own record (the bulletin's 万承尧); a valid number made for the demo.
MEMBER_LOGIN_ID_CARD = "50011819880512003" + id_card_check_character("50011819880512003")


def logins_loaded() -> bool:
    return User.objects.filter(username="admin").exists()


@register("logins", order=30, loaded=logins_loaded, needs=["units"])
@transaction.atomic
def logins_load(run: DemoRun) -> None:
    units = {unit.code: unit for unit in Unit.objects.all()}
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
    role_grant(acting_user=None, user=User.objects.get(username="admin"), role=Role.PERSONAL_DATA)
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
        member_user_link(acting_user=None, member=member, user=User.objects.get(username="member"))
