"""Blank import templates (``importing.ImportTemplate``): the member import and the bulk entry
page offer one, ``laurel import-units --template`` writes one. Each is made from the
importer's own columns, so a template filled in with one row and sent back imports: the
header round-trips through the importer.
"""

import io

import openpyxl
import pytest
from django.core.management import call_command
from django.urls import reverse

from laurel.contests import bulk
from laurel.contests.services import bulk_start
from laurel.core.roster import MEMBER_COLUMNS, UNIT_COLUMNS
from laurel.importing import MEMBER_TEMPLATE, REQUIRED_MARK
from laurel.members.services import member_file_import
from laurel.orgs.models import Unit
from laurel.orgs.services import unit_file_import
from tests.conftest import make_member, valid_id_card
from tests.contests.conftest import contest, contest_factory  # noqa: F401 - fixtures


def filled(template: bytes, row: dict[str, object]) -> bytes:
    """``template`` with one row below its header, each value under the header named by
    its key's first alias (the template's own header: nothing is assumed about its order)."""
    book = openpyxl.load_workbook(io.BytesIO(template))
    sheet = book.worksheets[0]
    header = [cell.value for cell in sheet[1]]
    keys = [text.removesuffix(REQUIRED_MARK) for text in header]
    sheet.append([row.get(key, "") for key in keys])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def sheets(template: bytes) -> list[list[list]]:
    book = openpyxl.load_workbook(io.BytesIO(template))
    return [[list(row) for row in sheet.iter_rows(values_only=True)] for sheet in book.worksheets]


def test_the_header_is_the_importers_own_columns_and_a_second_sheet_explains_them():
    fill_in, explained = sheets(MEMBER_TEMPLATE.xlsx())
    assert fill_in == [
        [c.aliases[0] + (REQUIRED_MARK if c.required else "") for c in MEMBER_COLUMNS]
    ]
    assert [row[0] for row in explained[1:]] == fill_in[0]
    assert all(row[2] and row[3] for row in explained[1:])  # what it holds, an example


def test_the_member_template_filled_in_imports(client_as, world, users):
    response = client_as("unit_admin").get(reverse("members:member_import_template"))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    content = filled(
        response.content,
        {"姓名": "李四", "身份证号": valid_id_card(41), "手机号": "13912345678"},
    )
    result = member_file_import(
        acting_user=users["unit_admin"],
        source=content,
        filename="roster-template.xlsx",
        default_unit=world.grassroots,
    )
    assert result.summary_line() == "imported 1, updated 0, unchanged 0, rejected 0", [
        outcome.problems for outcome in result.rejected
    ]
    assert world.grassroots.members.get().name == "李四"


def test_the_member_import_page_links_to_the_template(client_as):
    page = client_as("unit_admin").get(reverse("members:member_import"))
    assert reverse("members:member_import_template").encode() in page.content


def test_the_unit_command_writes_a_template_that_imports_when_filled_in(tmp_path, world):
    path = tmp_path / "units.xlsx"
    call_command("import-units", "--template", str(path))
    fill_in, _explained = sheets(path.read_bytes())
    assert fill_in == [[c.aliases[0] + (REQUIRED_MARK if c.required else "") for c in UNIT_COLUMNS]]
    content = filled(
        path.read_bytes(),
        {"单位名称": "工会委员会", "单位代码": "cq/yc/new", "上级单位代码": "cq/yc"},
    )
    result = unit_file_import(acting_user=None, source=content, filename="units.xlsx")
    assert result.summary_line() == "imported 1, updated 0, unchanged 0, rejected 0"
    assert Unit.objects.get(code="cq/yc/new").parent == world.district


def test_the_bulk_template_filled_in_plans_its_row(client_as, contest, world, users):  # noqa: F811
    author = make_member(world.grassroots, 5, name="王芳")
    page = client_as("unit_admin").get(reverse("contests:console_bulk", args=[contest.slug]))
    url = reverse("contests:console_bulk_template", args=[contest.slug])
    assert url.encode() in page.content
    response = client_as("unit_admin").get(url)
    assert response.status_code == 200
    fill_in, explained = sheets(response.content)
    assert [text.removesuffix(REQUIRED_MARK) for text in fill_in[0]] == [
        column.aliases[0] for column in bulk.BULK_COLUMNS
    ]
    category = contest.categories.order_by("position", "pk").first().name
    assert category in [row[3] for row in explained]  # the example is one of its categories
    content = filled(
        response.content,
        {
            "文件名": "春色.jpg",
            "作品名称": "春色",
            "作者身份证号": author.id_card,
            "类别": category,
        },  # noqa: E501
    )
    submission = bulk_start(
        acting_user=users["unit_admin"], contest=contest, content=content, filename="t.xlsx"
    )
    assert [(row["file"], row["status"], row["reason"]) for row in submission.rows] == [
        ("春色.jpg", "waiting", "")
    ]


@pytest.mark.parametrize("command", ["import-units", "import-members"])
def test_an_import_command_without_a_file_or_template_says_so(command):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command(command)
