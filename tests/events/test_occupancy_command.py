"""``laurel events occupancy SLUG [--slots] [--out FILE.csv]``: the places held, waited for
and checked in, per booth or per time slot, as exact CSV through the safe writer."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone, translation

from laurel.events import services
from laurel.events.models import Registration
from tests.conftest import make_member
from tests.events.conftest import DAY, slot_of

HEADER = "booth,slot,capacity,registered,waiting,checked_in"
DATE = f"{DAY:%Y-%m-%d}"


def occupancy_command(*args: str) -> str:
    out = io.StringIO()
    call_command("events", "occupancy", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def carnival(event_factory, world, users, district_team):
    """花艺馆 09–10 full (2 of 2, one checked in) with one waiting, 10–11 one of two;
    剪纸馆 09–11 held by a team of three, one person waiting; a booth whose name a
    spreadsheet would run as a formula, empty."""
    event = event_factory(
        booths={
            "花艺馆": [(9, 10, 2), (10, 11, 2)],
            "剪纸馆": [(9, 11, 3)],
            "=1+1": [(14, 15, 5)],
        }
    )
    people = [make_member(world.grassroots, n) for n in range(1, 6)]
    flowers_9, flowers_10 = slot_of(event, "花艺馆", 9), slot_of(event, "花艺馆", 10)
    paper = slot_of(event, "剪纸馆", 9)

    def register(slot, member=None, team=None):
        return services.registration_create(
            acting_user=users["unit_admin"], event=event, slot=slot, member=member, team=team
        ).registration

    first = register(flowers_9, member=people[0])
    register(flowers_9, member=people[1])
    register(flowers_9, member=people[2])  # waiting
    register(flowers_10, member=people[3])
    register(paper, team=district_team)
    register(paper, member=people[4])  # waiting
    Registration.objects.filter(pk=first.pk).update(checked_in_at=timezone.now())
    return event


def test_one_row_per_booth_with_its_slots_summed(carnival):
    assert occupancy_command(carnival.slug) == (
        f"{HEADER}\n花艺馆,,4,3,1,1\n剪纸馆,,3,3,1,0\n'=1+1,,5,0,0,0\n"
    )


def test_one_row_per_slot_with_its_beijing_time(carnival):
    assert occupancy_command(carnival.slug, "--slots") == (
        f"{HEADER}\n"
        f"花艺馆,{DATE} 09:00–10:00,2,2,1,1\n"
        f"花艺馆,{DATE} 10:00–11:00,2,1,0,0\n"
        f"剪纸馆,{DATE} 09:00–11:00,3,3,1,0\n"
        f"'=1+1,{DATE} 14:00–15:00,5,0,0,0\n"
    )


def test_an_event_without_booths_is_one_row_with_booth_empty(event_factory, world, users):
    event = event_factory(booths={}, capacity=2)
    for n in range(3):
        services.registration_create(
            acting_user=None, event=event, member=make_member(world.grassroots, n)
        )
    assert occupancy_command(event.slug) == f"{HEADER}\n,,2,2,1,0\n"
    assert occupancy_command(event.slug, "--slots") == f"{HEADER}\n,,2,2,1,0\n"

    unlimited = event_factory(booths={})
    services.registration_create(
        acting_user=None, event=unlimited, member=make_member(world.grassroots, 9)
    )
    assert occupancy_command(unlimited.slug) == f"{HEADER}\n,,,1,0,0\n"


def test_out_writes_the_file_whole_and_prints_nothing(carnival, tmp_path):
    path = tmp_path / "occupancy.csv"
    printed = occupancy_command(carnival.slug, "--slots", "--out", str(path))
    assert printed == ""
    assert path.read_text(encoding="utf-8") == occupancy_command(carnival.slug, "--slots")
    assert [p.name for p in tmp_path.iterdir()] == ["occupancy.csv"]  # no temporary left


def test_an_unknown_event_or_folder_is_a_clear_error_with_exit_code_1(carnival, tmp_path):
    with (
        translation.override("en"),
        pytest.raises(CommandError, match="No event has the short name no-such-event") as refused,
    ):
        occupancy_command("no-such-event")
    assert refused.value.returncode == 1
    with (
        translation.override("en"),
        pytest.raises(CommandError, match="o.csv: its folder does not exist") as refused,
    ):
        occupancy_command(carnival.slug, "--out", str(tmp_path / "no" / "o.csv"))
    assert refused.value.returncode == 1
