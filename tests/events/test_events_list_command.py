"""``laurel events list [--out FILE.csv]``: every event with its people registered and checked
in, as exact CSV through the safe writer — starts in local time with its offset, a team
counting its people, a meeting its invitees, ticked names as check-ins."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from laurel.events import services
from laurel.events.models import Event, Registration
from tests.conftest import make_member
from tests.events.check_ins import scan, tick
from tests.events.conftest import DAY, at, slot_of

HEADER = "slug,kind,title,starts,registered,checked_in"
DATE = f"{DAY:%Y-%m-%d}"


def list_command(*args: str) -> str:
    out = io.StringIO()
    call_command("events", "list", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def events(event_factory, world, users, district_team):
    """A carnival at 09:00: 花艺馆 09–10 full (two members, one scanned in) with one waiting,
    剪纸馆 held by a team of three, scanned in; an empty event at 09:00 whose short name
    sorts first; a meeting at 08:00 with four invitees, one ticked on the list, titled as a
    spreadsheet formula."""
    carnival = event_factory(booths={"花艺馆": [(9, 10, 2)], "剪纸馆": [(9, 11, 3)]})
    flowers, paper = slot_of(carnival, "花艺馆", 9), slot_of(carnival, "剪纸馆", 9)

    def register(event, slot=None, **registrant):
        return services.registration_create(
            acting_user=users["unit_admin"], event=event, slot=slot, **registrant
        ).registration

    people = [make_member(world.grassroots, n) for n in range(1, 4)]
    came = register(carnival, flowers, member=people[0])
    register(carnival, flowers, member=people[1])
    waiting = register(carnival, flowers, member=people[2])
    assert waiting.state == Registration.State.WAITING
    team = register(carnival, paper, team=district_team)
    scan(came)
    scan(team)

    empty = event_factory(booths={"签到处": [(9, 10, 5)]}, title="空场")
    Event.objects.filter(pk=empty.pk).update(slug="aa-empty")

    invitees = [make_member(world.grassroots, n, name=f"干部{n}") for n in range(10, 14)]
    meeting = event_factory(
        booths={},
        kind=Event.Kind.MEETING,
        title='=HYPERLINK("http://x","会")',
        audience=Event.Audience.INVITED,
        invitees=invitees,
        starts_at=at(8),
    )
    tick(register(meeting, member=invitees[0]), by=users["federation_admin"])
    return carnival, meeting


def test_every_event_by_its_start_with_people_registered_and_checked_in(events):
    carnival, meeting = events
    assert list_command() == (
        f"{HEADER}\n"
        f'{meeting.slug},meeting,"\'=HYPERLINK(""http://x"",""会"")",'
        f"{DATE}T08:00:00+08:00,4,1\n"
        f"aa-empty,carnival,空场,{DATE}T09:00:00+08:00,0,0\n"
        f"{carnival.slug},carnival,{carnival.title},{DATE}T09:00:00+08:00,5,4\n"
    )


def test_the_figures_come_from_one_query_whatever_the_number_of_events(
    events, django_assert_num_queries
):
    with django_assert_num_queries(1):
        output = list_command()
    assert output.count("\n") == 4


def test_out_writes_the_same_csv_to_a_file(events, tmp_path):
    path = tmp_path / "events.csv"
    assert list_command("--out", str(path)) == ""
    assert path.read_text(encoding="utf-8") == list_command()


def test_an_out_folder_that_does_not_exist_is_refused(events, tmp_path):
    with pytest.raises(CommandError) as refused:
        list_command("--out", str(tmp_path / "missing" / "events.csv"))
    assert refused.value.returncode == 1


def test_no_events_is_the_header_alone(db):
    assert list_command() == f"{HEADER}\n"


def test_a_courses_people_marked_present_by_the_roll_call_count_as_checked_in(
    event_factory, world, users
):
    """A roll-call mark alone counts; a mark of absent, even over a scan at the gate, does
    not."""
    admin = users["federation_admin"]
    course = event_factory(
        booths={},
        kind=Event.Kind.COURSE,
        title="惠工课堂",
        starts_at=at(19),
        ends_at=at(21),
        completion_percent=80,
    )
    session = services.session_save(
        acting_user=admin, event=course, topic="声乐基础", starts_at=at(19), ends_at=at(21)
    )
    marked, marked_too, absent, scanned_absent = (
        services.registration_create(
            acting_user=None, event=course, member=make_member(world.grassroots, n)
        ).registration
        for n in range(20, 24)
    )
    scan(scanned_absent, at=at(18, 50))
    marks = ((marked, True), (marked_too, True), (absent, False), (scanned_absent, False))
    for registration, present in marks:
        services.roll_call_mark(
            acting_user=admin,
            session=session,
            registration=registration,
            present=present,
            now=at(19, 10),
        )
    assert list_command() == (
        f"{HEADER}\n{course.slug},course,惠工课堂,{DATE}T19:00:00+08:00,4,2\n"
    )
