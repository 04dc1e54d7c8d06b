"""Teams in the console over HTTP: made, changed and dissolved; members added and taken out;
a team sheet previewed then imported; another district's team not found; numbers masked."""

import datetime
import io
import re

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import Workbook, load_workbook

from laurel.audit.models import LogEntry
from laurel.contests.services import Upload, contest_create, contest_transition, entry_submit
from laurel.core.identity import id_card_mask, mobile_mask
from laurel.members.models import Team, TeamImport
from laurel.members.services import team_create, team_members_add, team_update
from tests.conftest import english_client, make_member
from tests.helpers import jpeg, photo


@pytest.fixture
def people(world):
    """Members 1-4 of 机关工会 (永川区) and 90 of 奉节县."""
    found = {n: make_member(world.grassroots, n) for n in range(1, 5)}
    found[90] = make_member(world.other_grassroots, 90)
    return found


@pytest.fixture
def admin(users):
    """The 永川区 unit admin, reading English."""
    client = english_client()
    client.force_login(users["unit_admin"])
    return client


def make_team(people, n=1, *, name="机关代表队", kind="", members=(1, 2)):
    leader = people[n]
    return team_create(
        acting_user=None,
        unit=leader.unit,
        name=name,
        kind=kind,
        leader=leader,
        members=[people[m] for m in members],
    )


def test_a_unit_admin_makes_a_team_from_the_people_a_search_finds(world, people, admin):
    url = reverse("members:team_create") + f"?unit={world.grassroots.pk}&q=会员2"
    page = admin.get(url).content.decode()
    assert re.findall(r'name="members" value="(\d+)"', page) == [str(people[2].pk)]
    assert id_card_mask(people[2].id_card) in page
    assert people[2].id_card not in page

    response = admin.post(
        url,
        {"name": "机关代表队", "kind": "参赛队", "leader": people[1].pk, "members": [people[2].pk]},
    )

    team = Team.objects.get()
    assert response["Location"] == reverse("members:team_detail", args=[team.pk])
    assert (team.name, team.kind, team.leader) == ("机关代表队", "参赛队", people[1])
    assert set(team.members.all()) == {people[1], people[2]}
    assert LogEntry.objects.filter(action="members.team.created", object_id=str(team.pk)).exists()


def test_a_person_is_in_one_team_of_a_kind_only(world, people, admin):
    make_team(people, kind="参赛队")
    url = reverse("members:team_create") + f"?unit={world.grassroots.pk}"
    response = admin.post(url, {"name": "二队", "kind": "参赛队", "leader": people[2].pk})
    assert response.status_code == 200
    assert "Already in another team of the kind “参赛队”: 会员2." in response.content.decode()
    # another kind, or none, is free
    response = admin.post(url, {"name": "二队", "kind": "广播体操队", "leader": people[2].pk})
    assert response.status_code == 302
    assert Team.objects.count() == 2


def test_the_team_page_shows_members_with_their_numbers_masked(people, admin):
    team = make_team(people)
    page = admin.get(reverse("members:team_detail", args=[team.pk])).content.decode()
    for n in (1, 2):
        assert id_card_mask(people[n].id_card) in page
        assert mobile_mask(people[n].mobile) in page
        assert people[n].id_card not in page
        assert people[n].mobile not in page
    # the search to add more: masked too, and a whole number finds no one for a non-holder
    assert id_card_mask(people[3].id_card) in page
    assert people[3].id_card not in page
    whole = admin.get(reverse("members:team_detail", args=[team.pk]), {"q": people[3].mobile})
    assert not re.findall(r'name="members" value="\d+"', whole.content.decode())


def test_members_are_added_and_taken_out_but_the_leader_stays(people, admin):
    team = make_team(people)
    add = reverse("members:team_members_add", args=[team.pk])
    response = admin.post(add, {"members": [people[3].pk, people[4].pk]})
    assert response.status_code == 302
    assert set(team.members.all()) == {people[n] for n in (1, 2, 3, 4)}
    # another district's member is not among the choices
    response = admin.post(add, {"members": [people[90].pk]})
    assert response.context["add_form"].has_error("members", code="invalid_choice")

    remove = reverse("members:team_member_remove", args=[team.pk, people[3].pk])
    assert admin.post(remove).status_code == 302
    leader = reverse("members:team_member_remove", args=[team.pk, people[1].pk])
    response = admin.post(leader, follow=True)
    assert "leads the team: choose another leader" in response.content.decode()
    assert set(team.members.all()) == {people[n] for n in (1, 2, 4)}
    entries = LogEntry.objects.filter(object_id=str(team.pk), action__startswith="members.team")
    actions = entries.values_list("action", flat=True)
    assert sorted(actions) == [
        "members.team.created",
        "members.team.member_added",
        "members.team.member_added",
        "members.team.member_removed",
    ]


