"""Roster import: counts, idempotence, half-bad files, moves, subtree refusals, the command."""

import csv
import io

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation
from openpyxl import Workbook, load_workbook

from laurel.accounts.models import Role, RoleGrant
from laurel.audit.models import LogEntry
from laurel.importing import ImportRefused
from laurel.members.models import Member
from laurel.members.services import member_file_import, member_login_create
from tests.conftest import make_member, valid_id_card

HEADER = ["姓名", "性别", "身份证号", "手机号", "单位", "职务"]


def roster_csv(rows, header=HEADER) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode("gb18030")


def mistyped(id_card: str) -> str:
    """The same number with its check character changed: the mistake the check catches."""
    return id_card[:-1] + ("0" if id_card[-1] != "0" else "1")


def good_rows(count: int, unit_code: str = "cq/yc/jg", start: int = 1):
    return [
        [f"职工{n}", "", valid_id_card(n), f"139{n:08d}", unit_code, "技术员"]
        for n in range(start, start + count)
    ]


def test_a_roster_imports_and_a_second_run_changes_nothing(world):
    content = roster_csv(good_rows(20))
    first = member_file_import(acting_user=None, source=content, filename="r.csv")
    assert first.summary_line() == "imported 20, updated 0, unchanged 0, rejected 0"
    entries = LogEntry.objects.count()
    stored = list(Member.objects.order_by("pk").values())

    second = member_file_import(acting_user=None, source=content, filename="r.csv")
    assert second.summary_line() == "imported 0, updated 0, unchanged 20, rejected 0"
    assert list(Member.objects.order_by("pk").values()) == stored
    # only the import itself is recorded, no member changes
    assert LogEntry.objects.count() == entries + 1
    assert LogEntry.objects.first().action == "members.import.committed"


def test_a_file_where_half_the_rows_are_bad_imports_the_good_half(world):
    rows = good_rows(10)
    bad = [
        ["坏1", "", mistyped(valid_id_card(11)), "", "cq/yc/jg", ""],
        ["坏2", "", "500118199902300011", "", "cq/yc/jg", ""],
        ["坏3", "", "500118900101001", "", "cq/yc/jg", ""],
        ["坏4", "", valid_id_card(14), "023-49871234", "cq/yc/jg", ""],
        ["坏5", "女", valid_id_card(15), "", "cq/yc/jg", ""],  # odd 17th digit: a man
        ["坏6", "", valid_id_card(16), "", "没有这个单位", ""],
        ["坏7", "", valid_id_card(17), "", "机关工会", ""],  # two units have this name
        ["", "", valid_id_card(18), "", "cq/yc/jg", ""],
        ["坏9", "", valid_id_card(3), "", "cq/yc/jg", ""],  # same ID as good row 3 (row 4)
        ["坏10", "", valid_id_card(20), "12345", "cq/yc/jg", ""],
    ]
    result = member_file_import(acting_user=None, source=roster_csv(rows + bad), filename="r.csv")
    assert result.counts == {"imported": 10, "updated": 0, "unchanged": 0, "rejected": 10}
    assert Member.objects.count() == 10
    assert set(Member.objects.values_list("name", flat=True)) == {r[0] for r in rows}
    reasons = {o.row_number: [(p.column, p.code) for p in o.problems] for o in result.rejected}
    assert reasons == {
        12: [("身份证号", "id_card_check_digit")],
        13: [("身份证号", "id_card_birth_date")],
        14: [("身份证号", "id_card_legacy_15")],
        15: [("手机号", "landline")],
        16: [("性别", "gender_contradicts_id_card")],
        17: [("单位", "unit_unknown")],
        18: [("单位", "unit_ambiguous")],
        19: [("姓名", "required")],
        20: [("身份证号", "duplicate_in_file")],
        21: [("手机号", "mobile_invalid")],
    }
    ambiguous = next(o for o in result.rejected if o.row_number == 18).problems[0]
    assert "cq/fj/jg" in ambiguous.reason
    assert "cq/yc/jg" in ambiguous.reason


def test_updates_are_counted_and_blank_cells_keep_what_is_stored(world):
    member = make_member(world.grassroots, 1, name="张三", mobile="13900000001")
    rows = [["张三丰", "", valid_id_card(1), "", "cq/yc/jg", "班组长"]]
    result = member_file_import(acting_user=None, source=roster_csv(rows), filename="r.csv")
    assert result.summary_line() == "imported 0, updated 1, unchanged 0, rejected 0"
    member.refresh_from_db()
    assert (member.name, member.mobile, member.job_title) == ("张三丰", "13900000001", "班组长")
    entry = LogEntry.objects.get(action="members.member.updated")
    assert entry.data["changed"] == ["name", "job_title"]


def test_the_federation_moves_a_member_and_their_login_follows(world, make_user):
    member = make_member(world.other_grassroots, 1)
    user, _password = member_login_create(acting_user=None, member=member)
    admin = make_user("federation_admin")
    rows = [[member.name, "", member.id_card, "", "cq/yc/jg", ""]]
    result = member_file_import(acting_user=admin, source=roster_csv(rows), filename="r.csv")
    assert result.summary_line() == "imported 0, updated 1, unchanged 0, rejected 0"
    member.refresh_from_db()
    assert member.unit == world.grassroots
    assert RoleGrant.objects.get(user=user, role=Role.MEMBER).unit == world.grassroots


