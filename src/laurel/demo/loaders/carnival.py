"""``carnival``: ``carnival-2024``, 云阳县's first May-Day carnival for workers as the bulletin
tells it (``demo.carnival``): the county's units, its 1,318 people (through the roster
import) in 69 teams, the event of 云阳县总工会 with its 18 booths and their slots, and every
registration made through ``events.services.registration_create`` at its moment of the
story — the teams by their unit admins first, then people on their own, some of them put
on the waiting lists of the workshops that filled up; on the day, most of those registered
come and are checked in at their booth (``events.services.ticket_check_in``, a few minutes
before their slot; one in twenty does not come); then the event has ended.

The carnival keeps the 2024 story's time (moved as ``photo-2024``'s was, with ``--today``):
the registrations' times are set to the story's afterwards, as ``story`` does for entries;
the audit log keeps when the demo was loaded. Made once, all or nothing: a second run finds
the event and changes nothing.
"""

import random
from datetime import datetime, timedelta

from django.db import transaction

from laurel.accounts.models import User
from laurel.core.roster import MEMBER_COLUMNS
from laurel.core.tables import Record, Table
from laurel.demo import carnival as plan_of
from laurel.demo.registry import DemoRun, register
from laurel.demo.story import clock_2024
from laurel.demo.world import crowd
from laurel.events import services as events
from laurel.events.keys import private_key_of
from laurel.events.models import Event, Registration, Slot, Ticket
from laurel.members.imports import member_import_plan
from laurel.members.models import Member, Team
from laurel.members.services import SYSTEM_ACCESS, member_import_apply, team_create
from laurel.orgs.models import Unit
from laurel.orgs.services import unit_create


def carnival_loaded() -> bool:
    return Event.objects.filter(slug=plan_of.SLUG).exists()


@register("carnival", order=70, loaded=carnival_loaded, needs=["units", "members", "logins"])
@transaction.atomic
def carnival_load(run: DemoRun) -> None:
    if carnival_loaded():
        return
    admin = User.objects.get(username="admin")
    story = clock_2024(run)
    units = plan_of.county_units()
    unit_rows = _units_made(units)
    plan = plan_of.plan(units)
    teams = _teams_made(plan, _people_imported(plan, units), unit_rows)
    event = _event_made(admin, story)
    slots = _slots(event)
    question = str(event.questions.get().pk)
    moments: dict[int, datetime] = {}
    for n, team in enumerate(plan.teams):
        outcome = events.registration_create(
            acting_user=admin,
            event=event,
            slot=slots[team.booth, team.slot],
            team=teams[n],
            now=story(team.at),
        )
        moments[outcome.registration.pk] = story(team.at)
    members = {n: list(team.members.order_by("pk")) for n, team in enumerate(teams)}
    for signup in plan.signups:
        outcome = events.registration_create(
            acting_user=None,  # verified by roster match and a code, without a login
            event=event,
            slot=slots[signup.booth, signup.slot],
            member=members[signup.team][signup.person],
            answers={question: signup.size} if signup.size else {},
            now=story(signup.at),
        )
        moments[outcome.registration.pk] = story(signup.at)
    _arrived(event, admin)
    events.event_state_set(acting_user=admin, event=event, state=Event.State.ENDED)
    _dated(event, moments, story)


def _arrived(event: Event, admin: User) -> None:
    """The day: each registration holding a place is checked in at its booth up to
    ``ARRIVING_EARLY_MINUTES`` before its slot starts, by the booth's own device, except one
    in ``NO_SHOW_ONE_IN`` (seeded, the same every run)."""
    rng = random.Random(plan_of.SEED)  # noqa: S311 - demo data, not security
    private_raw = private_key_of(event)
    tickets = Ticket.objects.filter(event=event, revoked_at__isnull=True).select_related(
        "registration__slot__booth"
    )
    for ticket in tickets.order_by("pk"):
        slot = ticket.registration.slot
        early = timedelta(minutes=rng.randint(0, plan_of.ARRIVING_EARLY_MINUTES))
        if rng.randrange(plan_of.NO_SHOW_ONE_IN) == 0:
            continue
        events.ticket_check_in(
            acting_user=admin,
            event=event,
            scanned=events.ticket_text(ticket, private_raw).payload,
            device=f"{slot.booth.name}签到",
            booth=slot.booth,
            now=slot.starts_at - early,
        )


