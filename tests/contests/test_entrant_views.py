"""Entrants of every kind on the pages: the console picks a team or a unit as the contest's
kind says, a team's leader submits on their own page, a contest of units is console-only;
lists, entry pages and search show the entrant. URL × role for the new cases."""

import pytest
from django.test import Client
from django.urls import reverse

from laurel.contests.models import Contest, Entry
from laurel.contests.services import entry_submit
from laurel.members.services import member_user_link, team_create
from tests.conftest import english_client, make_member
from tests.contests.conftest import ALL_DECLARATIONS, photo_upload
from tests.contests.test_console import contest_form_data, form_data_from
from tests.contests.test_submission_views import entry_data, jpeg_file
from tests.helpers import rows_data


def client_of(user, *, english: bool = False) -> Client:
    client = english_client() if english else Client()
    client.force_login(user)
    return client


@pytest.fixture
def teams(world, member_self, make_user):
    """晨光舞蹈队 (永川区's 机关工会, led by the ``member`` user), and 奉节龙舟队 of 奉节县;
    a second login of 永川区 who leads nothing."""
    far = make_member(world.other_grassroots, 3, name="刘强")
    bystander = make_member(world.grassroots, 4, name="赵敏")
    bystander_login = make_user("member", world.grassroots)
    member_user_link(acting_user=None, member=bystander, user=bystander_login)
    return {
        "ours": team_create(
            acting_user=None,
            unit=world.grassroots,
            name="晨光舞蹈队",
            leader=member_self,
            members=[member_self, bystander],
        ),
        "far": team_create(
            acting_user=None,
            unit=world.other_grassroots,
            name="奉节龙舟队",
            leader=far,
            members=[far],
        ),
        "bystander": bystander_login,
    }


@pytest.fixture
def team_contest(contest_factory):
    return contest_factory("dance-2026", entrants="teams")


@pytest.fixture
def unit_contest(contest_factory):
    return contest_factory("cases-2026", entrants="units")


def submit_url(contest) -> str:
    return reverse("contests:console_entry_submit", args=[contest.slug])


def entry_of(contest, user, **entrant) -> Entry:
    return entry_submit(
        acting_user=user,
        contest=contest,
        category=contest.categories.first(),
        title="队列操",
        uploads=[photo_upload(9)],
        declarations=ALL_DECLARATIONS,
        process=False,
        **entrant,
    )


# --- the console ------------------------------------------------------------------------------


def test_a_unit_admin_finds_a_team_of_their_subtree_and_submits_for_it(
    team_contest, teams, users, client_as, django_capture_on_commit_callbacks
):
    client = client_as("unit_admin")
    found = client.get(submit_url(team_contest), {"q": "队"}, headers={"HX-Request": "true"})
    assert found.status_code == 200
    assert f'data-team="{teams["ours"].pk}"'.encode() in found.content
    assert "奉节龙舟队".encode() not in found.content  # another district's: never offered
    by_unit = client.get(submit_url(team_contest), {"q": "机关"}, headers={"HX-Request": "true"})
    assert "晨光舞蹈队".encode() in by_unit.content

    assert client.get(submit_url(team_contest), {"team": teams["far"].pk}).status_code == 404
    chosen = client.get(submit_url(team_contest), {"team": teams["ours"].pk})
    assert b'id="team-chosen"' in chosen.content
    data = entry_data(team_contest, photos=[jpeg_file(21)], team=teams["ours"].pk, declared="on")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(submit_url(team_contest), data)
    assert response.status_code == 302
    entry = Entry.objects.get()
    assert (entry.team, entry.author, entry.submitted_by) == (
        teams["ours"],
        None,
        users["unit_admin"],
    )
    far = entry_data(team_contest, photos=[jpeg_file(22)], team=teams["far"].pk, declared="on")
    assert client.post(submit_url(team_contest), far).status_code == 404
    assert Entry.objects.count() == 1


def test_a_unit_admin_picks_a_unit_and_submits_its_entry(
    unit_contest, world, users, client_as, django_capture_on_commit_callbacks
):
    client = client_as("unit_admin")
    page = client.get(submit_url(unit_contest))
    assert b'id="unit-choice"' in page.content
    named = client.get(submit_url(unit_contest), {"unit_q": "永川区"})  # typed, no JS
    assert f'data-unit="{world.district.pk}"'.encode() in named.content
    assert (
        client.get(submit_url(unit_contest), {"unit": world.other_district.pk}).status_code == 200
    )
    refused = client.get(submit_url(unit_contest), {"unit": world.other_district.pk})
    assert b'id="unit-chosen"' not in refused.content  # not a unit they may choose
    data = entry_data(unit_contest, photos=[jpeg_file(23)], unit=world.grassroots.pk)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(submit_url(unit_contest), data)
    assert response.status_code == 302
    entry = Entry.objects.get()
    assert (entry.entrant_kind, entry.unit) == ("unit", world.grassroots)
    foreign = entry_data(unit_contest, photos=[jpeg_file(24)], unit=world.other_grassroots.pk)
    assert client.post(submit_url(unit_contest), foreign).status_code == 404


