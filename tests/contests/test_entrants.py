"""Entrants of every kind on the contests side: a member, a team (``members.Team``) or a unit
submits, is counted (per-entrant limit, unit quotas, figures), edits and withdraws, is told,
and answers screening — each as the contest's kind says."""

import itertools
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from laurel.accounts.policy import access_for
from laurel.audit.models import LogEntry
from laurel.contests import policy
from laurel.contests.entrants import entrant_key_expression, entrant_name_expression
from laurel.contests.ingest import entries_ingest
from laurel.contests.models import Contest, Entry, Flag, UnitQuota
from laurel.contests.selectors import unit_statistics
from laurel.contests.services import (
    SubmissionRefused,
    bulk_start,
    contest_close_preview,
    contest_create,
    contest_update,
    entry_submit,
    entry_update,
    entry_withdraw,
    flag_answer,
    flag_resolve,
)
from laurel.members.services import member_user_link, team_create
from laurel.notifications.models import Notification
from laurel.orgs.services import unit_create
from tests.conftest import make_member
from tests.contests.conftest import ALL_DECLARATIONS, photo_upload

SEEDS = itertools.count(3000)


@pytest.fixture(autouse=True)
def english():
    """Refusals read in English (the msgids), whatever the default language."""
    with translation.override("en"):
        yield


@pytest.fixture
def cast(world, users, make_user, member_self):
    """A team of 机关工会 (永川区) led by the ``member`` user's record, a second team there led
    by someone without a login, a team of 奉节县, a workshop union under the grassroots with
    its own admin, and that grassroots union's admin."""
    other = make_member(world.grassroots, 2, name="张丽")
    team = team_create(
        acting_user=None,
        unit=world.grassroots,
        name="晨光舞蹈队",
        leader=member_self,
        members=[member_self, other],
    )
    second = team_create(
        acting_user=None, unit=world.grassroots, name="夕阳合唱团", leader=other, members=[other]
    )
    far_leader = make_member(world.other_grassroots, 3, name="刘强")
    far_team = team_create(
        acting_user=None,
        unit=world.other_grassroots,
        name="奉节龙舟队",
        leader=far_leader,
        members=[far_leader],
    )
    workshop = unit_create(
        acting_user=None,
        name="一车间工会",
        code="cq/yc/jg/1",
        kind="workplace",
        parent=world.grassroots,
    )
    other_login = make_user("member", world.grassroots)
    member_user_link(acting_user=None, member=other, user=other_login)
    return SimpleNamespace(
        team=team,
        second=second,
        far_team=far_team,
        other=other,
        other_login=other_login,
        workshop=workshop,
        workshop_admin=make_user("unit_admin", workshop),
        grassroots_admin=make_user("unit_admin", world.grassroots),
        far_admin=make_user("unit_admin", world.other_district),
    )


@pytest.fixture
def team_contest(contest_factory):
    return contest_factory("dance-2026", entrants="teams")


@pytest.fixture
def unit_contest(contest_factory):
    return contest_factory("cases-2026", entrants="units")


@pytest.fixture
def send(django_capture_on_commit_callbacks):
    """Submit for one entrant (``author=``, ``team=`` or ``unit=``) and process it."""

    def run(user, contest, **entrant):
        with django_capture_on_commit_callbacks(execute=True):
            entry = entry_submit(
                acting_user=user,
                contest=contest,
                category=contest.categories.first(),
                title="作品",
                uploads=[photo_upload(next(SEEDS))],
                declarations=entrant.pop("declarations", ALL_DECLARATIONS),
                **entrant,
            )
        entry.refresh_from_db()
        return entry

    return run


# --- submitting ------------------------------------------------------------------------------


def test_a_team_leader_submits_the_teams_entry(team_contest, cast, users, send):
    entry = send(users["member"], team_contest, team=cast.team)

    assert (entry.entrant_kind, entry.team, entry.author) == ("team", cast.team, None)
    assert entry.unit == cast.team.unit
    assert entry.state == Entry.State.ACCEPTED
    assert (entry.entrant.key, entry.entrant.name) == (f"team:{cast.team.pk}", "晨光舞蹈队")
    [audited] = LogEntry.objects.filter(action="contests.entry.submitted")
    assert audited.data["entrant"] == f"team:{cast.team.pk}"
    assert "author" not in audited.data
    assert audited.unit == cast.team.unit