def test_a_team_is_renamed_given_a_kind_and_a_new_leader_from_its_members(people, admin):
    team = make_team(people)
    url = reverse("members:team_edit", args=[team.pk])
    assert admin.get(url).status_code == 200
    response = admin.post(url, {"name": "新名字", "kind": "广播体操队", "leader": people[2].pk})
    assert response.status_code == 302
    team.refresh_from_db()
    assert (team.name, team.kind, team.leader) == ("新名字", "广播体操队", people[2])
    # the leader is one of the team
    response = admin.post(url, {"name": "新名字", "kind": "", "leader": people[3].pk})
    assert response.context["form"].has_error("leader", code="invalid_choice")
    entry = LogEntry.objects.get(action="members.team.updated")
    assert entry.data["changed"] == ["name", "kind", "leader"]


def test_a_team_is_dissolved_after_a_look_its_members_stay(people, admin):
    team = make_team(people)
    url = reverse("members:team_dissolve", args=[team.pk])
    assert "2 memberships are deleted" in admin.get(url).content.decode()
    assert Team.objects.filter(pk=team.pk).exists()  # a look changes nothing
    response = admin.post(url)
    assert response["Location"] == reverse("members:team_list")
    assert not Team.objects.filter(pk=team.pk).exists()
    assert people[1].__class__.objects.filter(pk__in=[people[1].pk, people[2].pk]).count() == 2
    assert LogEntry.objects.filter(action="members.team.dissolved").count() == 1


def test_a_team_that_entered_a_contest_is_not_dissolved_and_the_page_says_why(people, admin, users):
    team = make_team(people)
    now, organiser = timezone.now(), users["federation_admin"]
    contest = contest_create(
        acting_user=organiser,
        slug="dance",
        title="舞蹈比赛",
        organiser="市总工会",
        opens_at=now - datetime.timedelta(days=1),
        closes_at=now + datetime.timedelta(days=1),
        categories=["舞蹈"],
        entrants="teams",
    )
    contest = contest_transition(acting_user=organiser, contest=contest, to="open")
    entry_submit(
        acting_user=organiser,
        contest=contest,
        team=team,
        category=contest.categories.get(),
        title="作品",
        uploads=[Upload("a.jpg", [jpeg(photo(7))])],
        process=False,
    )
    url = reverse("members:team_dissolve", args=[team.pk])
    said = "cannot be dissolved: it has entered contests (1 entries)"
    assert said in admin.get(url).content.decode()
    response = admin.post(url)
    assert response.status_code == 200
    assert said in response.content.decode()
    assert Team.objects.filter(pk=team.pk).exists()


def test_another_districts_team_is_not_found(people, admin):
    team = make_team(people, 90, name="奉节队", members=())
    own = make_team(people)
    for name, method, args, data in [
        ("members:team_detail", "get", [team.pk], {}),
        ("members:team_edit", "get", [team.pk], {}),
        ("members:team_edit", "post", [team.pk], {"name": "x", "leader": people[90].pk}),
        ("members:team_dissolve", "get", [team.pk], {}),
        ("members:team_dissolve", "post", [team.pk], {}),
        ("members:team_members_add", "post", [team.pk], {"members": [people[90].pk]}),
        ("members:team_member_remove", "post", [team.pk, people[90].pk], {}),
        ("members:team_member_remove", "post", [own.pk, people[90].pk], {}),  # not its member
    ]:
        response = getattr(admin, method)(reverse(name, args=args), data)
        assert response.status_code == 404, (name, method)
    team.refresh_from_db()
    assert (team.name, list(team.members.all())) == ("奉节队", [people[90]])
    listed = admin.get(reverse("members:team_list")).content.decode()
    assert "机关代表队" in listed
    assert "奉节队" not in listed