def test_the_entry_list_and_page_show_and_find_the_entrant(
    team_contest, unit_contest, teams, world, users, client_as
):
    team_entry = entry_of(team_contest, users["federation_admin"], team=teams["ours"])
    client = client_as("federation_admin")
    listing = reverse("contests:console_entry_list", args=[team_contest.slug])
    html = client.get(listing, {"q": "晨光"}).content.decode()
    assert f'id="entry-{team_entry.number}"' in html
    assert "晨光舞蹈队" in html
    other = client.get(listing, {"q": "龙舟"}).content.decode()
    assert f'id="entry-{team_entry.number}"' not in other
    page = client.get(
        reverse("contests:console_entry", args=[team_contest.slug, team_entry.number])
    )
    assert f'data-entrant="team:{teams["ours"].pk}"'.encode() in page.content

    unit_entry = entry_of(unit_contest, users["federation_admin"], unit=world.grassroots)
    sheet = client.get(
        reverse("contests:console_entry_list", args=[unit_contest.slug]), {"export": "xlsx"}
    )
    assert sheet.status_code == 200
    page = client.get(
        reverse("contests:console_entry", args=[unit_contest.slug, unit_entry.number])
    )
    assert f'data-entrant="unit:{world.grassroots.pk}"'.encode() in page.content


def test_the_contest_form_takes_the_entrants_only_while_a_draft_and_unit_prizes(client_as, contest):
    client = client_as("federation_admin")
    data = contest_form_data(entrants="teams")
    data.update(
        rows_data(
            "prize_tiers",
            [
                {"name": "一等奖", "count": "3"},
                {"name": "优秀组织奖", "count": "5", "for_units": "on"},
            ],
        )
    )
    assert client.post(reverse("contests:console_contest_create"), data).status_code == 302
    created = Contest.objects.get(slug="spring-2026")
    assert created.entrants == "teams"
    assert list(created.prize_tiers.values_list("name", "for_units")) == [
        ("一等奖", False),
        ("优秀组织奖", True),
    ]
    edit = reverse("contests:console_contest_edit", args=[created.slug])
    page = client.get(edit)
    assert page.context["form"]["prize_tiers"].value()[1] == ("优秀组织奖", 5, True)
    assert 'name="prize_tiers-1-for_units"' in page.content.decode()

    url = reverse("contests:console_contest_edit", args=[contest.slug])  # an open contest
    response = client.get(url)
    assert response.context["form"].fields["entrants"].disabled
    data = form_data_from(response)
    data["entrants"] = "units"
    assert client.post(url, data).status_code == 302
    contest.refresh_from_db()
    assert contest.entrants == "members"


# --- the member's own pages ---------------------------------------------------------------------


def test_a_team_leader_submits_for_their_team_on_their_own_page(
    team_contest, teams, users, client_as, django_capture_on_commit_callbacks
):
    client = client_as("member")
    url = reverse("contests:entry_submit", args=[team_contest.slug])
    page = client.get(url)
    assert f'data-team="{teams["ours"].pk}"'.encode() in page.content
    data = entry_data(team_contest, photos=[jpeg_file(31)], team=teams["ours"].pk)
    data.update({f"declare_{code}": "on" for code in ALL_DECLARATIONS})
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, data)
    assert response.status_code == 302
    entry = Entry.objects.get()
    assert (entry.team, entry.submitted_by) == (teams["ours"], users["member"])
    mine = client.get(reverse("contests:my_entries"))
    assert f"{entry.code}".encode() in mine.content
    own = client.get(reverse("contests:my_entry", args=[entry.pk]))
    assert b'id="entry-entrant"' in own.content
    assert "晨光舞蹈队".encode() in own.content
    assert b'id="entry-edit"' in own.content


def test_a_member_who_leads_no_team_is_told_and_a_unit_contest_is_console_only(
    team_contest, unit_contest, teams, users
):
    client = client_of(teams["bystander"], english=True)
    page = client.get(reverse("contests:entry_submit", args=[team_contest.slug]))
    assert b'id="no-team"' in page.content
    assert b'id="entry-form"' not in page.content
    forged = {"team": teams["ours"].pk}  # another's team: not theirs to enter
    page = client.get(reverse("contests:entry_submit", args=[team_contest.slug]), forged)
    assert b'id="entry-form"' not in page.content
    page = client_of(users["member"]).get(
        reverse("contests:entry_submit", args=[unit_contest.slug])
    )
    assert b'id="units-only"' in page.content
    assert b'id="entry-form"' not in page.content


# --- URL × role ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "status"),
    [("member", 403), ("judge", 403), ("unit_admin", 200), ("federation_admin", 200)],
)
def test_the_console_submission_of_teams_and_units_by_role(
    team_contest, unit_contest, client_as, who, status
):
    for contest in (team_contest, unit_contest):
        assert client_as(who).get(submit_url(contest)).status_code == status


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("leader", 200),
        ("bystander", 404),  # in the team, not its leader: not their entry
        ("judge", 404),
        ("unit_admin", 200),
        ("far_admin", 404),
        ("federation_admin", 200),
    ],
)
def test_a_team_entrys_page_by_role(team_contest, teams, users, make_user, world, who, status):
    entry = entry_of(team_contest, users["federation_admin"], team=teams["ours"])
    people = {
        "leader": users["member"],
        "bystander": teams["bystander"],
        "far_admin": make_user("unit_admin", world.other_district),
        **users,
    }
    client = client_of(people[who])
    assert client.get(reverse("contests:my_entry", args=[entry.pk])).status_code == status
    edit = client.get(reverse("contests:entry_edit", args=[entry.pk])).status_code
    assert edit == status
