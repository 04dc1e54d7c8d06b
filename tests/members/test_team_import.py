"""Team import: every fault a row can have, each named by row and reason, the good rows kept;
idempotent on re-import; whole files refused; the `laurel teams import` command (its line,
--dry-run, --report, --as-user)."""

import csv
import io

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook, load_workbook

from laurel.audit.models import LogEntry
from laurel.importing import ImportRefused
from laurel.members.models import Team, TeamMembership
from laurel.members.services import team_create, team_file_import
from laurel.members.team_imports import TEAM_PROBLEM_MESSAGES
from tests.conftest import make_member, valid_id_card

HEADER = ["姓名", "身份证号", "手机号", "队长"]


@pytest.fixture(autouse=True)
def english():
    """Reasons read in English (the msgids), whatever the default language."""
    with translation.override("en"):
        yield


def sheet_xlsx(rows, header=HEADER) -> bytes:
    """A team sheet as units send it: a title row above the header."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["机关工会代表队名单"])
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def mistyped(id_card: str) -> str:
    return id_card[:-1] + ("0" if id_card[-1] != "0" else "1")


@pytest.fixture
def roster(world):
    """Members 1-9 of 机关工会 (永川区), 90 of 奉节县; member 7 already in a 参赛队 there."""
    people = {n: make_member(world.grassroots, n) for n in range(1, 10)}
    people[90] = make_member(world.other_grassroots, 90)
    team_create(
        acting_user=None,
        unit=world.grassroots,
        name="舞蹈队",
        kind="参赛队",
        leader=people[7],
        members=[people[7]],
    )
    return people


def row(people, n, *, name=None, id_card=None, mobile="", leader=""):
    member = people.get(n)
    return [
        name or member.name,
        member.id_card if id_card is None else id_card,
        mobile,
        leader,
    ]


def faulty_rows(people):
    """Rows 3-16 under the title and header: five good (3, 4, 6, 8, 9), the rest one fault
    each."""
    return [
        row(people, 1),  # 3: good
        row(people, 2, leader="是"),  # 4: good, the leader
        ["无名氏", valid_id_card(55), "", ""],  # 5: no one in the roster has this number
        row(people, 3, id_card="", mobile=people[3].mobile),  # 6: good, by mobile alone
        row(people, 90),  # 7: 奉节县's member: outside the team's unit
        row(people, 4, mobile="13900000004"),  # 8: good, both numbers
        row(people, 5, leader="否"),  # 9: good, "no" in the leader column
        row(people, 7),  # 10: already in 舞蹈队, a 参赛队
        row(people, 1, id_card="", mobile=people[1].mobile),  # 11: row 3's person again
        row(people, 6, id_card=mistyped(people[6].id_card)),  # 12: bad check digit
        row(people, 8, name="别人"),  # 13: the number is member 8's, the name is not
        row(people, 6, id_card="", mobile="023-49871234"),  # 14: a landline
        ["周九", "", "", ""],  # 15: neither number
        row(people, 9, leader="队长"),  # 16: a second leader
    ]


def import_team(content, *, user=None, unit, name="机关代表队", kind="参赛队", dry_run=False):
    result, _team = team_file_import(
        acting_user=user,
        source=content,
        filename="team.xlsx",
        unit=unit,
        name=name,
        kind=kind,
        dry_run=dry_run,
    )
    return result


def test_every_fault_is_named_by_row_and_reason_and_the_good_rows_are_kept(world, roster):
    result = import_team(sheet_xlsx(faulty_rows(roster)), unit=world.grassroots)

    assert result.summary_line() == "imported 5, updated 0, unchanged 0, rejected 9"
    team = Team.objects.get(name="机关代表队")
    assert (team.unit, team.kind, team.leader) == (world.grassroots, "参赛队", roster[2])
    assert set(team.members.all()) == {roster[n] for n in (1, 2, 3, 4, 5)}
    reasons = {o.row_number: [(p.column, p.code) for p in o.problems] for o in result.rejected}
    assert reasons == {
        5: [("身份证号", "not_in_unit")],
        7: [("身份证号", "not_in_unit")],
        10: [("姓名", "kind_taken")],
        11: [("姓名", "same_person_in_file")],
        12: [("身份证号", "id_card_check_digit")],
        13: [("姓名", "name_mismatch")],
        14: [("手机号", "landline")],
        15: [("身份证号", "id_card_or_mobile_required")],
        16: [("队长", "second_leader")],
    }
    said = {o.row_number: [p.reason for p in o.problems] for o in result.rejected}
    assert said[10] == ["Already in another team of the kind “参赛队”: 舞蹈队."]
    assert said[11] == ["The same person is already in row 3."]
    assert said[16] == ["Row 4 already names the leader; a team has one."]
    # nothing about the person elsewhere, nor the roster's name, is said
    assert said[7] == said[5] == ["No member of 机关工会 has this number."]
    assert said[13] == ["The name is not the roster's name for this number."]
    assert roster[8].name not in str(said[13])
    labels = [o.label for o in result.outcomes]
    assert not any(person.id_card in label for person in roster.values() for label in labels)


def test_another_district_sees_the_same_words_for_its_members_as_for_no_one(world, roster, users):
    """A unit admin of 永川区 importing 奉节县's member: not found, in the same words and code
    as a number nobody holds — not that the person is elsewhere."""
    content = sheet_xlsx([row(roster, 90), ["无名氏", valid_id_card(55), "", ""]])
    result = import_team(content, user=users["unit_admin"], unit=world.grassroots, kind="")
    elsewhere, nobody = result.rejected
    assert [(p.code, p.reason) for p in elsewhere.problems] == [
        (p.code, p.reason) for p in nobody.problems
    ]
    assert "奉节" not in elsewhere.problems[0].reason
    assert not Team.objects.filter(name="机关代表队").exists()  # no good row: no team


def test_a_team_of_another_unit_is_not_named_to_an_admin_who_cannot_see_it(world, roster, users):
    """Member 1 in a 参赛队 of the federation itself: the 永川区 admin is told it is taken,
    not by which team."""
    team_create(
        acting_user=None,
        unit=world.federation,
        name="市代表队",
        kind="参赛队",
        leader=roster[1],
        members=[],
    )
    content = sheet_xlsx([row(roster, 1)])
    result = import_team(content, user=users["unit_admin"], unit=world.grassroots)
    (refused,) = result.rejected
    assert [(p.code, p.reason) for p in refused.problems] == [
        ("kind_taken_elsewhere", "Already in another team of the kind “参赛队”.")
    ]


def test_the_same_person_in_two_teams_of_no_kind_is_allowed(world, roster):
    result = import_team(sheet_xlsx([row(roster, 7)]), unit=world.grassroots, kind="")
    assert result.summary_line() == "imported 1, updated 0, unchanged 0, rejected 0"
    assert roster[7].teams.count() == 2


def test_importing_again_changes_nothing(world, roster):
    content = sheet_xlsx(faulty_rows(roster))
    import_team(content, unit=world.grassroots)
    memberships = list(TeamMembership.objects.order_by("pk").values())
    entries = LogEntry.objects.count()

    again = import_team(content, unit=world.grassroots)

    assert again.summary_line() == "imported 0, updated 0, unchanged 5, rejected 9"
    assert list(TeamMembership.objects.order_by("pk").values()) == memberships
    assert Team.objects.count() == 2
    # only the import itself is recorded, no team changes
    assert LogEntry.objects.count() == entries + 1
    assert LogEntry.objects.first().action == "members.team_import.committed"


def test_a_fixed_sheet_adds_the_rows_that_were_refused(world, roster):
    import_team(sheet_xlsx([row(roster, 1), row(roster, 8, name="别人")]), unit=world.grassroots)
    fixed = import_team(sheet_xlsx([row(roster, 1), row(roster, 8)]), unit=world.grassroots)
    assert fixed.summary_line() == "imported 1, updated 0, unchanged 1, rejected 0"
    team = Team.objects.get(name="机关代表队")
    assert set(team.members.all()) == {roster[1], roster[8]}
    assert team.leader == roster[1]  # the first sheet's first row; the second names none


def test_a_leader_named_in_a_later_sheet_is_an_update(world, roster):
    import_team(sheet_xlsx([row(roster, 1), row(roster, 2)]), unit=world.grassroots)
    result = import_team(
        sheet_xlsx([row(roster, 1), row(roster, 2, leader="√")]), unit=world.grassroots
    )
    assert result.summary_line() == "imported 0, updated 1, unchanged 1, rejected 0"
    assert [o.changes for o in result.outcomes if o.status == "updated"] == [["leader"]]
    assert Team.objects.get(name="机关代表队").leader == roster[2]


def test_english_headers_and_a_csv_of_names_and_mobiles(world, roster):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["Name", "Mobile"])
    writer.writerows([[roster[n].name, roster[n].mobile] for n in (1, 2)])
    result = import_team(buffer.getvalue().encode(), unit=world.grassroots, kind="")
    assert result.summary_line() == "imported 2, updated 0, unchanged 0, rejected 0"


def test_a_mobile_two_members_share_asks_for_the_id_number(world, roster):
    shared = make_member(world.grassroots, 20, mobile=roster[1].mobile)
    content = sheet_xlsx([[shared.name, "", shared.mobile, ""]])
    (refused,) = import_team(content, unit=world.grassroots).rejected
    assert [(p.column, p.code) for p in refused.problems] == [("手机号", "mobile_shared")]


def test_whole_files_are_refused_saying_why(world, roster, users):
    no_numbers = sheet_xlsx([["会员1", "是"]], header=["姓名", "队长"])
    with pytest.raises(ImportRefused, match="ID numbers .身份证号. or of mobiles"):
        import_team(no_numbers, unit=world.grassroots)
    content = sheet_xlsx([row(roster, 1)])
    with pytest.raises(ImportRefused, match="of the kind “参赛队”"):
        import_team(content, unit=world.grassroots, name="舞蹈队", kind="广播体操队")
    with pytest.raises(ImportRefused, match="do not administer"):
        import_team(content, user=users["unit_admin"], unit=world.other_grassroots)
    assert Team.objects.count() == 1


def test_a_dry_run_writes_nothing(world, roster):
    entries = LogEntry.objects.count()
    result = import_team(sheet_xlsx(faulty_rows(roster)), unit=world.grassroots, dry_run=True)
    assert result.summary_line() == "imported 5, updated 0, unchanged 0, rejected 9"
    assert Team.objects.count() == 1
    assert LogEntry.objects.count() == entries


# --- the command -----------------------------------------------------------------------------


def run_command(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("teams", "import", *map(str, args), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_the_command_prints_the_line_and_again_changes_nothing(world, roster, tmp_path):
    path = tmp_path / "team.xlsx"
    path.write_bytes(sheet_xlsx(faulty_rows(roster)))
    args = (path, "--unit", "cq/yc/jg", "--name", "机关代表队", "--kind", "参赛队")

    out, err = run_command(*args)

    assert out == "imported 5, updated 0, unchanged 0, rejected 9\n"
    assert len(err.splitlines()) == 9  # one line per refused row's reason
    assert Team.objects.get(name="机关代表队").members.count() == 5
    out, _err = run_command(*args)
    assert out == "imported 0, updated 0, unchanged 5, rejected 9\n"


def test_the_command_dry_run_writes_nothing_and_the_report_lists_every_refusal(
    world, roster, tmp_path
):
    path, report = tmp_path / "team.xlsx", tmp_path / "report.xlsx"
    path.write_bytes(sheet_xlsx(faulty_rows(roster)))
    entries = LogEntry.objects.count()

    out, _err = run_command(
        path,
        "--unit",
        "cq/yc/jg",
        "--name",
        "机关代表队",
        "--kind",
        "参赛队",
        "--dry-run",
        "--report",
        report,
    )

    assert out == "imported 5, updated 0, unchanged 0, rejected 9\n"
    assert not Team.objects.filter(name="机关代表队").exists()
    assert LogEntry.objects.count() == entries
    workbook = load_workbook(report)
    rows = list(workbook.worksheets[0].iter_rows(min_row=2, values_only=True))
    assert sorted({r[0] for r in rows}) == [5, 7, 10, 11, 12, 13, 14, 15, 16]
    assert len(rows) == 9  # one reason each
    with translation.override("zh-hans"):  # the command speaks the platform's language
        not_found = str(TEAM_PROBLEM_MESSAGES["not_in_unit"]) % {"unit": "机关工会"}
    assert {(r[0], r[2], r[3]) for r in rows if r[0] in (5, 7)} == {
        (5, "身份证号", not_found),
        (7, "身份证号", not_found),
    }
    assert all(roster[6].id_card not in str(r[1]) for r in rows)


def test_the_command_as_a_unit_admin_keeps_to_their_units(world, roster, users, tmp_path):
    path = tmp_path / "team.xlsx"
    path.write_bytes(sheet_xlsx([row(roster, 90)]))
    name = users["unit_admin"].username
    with pytest.raises(CommandError, match="cq/fj/jg"):
        run_command(path, "--unit", "cq/fj/jg", "--name", "奉节队", "--as-user", name)
    out, _err = run_command(path, "--unit", "cq/yc/jg", "--name", "机关队", "--as-user", name)
    assert out == "imported 0, updated 0, unchanged 0, rejected 1\n"
    with pytest.raises(CommandError, match="--unit"):
        run_command(path, "--name", "机关队")


def test_the_command_writes_the_blank_template(world, tmp_path):
    path = tmp_path / "blank.xlsx"
    run_command("--template", path)
    header = next(load_workbook(path).worksheets[0].iter_rows(values_only=True))
    assert header == ("姓名（必填）", "身份证号", "手机号", "队长")


def test_the_blank_template_filled_in_imports(world, roster, client_as):
    response = client_as("unit_admin").get(reverse("members:team_import_template"))
    assert response["Content-Disposition"].startswith("attachment")
    book = load_workbook(io.BytesIO(response.content))
    fill_in, explained = book.worksheets
    assert [r[0].value for r in explained.iter_rows(min_row=2)] == [c.value for c in fill_in[1]]
    fill_in.append([roster[1].name, roster[1].id_card, "", "是"])
    buffer = io.BytesIO()
    book.save(buffer)
    result = import_team(buffer.getvalue(), unit=world.grassroots)
    assert result.summary_line() == "imported 1, updated 0, unchanged 0, rejected 0"


def test_the_queries_do_not_grow_with_the_rows(world, roster):
    """One query per kind of lookup and per write, whatever the sheet's length."""
    queries = []
    for name, people in (("小队", (1, 2)), ("大队", (3, 4, 5, 6, 8, 9))):
        with CaptureQueriesContext(connection) as captured:
            content = sheet_xlsx([row(roster, n) for n in people])
            result = import_team(content, unit=world.grassroots, name=name)
        assert result.counts["imported"] == len(people)
        queries.append(len(captured.captured_queries))
    assert queries[0] == queries[1]
