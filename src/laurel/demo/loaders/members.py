"""The demo's members (``--members`` of them, ``world``), in through the roster import
itself: a second run finds them all unchanged."""

from django.db import transaction

from laurel.core.roster import MEMBER_COLUMNS
from laurel.core.tables import Record, Table
from laurel.demo import world as demo_world
from laurel.demo.registry import DemoRun, Option, register
from laurel.members.imports import member_import_plan
from laurel.members.models import Member
from laurel.members.services import SYSTEM_ACCESS, member_import_apply

DEFAULT_MEMBERS = 3000


def members_loaded() -> bool:
    return Member.objects.exists()


@register(
    "members",
    order=20,
    loaded=members_loaded,
    needs=["units"],
    options=[
        Option("--members", {"type": int, "default": DEFAULT_MEMBERS, "help": "How many members."})
    ],
)
@transaction.atomic
def members_load(run: DemoRun) -> None:
    people = demo_world.members(demo_world.grassroots_units(), run.options["members"])
    headers = {column.key: column.aliases[0] for column in MEMBER_COLUMNS}
    table = Table(header_row_number=1, columns=headers)
    for number, person in enumerate(people, start=2):
        values = {key: person[key] for key in headers if key != "unit"}
        values["unit"] = person["unit_code"]
        table.records.append(Record(row_number=number, values=values))
    plan = member_import_plan(access=SYSTEM_ACCESS, table=table)
    member_import_apply(acting_user=None, plan=plan, filename="demo")