def test_a_unit_admin_submits_a_units_entry(unit_contest, cast, world, users, send):
    entry = send(users["unit_admin"], unit_contest, unit=world.grassroots)

    assert (entry.entrant_kind, entry.author, entry.team) == ("unit", None, None)
    assert entry.unit == world.grassroots
    assert entry.entrant.key == f"unit:{world.grassroots.pk}"
    [audited] = LogEntry.objects.filter(action="contests.entry.submitted")
    assert audited.data["entrant"] == f"unit:{world.grassroots.pk}"


def test_a_member_entry_keeps_its_audit_data_and_names_the_entrant(
    contest, member_self, users, send
):
    send(users["member"], contest, author=member_self)
    [audited] = LogEntry.objects.filter(action="contests.entry.submitted")
    assert audited.data["author"] == member_self.pk
    assert audited.data["entrant"] == f"member:{member_self.pk}"


def test_an_entrant_of_another_kind_is_refused_naming_what_the_contest_takes(
    contest, team_contest, unit_contest, cast, member_self, world, users, send
):
    with pytest.raises(SubmissionRefused, match="takes entries from teams"):
        send(users["federation_admin"], team_contest, author=member_self)
    with pytest.raises(SubmissionRefused, match="takes entries from units"):
        send(users["federation_admin"], unit_contest, team=cast.team)
    with pytest.raises(SubmissionRefused, match="takes entries from members"):
        send(users["federation_admin"], contest, unit=world.grassroots)
    with pytest.raises(TypeError):
        send(users["federation_admin"], team_contest, team=cast.team, author=member_self)
    assert not Entry.objects.exists()


def test_who_may_submit_for_a_team(contest_factory, cast, users, send):
    contest = contest_factory("teams-a", entrants="teams")
    for user in (cast.other_login, cast.far_admin, users["judge"]):  # not its leader or admin
        with pytest.raises(SubmissionRefused):
            send(user, contest, team=cast.team)
    for user in (users["member"], users["unit_admin"], cast.grassroots_admin):
        send(user, contest, team=cast.team)
    admins_only = contest_factory("teams-b", entrants="teams", members_submit=False)
    with pytest.raises(SubmissionRefused):
        send(users["member"], admins_only, team=cast.team)
    leaders_only = contest_factory("teams-c", entrants="teams", units_submit=False)
    with pytest.raises(SubmissionRefused):
        send(users["unit_admin"], leaders_only, team=cast.team)
    send(users["member"], leaders_only, team=cast.team)


def test_who_may_submit_for_a_unit(unit_contest, cast, world, users, send):
    for user in (users["member"], cast.far_admin, cast.workshop_admin, users["judge"]):
        with pytest.raises(SubmissionRefused):
            send(user, unit_contest, unit=world.grassroots)
    for user in (cast.grassroots_admin, users["unit_admin"], users["federation_admin"]):
        send(user, unit_contest, unit=world.grassroots)


def test_a_contest_of_units_takes_its_entries_from_unit_admins(users):
    with pytest.raises(ValidationError) as refused:
        contest_create(
            acting_user=users["federation_admin"],
            slug="units-nobody",
            title="创新案例",
            organiser="市总工会",
            opens_at="2026-05-01T00:00+08:00",
            closes_at="2026-06-01T00:00+08:00",
            categories=["案例"],
            entrants="units",
            units_submit=False,
        )
    assert "units_submit" in refused.value.message_dict


# --- counting --------------------------------------------------------------------------------


def test_a_team_is_one_entrant_for_the_per_entrant_limit(contest_factory, cast, users, send):
    contest = contest_factory("teams-limit", entrants="teams", max_entries_per_member=2)
    send(users["member"], contest, team=cast.team)  # its leader
    send(users["unit_admin"], contest, team=cast.team)  # its admin: the same entrant
    with pytest.raises(SubmissionRefused, match="晨光舞蹈队 already has 2 entries"):
        send(cast.grassroots_admin, contest, team=cast.team)
    send(users["unit_admin"], contest, team=cast.second)  # another team has its own places
    assert Entry.objects.filter(team=cast.team).count() == 2


def test_a_unit_is_one_entrant_apart_from_the_units_below_it(
    contest_factory, cast, world, users, send
):
    contest = contest_factory("units-limit", entrants="units", max_entries_per_member=1)
    send(users["unit_admin"], contest, unit=world.grassroots)
    with pytest.raises(SubmissionRefused, match="already has 1 entries"):
        send(users["unit_admin"], contest, unit=world.grassroots)
    send(users["unit_admin"], contest, unit=cast.workshop)  # below it: its own entrant
    send(users["unit_admin"], contest, unit=world.district)  # above it: its own too


