"""The demo's loaders: registered in order, their options on the command, and
``laurel demo --only NAME[,NAME]`` running just those (a prerequisite neither chosen nor
loaded refused with a sentence saying what to run)."""

import io

import pytest
from django.core.management import CommandError, call_command

from laurel.accounts.models import User
from laurel.awards.models import Award, Publication
from laurel.contests.models import Contest, Entry
from laurel.demo import registry
from laurel.demo import world as demo_world
from laurel.demo.management.commands.demo import Command as DemoCommand
from laurel.demo.registry import LOADERS, DemoRun, LoaderChoiceError, Option, register
from laurel.members.models import Member, Team
from laurel.notifications.models import Notification
from laurel.orgs.models import Unit

# the federation, its districts, the city's industry unions, the grassroots unions
DEMO_UNITS = (
    1
    + len(demo_world.DISTRICTS)
    + len(demo_world.INDUSTRY_UNIONS)
    + len(demo_world.grassroots_units())
)


def test_the_loaders_are_registered_in_order_each_after_what_it_needs():
    assert [loader.name for loader in LOADERS] == [
        "units",
        "members",
        "logins",
        "teams",
        "photo_contest",
        "craftsmen",
        "carnival",
        "performance",
        "course",
        "meeting",
    ]
    orders = [loader.order for loader in LOADERS]
    assert orders == sorted(orders)
    place = {loader.name: number for number, loader in enumerate(LOADERS)}
    for loader in LOADERS:
        assert all(place[need] < place[loader.name] for need in loader.needs), loader.name
    assert {loader.name: loader.needs for loader in LOADERS if loader.needs} == {
        "members": ("units",),
        "logins": ("units",),
        "teams": ("members", "logins"),
        "photo_contest": ("units", "members", "logins"),
        "craftsmen": ("units", "members", "logins"),
        "carnival": ("units", "members", "logins"),
        "performance": ("units", "members", "logins"),
        "course": ("units", "members", "logins"),
        "meeting": ("units", "members", "logins"),
    }


def test_the_registry_keeps_order_whatever_the_import_order_and_refuses_what_is_amiss():
    loaders: list[registry.Loader] = []
    ran = []

    def loader(name: str, order: int, needs=()):
        @register(name, order=order, loaded=lambda: False, needs=needs, registry=loaders)
        def load(run: DemoRun) -> None:
            ran.append(name)

    loader("prizes", 30, needs=["entries"])  # imported first, loads last
    loader("units", 10)
    loader("entries", 20, needs=["units"])
    assert [item.name for item in loaders] == ["units", "entries", "prizes"]
    # chosen in any order, run in the registry's
    chosen = registry.loaders_chosen("prizes,units,entries", loaders)
    assert [item.name for item in chosen] == ["units", "entries", "prizes"]
    assert registry.loaders_chosen(None, loaders) == loaders

    with pytest.raises(ValueError, match="registered already"):
        loader("units", 40)
    with pytest.raises(ValueError, match="registered already"):
        loader("teams", 20)
    loader("early", 5, needs=["units"])  # needs a loader that comes after it
    with pytest.raises(ValueError, match="early needs units, which must load before it"):
        registry.loaders_chosen(None, loaders)
    assert ran == []


def test_a_prerequisite_neither_chosen_nor_loaded_is_refused_with_what_to_run():
    loaders: list[registry.Loader] = []
    loaded = {"units": False, "members": False}
    for name, order, needs in (
        ("units", 10, ()),
        ("members", 20, ["units"]),
        ("teams", 30, ["members"]),
    ):
        register(
            name,
            order=order,
            loaded=lambda name=name: loaded.get(name, False),
            needs=needs,
            registry=loaders,
        )(lambda run: None)

    with pytest.raises(LoaderChoiceError) as refused:
        registry.loaders_chosen("teams", loaders)
    assert str(refused.value) == (
        "The demo loader members needs units, which is not loaded yet: run laurel demo "
        "--only units,members,teams (or load units, members first)."
    )
    loaded["units"] = True  # in the database already: needs not be chosen again
    with pytest.raises(LoaderChoiceError, match="--only members,teams "):
        registry.loaders_chosen("teams", loaders)
    loaded["members"] = True
    assert [item.name for item in registry.loaders_chosen("teams", loaders)] == ["teams"]


@pytest.fixture
def colouring_loader():
    """A loader registered with ``LOADERS`` for one test, with an option of its own."""
    calls = []

    @register(
        "colouring",
        order=999,
        loaded=lambda: False,
        options=[Option("--colour", {"default": "red", "help": "A colour."})],
    )
    def colouring_load(run: DemoRun) -> None:
        calls.append(run.options["colour"])
        run.stdout.write(f"coloured {run.options['colour']}")

    yield calls
    LOADERS[:] = [loader for loader in LOADERS if loader.name != "colouring"]


def test_the_command_takes_its_options_from_the_loaders(db, colouring_loader):
    flags = {
        flag for action in DemoCommand().create_parser("laurel", "demo")._actions
        for flag in action.option_strings
    }  # fmt: skip
    assert {"--members", "--photos", "--today", "--colour", "--only"} <= flags

    out = io.StringIO()
    call_command("demo", "--only", "colouring", "--colour", "blue", stdout=out)
    assert colouring_loader == ["blue"]
    assert "coloured blue" in out.getvalue()
    assert not Unit.objects.exists()  # no other loader ran


def test_only_units_and_members_on_a_fresh_database_loads_just_those(db):
    out = io.StringIO()
    call_command("demo", "--only", "units,members", "--members", "40", stdout=out)

    assert Unit.objects.count() == DEMO_UNITS
    assert Member.objects.count() == 40
    assert not User.objects.exists()
    assert not Team.objects.exists()
    assert not Contest.objects.exists()
    assert not Entry.objects.exists()
    assert not Award.objects.exists()
    assert not Publication.objects.exists()
    assert not Notification.objects.exists()
    printed = out.getvalue()
    assert f"Demo world: {DEMO_UNITS} units, 40 members." in printed
    assert "Logins" not in printed
    assert "Contest " not in printed

    units = list(Unit.objects.order_by("pk").values())
    members = list(Member.objects.order_by("pk").values())
    call_command("demo", "--only", "units,members", "--members", "40", stdout=io.StringIO())
    assert list(Member.objects.order_by("pk").values()) == members  # a second run: nothing
    assert list(Unit.objects.order_by("pk").values()) == units


def test_only_a_loader_whose_prerequisite_is_not_loaded_is_refused(db):
    with pytest.raises(CommandError) as refused:
        call_command("demo", "--only", "members", "--members", "20")
    assert str(refused.value) == (
        "The demo loader members needs units, which is not loaded yet: run laurel demo "
        "--only units,members (or load units first)."
    )
    assert not Member.objects.exists()
    assert not Unit.objects.exists()

    call_command("demo", "--only", "units", stdout=io.StringIO())
    call_command("demo", "--only", "members", "--members", "20", stdout=io.StringIO())
    assert Member.objects.count() == 20


def test_only_an_unknown_loader_is_refused_naming_the_loaders(db):
    with pytest.raises(CommandError) as refused:
        call_command("demo", "--only", "units,prizes")
    assert str(refused.value) == (
        "Unknown demo loader: prizes. The loaders, in order: units, members, logins, teams, "
        "photo_contest, craftsmen, carnival, performance, course, meeting."
    )
    assert not Unit.objects.exists()  # nothing loaded, not even the known one
