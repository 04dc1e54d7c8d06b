"""``laurel import-units``: parents in any order, kinds inferred, moves, cycles, idempotence."""

import pytest
from django.core.management import CommandError, call_command

from laurel.audit.models import LogEntry
from laurel.orgs.models import Unit
from laurel.orgs.services import unit_file_import

HEADER = "单位名称,单位代码,上级单位代码\n"


def sheet(text: str) -> bytes:
    return (HEADER + text).encode("gb18030")


def test_a_tree_imports_with_children_above_their_parents(db):
    content = sheet(
        "永川区机关工会,cq/yc/jg,cq/yc\n"
        "重庆市总工会,cq,\n"
        "永川区总工会,cq/yc,cq\n"
        "万盛经开区总工会,cq/ws,cq\n"
        "市教育工会,cq/edu-industry,cq\n"
        "一车间,cq/yc/jg/1,cq/yc/jg\n"
    )
    result = unit_file_import(acting_user=None, source=content, filename="units.csv")
    assert result.summary_line() == "imported 6, updated 0, unchanged 0, rejected 0"
    kinds = dict(Unit.objects.values_list("code", "kind"))
    assert kinds == {
        "cq": "federation",
        "cq/yc": "district",
        "cq/ws": "zone",
        "cq/edu-industry": "industry",
        "cq/yc/jg": "grassroots",
        "cq/yc/jg/1": "workplace",
    }
    workshop = Unit.objects.get(code="cq/yc/jg/1")
    assert workshop.path.startswith(Unit.objects.get(code="cq/yc").path)
    assert workshop.depth == 3

    again = unit_file_import(acting_user=None, source=content, filename="units.csv")
    assert again.summary_line() == "imported 0, updated 0, unchanged 6, rejected 0"


def test_bad_rows_are_rejected_with_reasons_and_the_rest_land(db):
    content = sheet(
        "重庆市总工会,cq,\n"
        "另一个顶层,cq2,\n"  # a second top unit
        "孤儿,cq/orphan,cq/nowhere\n"
        "甲,cq/a,cq/b\n"
        "乙,cq/b,cq/a\n"  # a circle
        ",cq/noname,cq\n"
        "坏代码,cq#1,cq\n"
        "永川区总工会,cq/yc,cq\n"
        "重名,cq/yc,cq\n"
    )
    result = unit_file_import(acting_user=None, source=content, filename="units.csv")
    assert result.counts == {"imported": 2, "updated": 0, "unchanged": 0, "rejected": 7}
    codes = {o.row_number: o.problems[0].code for o in result.rejected}
    assert codes == {
        3: "unit_parent_required",
        4: "unit_parent_unknown",
        5: "unit_parent_cycle",
        6: "unit_parent_cycle",
        7: "required",
        8: "unit_code_invalid",
        10: "duplicate_code_in_file",
    }
    assert set(Unit.objects.values_list("code", flat=True)) == {"cq", "cq/yc"}


def test_a_unit_moves_with_its_subtree(db):
    unit_file_import(
        acting_user=None,
        source=sheet(
            "重庆市总工会,cq,\n永川区总工会,cq/yc,cq\n奉节县总工会,cq/fj,cq\n"
            "机关工会,cq/yc/jg,cq/yc\n一车间,cq/yc/jg/1,cq/yc/jg\n"
        ),
    )
    result = unit_file_import(acting_user=None, source=sheet("机关工会,cq/yc/jg,cq/fj\n"))
    assert result.summary_line() == "imported 0, updated 1, unchanged 0, rejected 0"
    fengjie = Unit.objects.get(code="cq/fj")
    workshop = Unit.objects.get(code="cq/yc/jg/1")
    assert workshop.path.startswith(fengjie.path)
    assert workshop.depth == 3
    assert LogEntry.objects.filter(action="orgs.unit.updated").count() == 1

    # a unit cannot move below itself
    result = unit_file_import(acting_user=None, source=sheet("奉节县总工会,cq/fj,cq/yc/jg/1\n"))
    assert result.rejected[0].problems[0].code == "unit_parent_cycle"


def test_the_command_prints_the_summary_line(db, tmp_path, capsys):
    path = tmp_path / "units.csv"
    path.write_bytes(sheet("重庆市总工会,cq,\n永川区总工会,cq/yc,cq\n孤儿,cq/x,cq/none\n"))
    call_command("import-units", str(path), "--dry-run")
    assert capsys.readouterr().out == "imported 2, updated 0, unchanged 0, rejected 1\n"
    assert not Unit.objects.exists()
    call_command("import-units", str(path))
    assert capsys.readouterr().out == "imported 2, updated 0, unchanged 0, rejected 1\n"
    assert Unit.objects.count() == 2
    path.write_bytes(b"%PDF-1.4 not a sheet")
    with pytest.raises(CommandError, match="units.csv"):
        call_command("import-units", str(path))