def test_a_unit_quota_counts_team_and_unit_entries_of_its_subtree(
    contest_factory, cast, world, users, send
):
    teams = contest_factory("teams-quota", entrants="teams")
    UnitQuota.objects.create(contest=teams, unit=world.district, limit=2)
    send(users["member"], teams, team=cast.team)
    send(users["unit_admin"], teams, team=cast.second)
    with pytest.raises(SubmissionRefused, match="永川区总工会 has used all 2"):
        send(users["member"], teams, team=cast.team)
    send(users["federation_admin"], teams, team=cast.far_team)  # another district

    units = contest_factory("units-quota", entrants="units")
    UnitQuota.objects.create(contest=units, unit=world.grassroots, limit=1)
    send(users["unit_admin"], units, unit=cast.workshop)
    with pytest.raises(SubmissionRefused, match="has used all 1"):
        send(users["unit_admin"], units, unit=world.grassroots)


def test_figures_and_the_close_preview_count_teams_as_entrants(
    contest_factory, cast, world, users, send
):
    contest = contest_factory("teams-figures", entrants="teams")
    send(users["member"], contest, team=cast.team)
    send(users["member"], contest, team=cast.team)
    send(users["unit_admin"], contest, team=cast.second)
    send(users["federation_admin"], contest, team=cast.far_team)

    figures = unit_statistics(access_for(users["federation_admin"]), contest)
    rows = {row.unit.pk: row for row in figures.rows}
    assert (rows[world.district.pk].entries, rows[world.district.pk].entrants) == (3, 2)
    assert rows[world.other_district.pk].entrants == 1
    assert figures.totals["entrants"] == 3
    preview = contest_close_preview(contest)
    assert (preview.entries, preview.entrants) == (4, 3)


# --- changing, telling, answering -------------------------------------------------------------


def test_the_leader_and_the_admin_change_a_team_entry_and_no_other_member(
    team_contest, cast, users, send, django_capture_on_commit_callbacks
):
    entry = send(users["member"], team_contest, team=cast.team)
    with pytest.raises(SubmissionRefused):  # in the team, but not its leader
        entry_update(acting_user=cast.other_login, entry=entry, title="改", category=entry.category)
    with pytest.raises(SubmissionRefused):
        entry_withdraw(acting_user=cast.far_admin, entry=entry)
    entry_update(acting_user=users["member"], entry=entry, title="新题", category=entry.category)
    entry_withdraw(acting_user=users["unit_admin"], entry=entry)
    entry.refresh_from_db()
    assert (entry.title, entry.state) == ("新题", Entry.State.WITHDRAWN)


