"""The teams list as one table (web.tables): searched by team, unit or leader, filtered by
kind and by unit, sorted by size, exported, scoped to the viewer's units."""

import re

from laurel.members.services import team_create
from tests.conftest import make_member
from tests.helpers import exported

TEAMS = "/console/teams/"


def shown_teams(response) -> list[str]:
    assert response.status_code == 200
    return re.findall(r'href="/console/teams/\d+/">([^<]+)</a>', response.content.decode())


def teams(world):
    """Three teams of 1, 3 and 2 members: two in 永川 (机关工会), one in 奉节."""
    people = [make_member(world.grassroots, n) for n in range(4)]
    fengjie = [make_member(world.other_grassroots, n) for n in range(10, 12)]
    for name, kind, leader, members in [
        ("摄影队", "", people[0], people[:1]),
        ("书法队", "参赛队", people[1], people[1:4]),
        ("奉节合唱队", "参赛队", fengjie[0], fengjie),
    ]:
        team_create(
            acting_user=None,
            unit=leader.unit,
            name=name,
            kind=kind,
            leader=leader,
            members=members,
        )


def test_the_search_finds_by_team_unit_or_leader_and_excludes_the_rest(world, client_as):
    teams(world)
    client = client_as("federation_admin")
    assert shown_teams(client.get(TEAMS, {"q": "书法"})) == ["书法队"]
    assert shown_teams(client.get(TEAMS, {"q": "会员0"})) == ["摄影队"]  # the leader
    assert shown_teams(client.get(TEAMS, {"q": "奉节县"})) == []  # the unit is 机关工会
    assert sorted(shown_teams(client.get(TEAMS, {"q": "机关"}))) == [
        "书法队",
        "奉节合唱队",
        "摄影队",
    ]
    assert shown_teams(client.get(TEAMS, {"q": "nobody"})) == []


def test_sorting_by_the_number_of_members(world, client_as):
    teams(world)
    client = client_as("federation_admin")
    assert shown_teams(client.get(TEAMS, {"sort": "member_count"})) == [
        "摄影队",
        "奉节合唱队",
        "书法队",
    ]
    assert shown_teams(client.get(TEAMS, {"sort": "-member_count"})) == [
        "书法队",
        "奉节合唱队",
        "摄影队",
    ]


def test_the_export_holds_the_filtered_rows_with_unit_names_and_counts(world, client_as):
    teams(world)
    rows = exported(client_as("federation_admin").get(TEAMS, {"q": "队", "export": "xlsx"}))
    assert len(rows[0]) == 5
    assert sorted(rows[1:]) == [
        ["书法队", "机关工会", "参赛队", "会员1", 3],
        ["奉节合唱队", "机关工会", "参赛队", "会员10", 2],
        ["摄影队", "机关工会", None, "会员0", 1],  # no kind: an empty cell
    ]


def test_a_unit_admin_lists_and_exports_only_their_subtree(world, client_as):
    teams(world)
    client = client_as("unit_admin")
    assert sorted(shown_teams(client.get(TEAMS))) == ["书法队", "摄影队"]
    assert sorted(row[0] for row in exported(client.get(TEAMS, {"export": "xlsx"}))[1:]) == [
        "书法队",
        "摄影队",
    ]
    assert shown_teams(client.get(TEAMS, {"q": "合唱"})) == []


def test_the_filters_keep_one_kind_or_one_units_subtree(world, client_as):
    teams(world)
    client = client_as("federation_admin")
    assert sorted(shown_teams(client.get(TEAMS, {"kind": "参赛队"}))) == ["书法队", "奉节合唱队"]
    assert shown_teams(client.get(TEAMS, {"unit": world.other_district.pk})) == ["奉节合唱队"]
    both = {"kind": "参赛队", "unit": world.district.pk}
    assert shown_teams(client.get(TEAMS, both)) == ["书法队"]
    # the kinds offered are those of the viewer's teams
    page = client.get(TEAMS).content.decode()
    assert '<option value="参赛队">参赛队</option>' in page