def _units_made(units: list[tuple[str, str, str, str, str]]) -> dict[str, Unit]:
    """The county's units, those missing made by code (parents first)."""
    made = {unit.code: unit for unit in Unit.objects.filter(code__startswith=plan_of.ORGANISER)}
    for code, name, kind, parent, industry in units:
        if code not in made:
            made[code] = unit_create(
                acting_user=None,
                name=name,
                code=code,
                kind=kind,
                parent=made[parent],
                industry=industry,
            )
    return made


def _people_imported(plan: plan_of.Plan, units) -> list[Member]:
    """The teams' people, in the plan's order, through the roster import; their numbers
    apart from everyone's on the roster already."""
    placements = [(team.unit_code, team.industry) for team in plan.teams for _n in range(team.size)]
    people = crowd(
        placements,
        units,
        seed=plan_of.SEED,
        id_cards_taken=frozenset(Member.objects.values_list("id_card", flat=True)),
        mobiles_taken=frozenset(Member.objects.exclude(mobile="").values_list("mobile", flat=True)),
    )
    headers = {column.key: column.aliases[0] for column in MEMBER_COLUMNS}
    table = Table(header_row_number=1, columns=headers)
    for number, person in enumerate(people, start=2):
        values = {key: person[key] for key in headers if key != "unit"}
        values["unit"] = person["unit_code"]
        table.records.append(Record(row_number=number, values=values))
    imported = member_import_plan(access=SYSTEM_ACCESS, table=table)
    refused = [outcome for outcome in imported.outcomes if outcome.status == "rejected"]
    if refused or len(imported.creates) != len(people):
        raise RuntimeError(f"the carnival's people did not import: {refused[:3]}")
    member_import_apply(acting_user=None, plan=imported, filename="demo-carnival")
    by_id_card = Member.objects.in_bulk([p["id_card"] for p in people], field_name="id_card")
    return [by_id_card[person["id_card"]] for person in people]


def _teams_made(plan: plan_of.Plan, people: list[Member], units: dict[str, Unit]) -> list[Team]:
    teams, start = [], 0
    for team in plan.teams:
        members = people[start : start + team.size]
        start += team.size
        teams.append(
            team_create(
                acting_user=None,
                unit=units[team.unit_code],
                name=team.name,
                leader=members[0],
                members=members,
                kind=plan_of.TEAM_KIND,
            )
        )
    return teams


def _event_made(admin: User, story) -> Event:
    county = Unit.objects.get(code=plan_of.ORGANISER)
    event = events.event_create(
        acting_user=admin,
        slug=plan_of.SLUG,
        kind=Event.Kind.CARNIVAL,
        title=plan_of.TITLE,
        description=plan_of.DESCRIPTION,
        venue=plan_of.VENUE,
        starts_at=story(plan_of.STARTS),
        ends_at=story(plan_of.ENDS),
        unit=county,
        audience=Event.Audience.UNITS,
        audience_units=[county],
        registration_opens_at=story(plan_of.REGISTRATION_OPENS),
        registration_closes_at=story(plan_of.REGISTRATION_CLOSES),
        waiting_list=True,
        questions=plan_of.QUESTIONS,
    )
    day = plan_of.STARTS.date()
    for booth_plan in plan_of.BOOTHS:
        booth = events.booth_save(
            acting_user=admin,
            event=event,
            name=booth_plan.name,
            description=booth_plan.description,
        )
        for start, end in booth_plan.times:
            events.slot_save(
                acting_user=admin,
                booth=booth,
                starts_at=story(datetime.combine(day, start)),
                ends_at=story(datetime.combine(day, end)),
                capacity=booth_plan.capacity,
            )
    return events.event_state_set(acting_user=admin, event=event, state=Event.State.OPEN)


def _slots(event: Event) -> dict[tuple[int, int], Slot]:
    """The event's slots by (booth, slot) as the plan numbers them."""
    slots = {}
    for b, booth in enumerate(event.booths.order_by("order", "pk")):
        for s, slot in enumerate(booth.slots.order_by("starts_at", "pk")):
            slots[b, s] = slot
    return slots


def _dated(event: Event, moments: dict[int, datetime], story) -> None:
    """The one write behind the services: registrations made when the story made them (the
    service takes the clock's time), the event set up and ended when the story says."""
    registrations = list(Registration.objects.filter(pk__in=moments))
    for registration in registrations:
        registration.created_at = registration.updated_at = moments[registration.pk]
    Registration.objects.bulk_update(registrations, ["created_at", "updated_at"], batch_size=500)
    Event.objects.filter(pk=event.pk).update(
        created_at=story(plan_of.CREATED), updated_at=story(plan_of.ENDS)
    )