def test_a_refused_team_entry_takes_its_teams_place_again(
    contest_factory, cast, users, send, django_capture_on_commit_callbacks
):
    contest = contest_factory("teams-again", entrants="teams", max_entries_per_member=1)
    refused = send(users["member"], contest, team=cast.team, declarations=())  # accepted, flagged
    Entry.objects.filter(pk=refused.pk).update(state=Entry.State.REFUSED)
    send(users["member"], contest, team=cast.team)  # the refused one freed its place
    with (
        pytest.raises(SubmissionRefused, match="already has 1 entries"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        entry_update(
            acting_user=users["member"],
            entry=refused,
            title="再投",
            category=refused.category,
            uploads=[photo_upload(next(SEEDS))],
        )


def test_the_team_leader_is_told_and_answers_the_organiser(team_contest, cast, users, send):
    entry = send(cast.grassroots_admin, team_contest, team=cast.team, declarations=())
    told = Notification.objects.filter(recipient=users["member"], title__contains="accepted")
    assert told.count() == 1
    assert not Notification.objects.filter(recipient=cast.other_login).exists()
    flag = entry.flags.get(kind=Flag.Kind.DECLARATIONS_MISSING)
    flag = flag_resolve(
        acting_user=users["federation_admin"], flag=flag, decision="asked", reason="请补交声明"
    )
    assert Notification.objects.filter(recipient=users["member"], body__contains="请补交").exists()
    for user in (cast.other_login, users["unit_admin"]):
        with pytest.raises(ValidationError):
            flag_answer(acting_user=user, flag=flag, answer="代答")
    flag_answer(acting_user=users["member"], flag=flag, answer="已寄出")
    assert Flag.objects.get(pk=flag.pk).state == Flag.State.OPEN


def test_a_units_own_admins_are_told_and_answer_for_it(unit_contest, cast, world, users, send):
    entry = send(users["unit_admin"], unit_contest, unit=world.grassroots, declarations=())
    told = set(
        Notification.objects.filter(title__contains="accepted").values_list("recipient", flat=True)
    )
    assert told == {cast.grassroots_admin.pk}  # not the district's admin above, nor a workshop's
    flag = entry.flags.get(kind=Flag.Kind.DECLARATIONS_MISSING)
    flag = flag_resolve(
        acting_user=users["federation_admin"], flag=flag, decision="asked", reason="请补交"
    )
    for user in (users["unit_admin"], cast.workshop_admin, users["member"]):
        with pytest.raises(ValidationError):
            flag_answer(acting_user=user, flag=flag, answer="代答")
    flag_answer(acting_user=cast.grassroots_admin, flag=flag, answer="已补交")
    assert Flag.objects.get(pk=flag.pk).answer == "已补交"


def test_a_persons_own_entries_include_the_teams_they_lead(team_contest, cast, users, send):
    led = send(users["unit_admin"], team_contest, team=cast.team)
    theirs = send(users["unit_admin"], team_contest, team=cast.second)
    mine = policy.entries_of(access_for(users["member"]))
    assert list(mine) == [led]
    assert list(policy.entries_of(access_for(cast.other_login))) == [theirs]
    assert list(policy.flags_to_answer(access_for(users["member"]))) == []


# --- the contest's kind of entrant ------------------------------------------------------------


def test_the_kind_of_entrant_changes_only_while_the_contest_is_a_draft(contest_factory, users):
    draft = contest_factory("kind-draft", state="draft")
    draft = contest_update(acting_user=users["federation_admin"], contest=draft, entrants="teams")
    assert Contest.objects.get(pk=draft.pk).entrants == "teams"
    opened = contest_factory("kind-open")
    with pytest.raises(ValidationError) as refused:
        contest_update(acting_user=users["federation_admin"], contest=opened, entrants="teams")
    assert "draft" in refused.value.message_dict["entrants"][0]
    assert Contest.objects.get(pk=opened.pk).entrants == "members"


def test_prize_tiers_for_units_are_kept(users):
    contest = contest_create(
        acting_user=users["federation_admin"],
        slug="with-unit-prize",
        title="摄影展",
        organiser="市总工会",
        opens_at="2026-05-01T00:00+08:00",
        closes_at="2026-06-01T00:00+08:00",
        categories=["风光"],
        prize_tiers=[("一等奖", 3), ("优秀组织奖", 5, True)],
    )
    assert list(contest.prize_tiers.values_list("name", "count", "for_units")) == [
        ("一等奖", 3, False),
        ("优秀组织奖", 5, True),
    ]


def test_a_spreadsheet_is_refused_whole_for_a_contest_of_teams(team_contest, users):
    with pytest.raises(SubmissionRefused, match="members' works only"):
        bulk_start(
            acting_user=users["unit_admin"],
            contest=team_contest,
            content=b"\xe6\x96\x87\xe4\xbb\xb6\xe5\x90\x8d\n",
            filename="entries.csv",
        )


def test_ingesting_a_folder_is_refused_whole_for_a_contest_of_units(unit_contest, users, tmp_path):
    (tmp_path / "自然风光").mkdir()
    (tmp_path / "自然风光" / "13900000001_春.jpg").write_bytes(b"not looked at")
    with pytest.raises(SubmissionRefused, match="members' works only"):
        entries_ingest(acting_user=users["federation_admin"], contest=unit_contest, source=tmp_path)
    assert not Entry.objects.exists()


def test_the_entrant_in_a_query_is_the_entrant_of_each_entry(
    contest, team_contest, unit_contest, cast, world, users, member_self, send
):
    """``entrant_key_expression`` and ``entrant_name_expression`` give in the database what
    ``Entry.entrant`` gives in Python, for every kind (on SQLite and PostgreSQL alike)."""
    made = [
        send(users["member"], contest, author=member_self),
        send(users["member"], team_contest, team=cast.team),
        send(users["unit_admin"], unit_contest, unit=world.grassroots),
    ]
    found = Entry.objects.filter(pk__in=[entry.pk for entry in made]).annotate(
        key=entrant_key_expression(), name=entrant_name_expression()
    )
    assert {(entry.key, entry.name) for entry in found} == {
        (entry.entrant.key, entry.entrant.name) for entry in made
    }
    assert len({entry.key for entry in found}) == 3