# --- a team from a sheet ---------------------------------------------------------------------


def team_sheet(rows) -> SimpleUploadedFile:
    workbook = Workbook()
    workbook.active.append(["姓名", "身份证号", "手机号"])
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile("代表队.xlsx", buffer.getvalue())


def test_a_team_sheet_is_previewed_then_imported(world, people, admin, make_user):
    rows = [
        [people[1].name, people[1].id_card, ""],
        [people[2].name, "", people[2].mobile],
        ["无名氏", people[90].id_card, ""],  # 奉节县's: not found, in those words
    ]
    response = admin.post(
        reverse("members:team_import"),
        {"file": team_sheet(rows), "unit": world.grassroots.pk, "name": "机关代表队", "kind": ""},
    )
    upload = TeamImport.objects.get()
    assert response["Location"] == reverse("members:team_import_detail", args=[upload.pk])
    assert not Team.objects.exists()  # a preview writes nothing
    page = admin.get(response["Location"]).content.decode()
    assert 'data-count="imported">2<' in page
    assert 'data-count="rejected">1<' in page
    assert "No member of 机关工会 has this number." in page
    assert people[90].id_card not in page
    assert people[1].id_card not in page

    report = admin.get(reverse("members:team_import_report", args=[upload.pk]))
    rejected = list(load_workbook(io.BytesIO(report.content)).worksheets[0].values)
    assert [r[0] for r in rejected[1:]] == [4]

    # another admin of the same district does not see this upload
    other = english_client()
    other.force_login(make_user("unit_admin", world.district))
    assert other.get(response["Location"]).status_code == 404
    commit = reverse("members:team_import_commit", args=[upload.pk])
    assert other.post(commit).status_code == 404

    admin.post(commit)
    team = Team.objects.get()
    assert set(team.members.all()) == {people[1], people[2]}
    assert team.leader == people[1]
    upload.refresh_from_db()
    assert (upload.status, upload.team, bytes(upload.content)) == ("committed", team, b"")
    page = admin.get(reverse("members:team_import_detail", args=[upload.pk])).content.decode()
    assert reverse("members:team_detail", args=[team.pk]) in page
    # committing twice adds nothing and says so
    response = admin.post(commit, follow=True)
    assert "already been imported" in response.content.decode()
    assert team.members.count() == 2


def test_an_unusable_team_sheet_is_refused_on_the_form(world, people, admin):
    workbook = Workbook()
    workbook.active.append(["姓名", "队长"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = admin.post(
        reverse("members:team_import"),
        {
            "file": SimpleUploadedFile("t.xlsx", buffer.getvalue()),
            "unit": world.grassroots.pk,
            "name": "队",
        },
    )
    assert response.status_code == 200
    with translation.override("en"):
        assert response.context["form"].has_error("file")
    assert not TeamImport.objects.exists()


def test_the_services_refuse_what_the_forms_never_offer(world, people):
    """A leader from outside the team, a member from outside its unit, a kind that would put a
    person in two teams of it: each refused by the service itself, nothing changed."""
    team = make_team(people)
    make_team(people, 3, name="体操队", kind="广播体操队", members=(2, 3))
    with pytest.raises(ValidationError, match="leader must be a member"):
        team_update(acting_user=None, team=team, leader=people[4])
    with pytest.raises(ValidationError, match="Not members of 机关工会: 会员90"):
        team_members_add(acting_user=None, team=team, members=[people[90]])
    with pytest.raises(ValidationError, match="“广播体操队”: 会员2"):
        team_update(acting_user=None, team=team, kind="广播体操队")
    team.refresh_from_db()
    assert (team.kind, team.leader) == ("", people[1])
    assert set(team.members.all()) == {people[1], people[2]}


def test_the_team_page_asks_the_same_queries_for_two_members_as_for_six(
    world, people, admin, django_assert_num_queries
):
    small = make_team(people)
    for n in range(5, 9):
        people[n] = make_member(world.grassroots, n)
    large = make_team(people, name="大队", members=(1, 2, 5, 6, 7, 8))
    with CaptureQueriesContext(connection) as two:
        assert admin.get(reverse("members:team_detail", args=[small.pk])).status_code == 200
    with django_assert_num_queries(len(two.captured_queries)):
        assert admin.get(reverse("members:team_detail", args=[large.pk])).status_code == 200
