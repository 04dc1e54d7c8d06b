"""Console pages for members: masking, export, the import preview and commit, teams."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from laurel.accounts.models import Role
from laurel.accounts.services import role_grant
from laurel.audit.models import LogEntry
from laurel.members.models import Member, MemberImport, Team
from laurel.members.services import member_user_link, team_create
from tests.conftest import make_member, valid_id_card


def masked(id_card: str) -> str:
    return id_card[:6] + "********" + id_card[-4:]


def test_the_list_masks_numbers_even_for_a_holder_of_the_permission(world, users, client_as):
    member = make_member(world.grassroots, 1, mobile="13912345678")
    page = client_as("unit_admin").get(reverse("members:member_list")).content.decode()
    assert masked(member.id_card) in page
    assert member.id_card not in page
    assert "139****5678" in page
    assert "13912345678" not in page

    role_grant(acting_user=None, user=users["unit_admin"], role=Role.PERSONAL_DATA)
    page = client_as("unit_admin").get(reverse("members:member_list")).content.decode()
    assert masked(member.id_card) in page
    assert member.id_card not in page
    assert "13912345678" not in page


def test_a_member_sees_their_own_numbers_whole(world, users, client_as):
    member = make_member(world.grassroots, 1)
    member_user_link(acting_user=None, member=member, user=users["member"])
    page = client_as("member").get(reverse("members:my_record")).content.decode()
    assert member.id_card in page


def test_the_list_shows_only_the_subtree_and_searches_by_full_number(world, users, client_as):
    own = make_member(world.grassroots, 1, name="永川人")
    make_member(world.other_grassroots, 2, name="奉节人")
    role_grant(acting_user=None, user=users["unit_admin"], role=Role.PERSONAL_DATA)
    client = client_as("unit_admin")
    page = client.get(reverse("members:member_list")).content.decode()
    assert "永川人" in page
    assert "奉节人" not in page
    found = client.get(reverse("members:member_list"), {"q": own.id_card.lower()})
    assert "永川人" in found.content.decode()
    found = client.get(reverse("members:member_list"), {"q": valid_id_card(2)})
    assert "奉节人" not in found.content.decode()


@pytest.mark.parametrize("name", ["members:member_list", "members:team_list"])
def test_list_pages_make_the_same_number_of_queries_for_more_rows(name, world, client_as):
    client = client_as("unit_admin")

    def queries_for(count: int, start: int) -> int:
        people = [make_member(world.grassroots, n) for n in range(start, start + count)]
        for person in people[:: max(1, count // 3)]:
            team_create(
                acting_user=None,
                unit=world.grassroots,
                name=f"队{person.pk}",
                leader=person,
                members=people[:3],
            )
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse(name)).status_code == 200
        return len(captured)

    assert queries_for(3, 1) == queries_for(30, 100)


def test_the_export_is_masked_and_whole_only_when_a_holder_asks_for_it(world, users, client_as):
    own = make_member(world.grassroots, 1, mobile="13912345678")
    make_member(world.other_grassroots, 2)
    response = client_as("unit_admin").get(reverse("members:member_export"))
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert len(rows) == 2  # header and the one member of the subtree
    assert rows[1][2] == masked(own.id_card)
    assert rows[1][3] == "139****5678"
    assert LogEntry.objects.filter(action="members.exported").first().data["rows"] == 1

    role_grant(acting_user=None, user=users["federation_admin"], role=Role.PERSONAL_DATA)
    response = client_as("federation_admin").get(reverse("members:member_export"))
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert {row[2] for row in rows[1:]} == {masked(own.id_card), masked(valid_id_card(2))}
    url = reverse("members:member_export") + "?full_numbers=1"
    response = client_as("federation_admin").get(url)
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert {row[2] for row in rows[1:]} == {own.id_card, valid_id_card(2)}


def roster_upload(rows) -> SimpleUploadedFile:
    text = "姓名,身份证号,手机号,单位\n" + "\n".join(",".join(row) for row in rows)
    return SimpleUploadedFile("花名册.csv", text.encode("gb18030"), content_type="text/csv")


def test_an_import_is_previewed_then_committed(
    world, client_as, django_capture_on_commit_callbacks
):
    client = client_as("unit_admin")
    good = [[f"职工{n}", valid_id_card(n), "", "cq/yc/jg"] for n in range(1, 4)]
    bad = [["错号", "500118199001010010", "", "cq/yc/jg"]]
    response = client.post(reverse("members:member_import"), {"file": roster_upload(good + bad)})
    upload = MemberImport.objects.get()
    assert response["Location"] == reverse("members:member_import_detail", args=[upload.pk])
    assert upload.counts == {"imported": 3, "updated": 0, "unchanged": 0, "rejected": 1}
    assert Member.objects.count() == 0  # a preview writes no member

    page = client.get(response["Location"]).content.decode()
    assert 'data-count="rejected">1<' in page
    assert "错号" in page

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("members:member_import_commit", args=[upload.pk]))
    upload.refresh_from_db()
    assert upload.status == MemberImport.Status.COMMITTED
    assert bytes(upload.content) == b""  # the copy with personal numbers is dropped
    assert Member.objects.count() == 3
    audited = LogEntry.objects.filter(action="members.member.imported")
    assert {entry.data["id_card"] for entry in audited} == {
        masked(valid_id_card(n)) for n in range(1, 4)
    }

    report = client.get(reverse("members:member_import_report", args=[upload.pk]))
    rows = list(load_workbook(io.BytesIO(report.content)).active.iter_rows(values_only=True))
    assert rows[1][:3] == (5, "错号", "身份证号")  # an invalid number is not repeated

    # committing again does nothing more
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("members:member_import_commit", args=[upload.pk]))
    assert Member.objects.count() == 3


def test_an_unreadable_upload_is_refused_on_the_form(world, client_as):
    upload = SimpleUploadedFile("photo.xlsx", b"\x89PNG\r\n\x1a\n" + b"\x00" * 100)
    response = client_as("unit_admin").post(reverse("members:member_import"), {"file": upload})
    assert response.status_code == 200
    assert response.context["form"].has_error("file")
    assert not MemberImport.objects.exists()


def test_a_team_is_made_of_members_of_its_unit(world, client_as):
    leader = make_member(world.grassroots, 1)
    other = make_member(world.grassroots, 2)
    outsider = make_member(world.other_grassroots, 3)
    client = client_as("unit_admin")
    url = reverse("members:team_create") + f"?unit={world.grassroots.pk}"
    response = client.post(url, {"name": "机关代表队", "leader": leader.pk, "members": [other.pk]})
    team = Team.objects.get()
    assert response["Location"] == reverse("members:team_detail", args=[team.pk])
    assert set(team.members.all()) == {leader, other}

    # an outsider is not even offered, and the service refuses one
    response = client.post(url, {"name": "二队", "leader": leader.pk, "members": [outsider.pk]})
    assert response.context["form"].has_error("members", code="invalid_choice")
    with pytest.raises(ValidationError):
        team_create(
            acting_user=None, unit=world.grassroots, name="三队", leader=leader, members=[outsider]
        )