def test_a_unit_admin_cannot_take_someone_from_outside_and_is_not_told_where(world, make_user):
    outsider = make_member(world.other_grassroots, 1)
    admin = make_user("unit_admin", world.district)
    rows = [[outsider.name, "", outsider.id_card, "", "cq/yc/jg", ""], *good_rows(1, start=2)]
    result = member_file_import(acting_user=admin, source=roster_csv(rows), filename="r.csv")
    assert result.summary_line() == "imported 1, updated 0, unchanged 0, rejected 1"
    problem = result.rejected[0].problems[0]
    assert problem.code == "not_importable_here"
    assert world.other_district.name not in problem.reason
    assert world.other_grassroots.code not in problem.reason
    outsider.refresh_from_db()
    assert outsider.unit == world.other_grassroots


def test_a_unit_admin_sees_only_their_own_units_by_code_or_name(world, make_user):
    admin = make_user("unit_admin", world.district)
    rows = [
        *good_rows(1, unit_code="机关工会"),  # one such unit in the admin's subtree
        *good_rows(1, unit_code="cq/fj/jg", start=2),  # exists, but outside: unknown
    ]
    result = member_file_import(acting_user=admin, source=roster_csv(rows), filename="r.csv")
    assert result.counts["imported"] == 1
    assert Member.objects.get().unit == world.grassroots
    problem = result.rejected[0].problems[0]
    assert problem.code == "unit_unknown"
    assert "cq/fj" not in problem.reason.replace("“cq/fj/jg”", "")


def test_a_dry_run_counts_and_writes_nothing(world):
    before = LogEntry.objects.count()
    result = member_file_import(
        acting_user=None, source=roster_csv(good_rows(5)), filename="r.csv", dry_run=True
    )
    assert result.summary_line() == "imported 5, updated 0, unchanged 0, rejected 0"
    assert Member.objects.count() == 0
    assert LogEntry.objects.count() == before


def test_a_crash_while_writing_leaves_nothing_half_written(world, monkeypatch):
    def explode(**kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr("laurel.members.services.audit_log", explode)
    with pytest.raises(RuntimeError):
        member_file_import(acting_user=None, source=roster_csv(good_rows(5)), filename="r.csv")
    assert Member.objects.count() == 0


def test_rows_without_a_unit_go_to_the_default_unit(world):
    rows = [["李四", "", valid_id_card(1), "", "", ""]]
    result = member_file_import(
        acting_user=None, source=roster_csv(rows), filename="r.csv", default_unit=world.grassroots
    )
    assert result.counts["imported"] == 1
    assert Member.objects.get().unit == world.grassroots
    result = member_file_import(
        acting_user=None, source=roster_csv([["王五", "", valid_id_card(2), "", "", ""]])
    )
    assert result.rejected[0].problems[0].code == "required"


def test_an_unusable_file_is_refused_whole_with_the_reason(world):
    with translation.override("en"), pytest.raises(ImportRefused, match="No header row"):
        member_file_import(acting_user=None, source="甲,乙\n1,2\n".encode(), filename="x.csv")


def test_a_real_spreadsheet_as_units_send_it(world):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["永川区机关工会会员花名册"])
    sheet.merge_cells("A1:F1")
    sheet.append([])
    sheet.append([" 姓 名 ", "性别", "身份证号码*", "联系电话", "所在单位", "职务"])
    sheet.append(
        ["张  三", "男", valid_id_card(1).lower(), "１３９００００００１１", "cq/yc/jg", "科员"]
    )
    sheet.append([None, None, None, None, None, None])
    sheet.append(["李四", "女", valid_id_card(2), "+86 139 0000 0012", None, "科员"])
    sheet.merge_cells("E4:E6")  # the unit written once for the block
    buffer = io.BytesIO()
    workbook.save(buffer)
    result = member_file_import(acting_user=None, source=buffer.getvalue(), filename="r.xlsx")
    assert result.summary_line() == "imported 2, updated 0, unchanged 0, rejected 0"
    zhang = Member.objects.get(name="张三")
    assert (zhang.mobile, zhang.gender, zhang.unit) == ("13900000011", "M", world.grassroots)
    assert Member.objects.get(name="李四").mobile == "13900000012"


def test_the_command_prints_one_summary_line_and_writes_a_report(world, tmp_path, capsys):
    path = tmp_path / "roster.csv"
    path.write_bytes(roster_csv([*good_rows(3), ["坏", "", "123", "", "cq/yc/jg", ""]]))
    report = tmp_path / "report.xlsx"
    call_command("import-members", str(path), "--dry-run", "--report", str(report))
    out = capsys.readouterr().out
    assert out == "imported 3, updated 0, unchanged 0, rejected 1\n"
    assert Member.objects.count() == 0
    sheet = load_workbook(report).worksheets[0]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert rows == [(5, "坏", "身份证号", rows[0][3])]
    assert "18" in rows[0][3]  # the length reason names 18 characters

    call_command("import-members", str(path))
    assert capsys.readouterr().out == "imported 3, updated 0, unchanged 0, rejected 1\n"
    call_command("import-members", str(path))
    assert capsys.readouterr().out == "imported 0, updated 0, unchanged 3, rejected 1\n"


def test_the_command_imports_as_a_unit_admin_into_their_unit(world, make_user, tmp_path, capsys):
    make_user("unit_admin", world.district, username="yc")
    path = tmp_path / "roster.csv"
    path.write_bytes(roster_csv([["李四", "", valid_id_card(1), "", "", ""]]))
    call_command("import-members", str(path), "--unit", "cq/yc/jg", "--as-user", "yc")
    assert capsys.readouterr().out == "imported 1, updated 0, unchanged 0, rejected 0\n"
    with pytest.raises(CommandError, match="cq/fj/jg"):
        call_command("import-members", str(path), "--unit", "cq/fj/jg", "--as-user", "yc")
    with pytest.raises(CommandError):
        call_command("import-members", str(tmp_path / "missing.csv"))
