"""Reading roster spreadsheets: real .xlsx, .xls and .csv files built in a temporary folder."""

import io
import random
import tracemalloc
import zipfile
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest
import xlwt

from laurel.core import tables
from laurel.core.roster import MEMBER_COLUMNS, UNIT_COLUMNS, member_row_check
from laurel.core.tables import (
    MAX_COMPRESSION_RATIO,
    MAX_HEADER_SEARCH_ROWS,
    MB,
    XLS_MAGIC,
    Cell,
    Column,
    TableError,
    cell_text,
    header_key,
    table_read,
)
from tests import workbooks

ID_MAN = "50010119900101123X"  # valid; 17th digit odd
ID_WOMAN = "500101199001011248"  # valid; 17th digit even
ID_AS_NUMBER = 500101199001011234  # what a unit typed; Excel keeps it as a float
# Spreadsheet cells hold naive date-times: there is no zone to give them.
JAN_2 = datetime(2020, 1, 2)  # noqa: DTZ001
JAN_2_MORNING = datetime(2020, 1, 2, 8, 30)  # noqa: DTZ001


def xlsx_bytes(workbook: openpyxl.Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xls_bytes(workbook: xlwt.Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def read_members(source, max_rows=100):
    return table_read(source, MEMBER_COLUMNS, max_rows=max_rows)


def refusal(source, columns=MEMBER_COLUMNS, max_rows=100) -> TableError:
    with pytest.raises(TableError) as refused:
        table_read(source, columns, max_rows=max_rows)
    return refused.value


@pytest.fixture
def roster_xlsx(tmp_path):
    """A roster as a district sends it: merged title, blank row, header on row 3."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "花名册"
    sheet["A1"] = "永川区职工花名册"
    sheet.merge_cells("A1:F1")
    # row 2 stays blank
    header = [" 姓 名 *", "性别", "身份证号码（必填）", "*手机号 ", "所在单位", "职务", "备注"]
    for column, text in enumerate(header, start=1):
        sheet.cell(3, column, text)
    rows = {
        4: ["张  三", "男", ID_MAN.lower(), "１３８００１３８０００", "永川区总工会", "  主席 "],
        5: ["李四", "", float(ID_AS_NUMBER), 13900139000, None, "会员"],
        6: ["王五", "女", ID_WOMAN, "023-49871234", None, None, "调入"],
        # row 7 is blank and must be dropped, row 8 keeps its number
        8: ["赵六", "", ID_WOMAN, "", None, "组长"],
    }
    for row_number, values in rows.items():
        for column, value in enumerate(values, start=1):
            sheet.cell(row_number, column, value)
    sheet.merge_cells("E4:E6")  # one unit for three people
    path = tmp_path / "永川区花名册.xlsx"
    path.write_bytes(xlsx_bytes(workbook))
    return path


def test_xlsx_header_is_found_below_a_merged_title_and_a_blank_row(roster_xlsx):
    table = read_members(roster_xlsx)

    assert table.sheet_name == "花名册"
    assert table.header_row_number == 3
    assert table.columns == {
        "name": "姓 名 *",
        "gender": "性别",
        "id_card": "身份证号码(必填)",
        "mobile": "*手机号",
        "unit": "所在单位",
        "job_title": "职务",
    }


def test_xlsx_rows_keep_the_numbers_excel_shows_and_blank_rows_are_dropped(roster_xlsx):
    table = read_members(roster_xlsx)

    assert [record.row_number for record in table.records] == [4, 5, 6, 8]
    assert [record.get("name") for record in table.records] == ["张  三", "李四", "王五", "赵六"]


def test_xlsx_vertically_merged_unit_is_given_to_every_row_it_covers(roster_xlsx):
    units = [record.get("unit") for record in read_members(roster_xlsx).records]

    assert units == ["永川区总工会", "永川区总工会", "永川区总工会", ""]


def test_a_row_holding_only_the_overhang_of_a_merged_cell_is_blank(tmp_path):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["姓名", "身份证号", "单位"])
    sheet.append(["张三", ID_MAN, "永川区总工会"])
    sheet.append(["李四", ID_WOMAN])
    sheet.cell(6, 3, "永川区教育工会")  # a typed unit alone still makes a row
    sheet.merge_cells("C2:C5")  # drawn two rows past the last person
    path = tmp_path / "roster.xlsx"
    path.write_bytes(xlsx_bytes(workbook))

    records = read_members(path).records

    assert [(r.row_number, r.get("unit")) for r in records] == [
        (2, "永川区总工会"),
        (3, "永川区总工会"),
        (6, "永川区教育工会"),
    ]


def test_xlsx_cells_are_folded_to_half_width_and_trimmed(roster_xlsx):
    first = read_members(roster_xlsx).records[0]

    assert first.values == {
        "name": "张  三",  # inner spaces are the roster check's business
        "gender": "男",
        "id_card": ID_MAN.lower(),
        "mobile": "13800138000",
        "unit": "永川区总工会",
        "job_title": "主席",
    }
    assert first.numeric == frozenset()


def test_xlsx_numbers_are_flagged_and_a_long_number_has_lost_its_last_digits(roster_xlsx):
    second = read_members(roster_xlsx).records[1]

    assert second.numeric == {"id_card", "mobile"}
    assert second.get("mobile") == "13900139000"
    assert second.get("id_card").isdigit()
    assert len(second.get("id_card")) == 18
    assert second.get("id_card") != str(ID_AS_NUMBER)  # why the roster must refuse it
    assert member_row_check(second).problems[0].code == "stored_as_number"


def test_xlsx_unknown_columns_are_ignored(roster_xlsx):
    for record in read_members(roster_xlsx).records:
        assert "调入" not in record.values.values()
        assert set(record.values) == {"name", "gender", "id_card", "mobile", "unit", "job_title"}


def test_the_content_decides_the_format_not_the_name(roster_xlsx, tmp_path):
    misnamed = tmp_path / "roster.csv"
    misnamed.write_bytes(roster_xlsx.read_bytes())

    table = read_members(misnamed)

    assert table.sheet_name == "花名册"
    assert [record.row_number for record in table.records] == [4, 5, 6, 8]


def test_source_may_be_a_path_a_string_or_bytes(roster_xlsx):
    from_path = read_members(roster_xlsx).records

    assert read_members(str(roster_xlsx)).records == from_path
    assert read_members(roster_xlsx.read_bytes()).records == from_path


def test_a_later_sheet_is_read_when_the_first_has_no_header(tmp_path):
    workbook = openpyxl.Workbook()
    instructions = workbook.active
    instructions.title = "填表说明"
    instructions["A1"] = "请按模板填写，身份证号请设置为文本格式"
    data = workbook.create_sheet("数据")
    data.append(["姓名", "身份证号"])
    data.append(["张三", ID_MAN])
    path = tmp_path / "roster.xlsx"
    path.write_bytes(xlsx_bytes(workbook))

    table = read_members(path)

    assert table.sheet_name == "数据"
    assert [(r.row_number, r.values) for r in table.records] == [
        (2, {"name": "张三", "id_card": ID_MAN})
    ]


def test_xls_with_merged_title_and_merged_unit(tmp_path):
    workbook = xlwt.Workbook(encoding="utf-8")
    sheet = workbook.add_sheet("花名册")
    sheet.write_merge(0, 0, 0, 5, "永川区职工花名册")
    for column, text in enumerate(["姓名", "性别", "身份证号", "手机号", "单位", "入会日期"]):
        sheet.write(2, column, text)
    sheet.write(3, 0, "张三")
    sheet.write(3, 2, ID_MAN)
    sheet.write(3, 3, 13800138000)
    sheet.write_merge(3, 4, 4, 4, "永川区总工会")
    sheet.write(4, 0, "李四")
    sheet.write(4, 1, "女")
    sheet.write(4, 2, ID_AS_NUMBER)
    sheet.write(4, 3, "１３９ ００１３ ９０００")
    sheet.write(6, 0, "王五")
    sheet.write(6, 2, ID_WOMAN)
    sheet.write(6, 4, JAN_2, xlwt.easyxf(num_format_str="yyyy-mm-dd"))
    path = tmp_path / "花名册.xls"
    path.write_bytes(xls_bytes(workbook))

    table = read_members(path)

    assert table.sheet_name == "花名册"
    assert table.header_row_number == 3
    assert set(table.columns) == {"name", "gender", "id_card", "mobile", "unit"}
    first, second, third = table.records
    assert first.row_number == 4
    assert first.values == {
        "name": "张三",
        "gender": "",
        "id_card": ID_MAN,
        "mobile": "13800138000",
        "unit": "永川区总工会",
    }
    assert first.numeric == {"mobile"}
    assert second.row_number == 5
    assert second.get("unit") == "永川区总工会"  # from the vertical merge
    assert second.get("mobile") == "139 0013 9000"  # full-width folded
    assert second.numeric == {"id_card"}
    assert len(second.get("id_card")) == 18
    assert third.row_number == 7  # blank row 6 dropped
    assert third.get("unit") == "2020-01-02"  # a date cell becomes its ISO date


def test_csv_in_gb18030_with_a_title_line(tmp_path):
    text = (
        "永川区职工花名册\r\n"
        "姓名,性别,身份证号码,手机号码,工作单位\r\n"
        "张三,男,50010119900101123X,13800138000,永川区总工会\r\n"
        "李四,女,500101199001011248,,永川区教育工会\r\n"
    )
    data = text.encode("gb18030")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")  # really GB18030, not UTF-8 by accident
    path = tmp_path / "花名册.csv"
    path.write_bytes(data)

    table = read_members(path)

    assert table.header_row_number == 2
    assert table.columns["unit"] == "工作单位"
    assert [(r.row_number, r.values) for r in table.records] == [
        (
            3,
            {
                "name": "张三",
                "gender": "男",
                "id_card": ID_MAN,
                "mobile": "13800138000",
                "unit": "永川区总工会",
            },
        ),
        (
            4,
            {
                "name": "李四",
                "gender": "女",
                "id_card": ID_WOMAN,
                "mobile": "",
                "unit": "永川区教育工会",
            },
        ),
    ]
    assert all(record.numeric == frozenset() for record in table.records)


def test_csv_in_utf8_with_bom_and_tabs_and_english_headers(tmp_path):
    text = (
        "Name\tGender\tID number\tPhone\tJob title\n"
        "John  Smith\tmale\t50010119900101123X\t+86 138 0013 8000\tChair, east district\n"
        "\t\t\t\t\n"
        "Mary Jones\tF\t500101199001011248\t\tTreasurer\n"
    )
    path = tmp_path / "roster.csv"
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))

    table = read_members(path)

    assert table.header_row_number == 1
    assert table.columns == {
        "name": "Name",  # no byte-order mark glued to it
        "gender": "Gender",
        "id_card": "ID number",
        "mobile": "Phone",
        "job_title": "Job title",
    }
    assert [r.row_number for r in table.records] == [2, 4]
    assert table.records[0].values == {
        "name": "John  Smith",
        "gender": "male",
        "id_card": ID_MAN,
        "mobile": "+86 138 0013 8000",
        "job_title": "Chair, east district",  # the comma is text: the delimiter is the tab
    }


def test_csv_delimiter_is_sniffed_semicolon(tmp_path):
    path = tmp_path / "roster.csv"
    path.write_text(
        "姓名;身份证号;职务\n张三;50010119900101123X;主席\n李四;500101199001011248;会员\n",
        encoding="utf-8",
    )

    table = read_members(path)

    assert [r.values for r in table.records] == [
        {"name": "张三", "id_card": ID_MAN, "job_title": "主席"},
        {"name": "李四", "id_card": ID_WOMAN, "job_title": "会员"},
    ]


@pytest.mark.parametrize(
    "text",
    [
        "姓名，身份证号，手机号\n张三，{man}，13800138000\n李四，{woman}，\n",
        "花名册\n姓名\t身份证号\t手机号\n张三\t{man}\t13800138000\n李四\t{woman}\t\n",
        "花名册\n姓名;身份证号;手机号\n张三;{man};13800138000\n李四;{woman};\n",
    ],
    ids=["full-width-comma", "title-then-tabs", "title-then-semicolons"],
)
def test_csv_delimiter_is_the_one_on_most_lines(text, capsys):
    table = read_members(text.format(man=ID_MAN, woman=ID_WOMAN).encode())
    assert [r.get("id_card") for r in table.records] == [ID_MAN, ID_WOMAN]
    assert capsys.readouterr().out == ""  # readers never write to stdout


def test_csv_quoted_field_and_short_rows(tmp_path):
    path = tmp_path / "roster.csv"
    path.write_text(
        '姓名,身份证号,职务,手机\n张三,50010119900101123X,"主席,书记",13800138000\n李四,123\n',
        encoding="utf-8",
    )

    records = read_members(path).records

    assert records[0].get("job_title") == "主席,书记"
    assert records[1].values == {"name": "李四", "id_card": "123", "job_title": "", "mobile": ""}


def test_an_xlsx_named_file_that_is_really_csv_text_is_read_as_csv(tmp_path):
    path = tmp_path / "roster.xlsx"
    path.write_text("姓名,身份证号\n张三,50010119900101123X\n", encoding="utf-8")

    table = read_members(path)

    assert table.sheet_name == ""
    assert [(r.row_number, r.values) for r in table.records] == [
        (2, {"name": "张三", "id_card": ID_MAN})
    ]


def test_unit_sheet_is_read_with_unit_columns(tmp_path):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["单位名称", "单位代码 *", "上级单位代码", "单位类型", "所属行业"])
    sheet.append(["永川区总工会", "CQ-YC", "CQ", "区县工会", "机关"])
    sheet.append(["永川区教育工会", "CQ-YC-01", "CQ-YC", None, "教育"])
    path = tmp_path / "units.xlsx"
    path.write_bytes(xlsx_bytes(workbook))

    table = table_read(path, UNIT_COLUMNS, max_rows=10)

    assert set(table.columns) == {"name", "code", "parent", "kind", "industry"}
    assert [r.values for r in table.records] == [
        {
            "name": "永川区总工会",
            "code": "CQ-YC",
            "parent": "CQ",
            "kind": "区县工会",
            "industry": "机关",
        },
        {
            "name": "永川区教育工会",
            "code": "CQ-YC-01",
            "parent": "CQ-YC",
            "kind": "",
            "industry": "教育",
        },
    ]


# --- files that are not tables -------------------------------------------------------------


def broken_xlsx() -> bytes:
    return b"PK\x03\x04" + random.Random(11).randbytes(2048)


def zip_without_workbook() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "not a workbook")
    return buffer.getvalue()


def truncated_xlsx() -> bytes:
    workbook = openpyxl.Workbook()
    workbook.active.append(["姓名", "身份证号"])
    data = xlsx_bytes(workbook)
    return data[: len(data) // 2]


def xls_header_only(length: int) -> bytes:
    workbook = xlwt.Workbook(encoding="utf-8")
    workbook.add_sheet("花名册").write(0, 0, "姓名")
    return xls_bytes(workbook)[:length]


def xlsx_with_cut_sheet_xml() -> bytes:
    workbook = openpyxl.Workbook()
    workbook.active.append(["姓名", "身份证号"])
    source = zipfile.ZipFile(io.BytesIO(xlsx_bytes(workbook)))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for item in source.infolist():
            content = source.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                content = content[: len(content) // 2]
            archive.writestr(item, content)
    return buffer.getvalue()


def truncated_xls() -> bytes:
    workbook = xlwt.Workbook(encoding="utf-8")
    sheet = workbook.add_sheet("花名册")
    sheet.write(0, 0, "姓名")
    sheet.write(0, 1, "身份证号")
    data = xls_bytes(workbook)
    return data[: len(data) // 2]


@pytest.mark.parametrize(
    ("name", "data", "code"),
    [
        ("empty.xlsx", b"", "empty"),
        ("blank.csv", b"  \r\n\n\t ", "empty"),
        (
            "page.xlsx",
            b"<!DOCTYPE html><html><body><table><tr><td>1</td></tr></table>",
            "not_a_table",
        ),
        ("page.csv", "  <html><body>姓名,身份证号</body></html>".encode(), "not_a_table"),
        ("scan.xlsx", b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\n", "not_a_table"),
        ("data.csv", b'{"name": "\xe5\xbc\xa0", "id_card": "1"}', "not_a_table"),
        ("broken.xlsx", broken_xlsx(), "unreadable"),
        ("archive.xlsx", zip_without_workbook(), "unreadable"),
        ("truncated.xlsx", truncated_xlsx(), "unreadable"),
        ("truncated.xls", truncated_xls(), "unreadable"),
        ("undecodable.csv", bytes(range(0x80, 0x100)) * 8, "not_a_table"),
        ("bom-only.csv", b"\xef\xbb\xbf", "empty"),
        ("garbage.xls", XLS_MAGIC + random.Random(5).randbytes(2000), "unreadable"),
        ("stub16.xls", xls_header_only(16), "unreadable"),
        ("stub100.xls", xls_header_only(100), "unreadable"),
        ("cut-sheet.xlsx", xlsx_with_cut_sheet_xml(), "unreadable"),
    ],
)
def test_files_that_are_not_tables_are_refused_with_a_code(tmp_path, name, data, code):
    path = tmp_path / name
    path.write_bytes(data)

    assert refusal(path).code == code


def test_random_binary_named_xlsx_is_not_a_table(tmp_path):
    data = random.Random(3).randbytes(4096)
    assert b"\x00" in data  # binary, and without a spreadsheet's magic number
    assert not data.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0"))
    path = tmp_path / "roster.xlsx"
    path.write_bytes(data)

    assert refusal(path).code == "not_a_table"


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        ("姓名\t身份证号\r\n张三\t50010119900101123X\r\n", "utf-16"),  # Excel's "Unicode Text"
        ("Name,ID card\r\nJohn,50010119900101123X\r\n", "utf-16-le"),  # no BOM: NULs decide
    ],
)
def test_utf16_text_is_not_a_table(tmp_path, text, encoding):
    path = tmp_path / "roster.txt"
    path.write_bytes(text.encode(encoding))

    assert refusal(path).code == "not_a_table"


def test_a_sheet_without_a_recognisable_header_is_refused(tmp_path):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["序号", "人员", "证件", "备注"])
    sheet.append([1, "张三", ID_MAN, ""])
    path = tmp_path / "roster.xlsx"
    path.write_bytes(xlsx_bytes(workbook))

    assert refusal(path).code == "no_header"


def test_one_known_column_is_not_a_header(tmp_path):
    path = tmp_path / "roster.csv"
    path.write_text("姓名,证件\n张三,50010119900101123X\n", encoding="utf-8")

    assert refusal(path).code == "no_header"


def test_a_lone_known_header_text_does_not_make_a_header_row(tmp_path):
    columns = (Column("name", ("姓名",), required=True), Column("note", ("备注",)))
    path = tmp_path / "names.csv"
    path.write_text("姓名\n张三\n李四\n", encoding="utf-8")

    assert refusal(path, columns=columns).code == "no_header"


def test_a_header_without_a_required_column_is_refused_naming_it(tmp_path):
    path = tmp_path / "roster.csv"
    path.write_text("姓名,性别,手机号\n张三,男,13800138000\n", encoding="utf-8")

    refused = refusal(path)

    assert refused.code == "no_header"
    assert refused.detail == "id_card"


def test_the_header_is_looked_for_in_the_first_rows_only(tmp_path):
    filler = "说明\n" * (MAX_HEADER_SEARCH_ROWS - 1)
    last_searched = tmp_path / "last.csv"
    last_searched.write_text(filler + "姓名,身份证号\n张三,1\n", encoding="utf-8")
    too_deep = tmp_path / "deep.csv"
    too_deep.write_text(filler + "说明\n姓名,身份证号\n张三,1\n", encoding="utf-8")

    table = read_members(last_searched)

    assert table.header_row_number == MAX_HEADER_SEARCH_ROWS
    assert table.records[0].row_number == MAX_HEADER_SEARCH_ROWS + 1
    assert refusal(too_deep).code == "no_header"


def test_too_many_rows_counts_data_rows_not_blank_ones(tmp_path):
    lines = ["姓名,身份证号", "甲,1", ",", "乙,2", "", "丙,3"]
    at_limit = tmp_path / "three.csv"
    at_limit.write_text("\n".join(lines) + "\n", encoding="utf-8")
    over_limit = tmp_path / "four.csv"
    over_limit.write_text("\n".join([*lines, "丁,4"]) + "\n", encoding="utf-8")

    assert [r.get("name") for r in read_members(at_limit, max_rows=3).records] == ["甲", "乙", "丙"]
    refused = refusal(over_limit, max_rows=3)
    assert refused.code == "too_many_rows"
    assert refused.detail == "3"


def test_too_many_rows_in_a_workbook(tmp_path):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["姓名", "身份证号"])
    for number in range(6):
        sheet.append([f"会员{number}", str(number)])
    path = tmp_path / "big.xlsx"
    path.write_bytes(xlsx_bytes(workbook))

    assert len(read_members(path, max_rows=6).records) == 6
    assert refusal(path, max_rows=5).code == "too_many_rows"


# --- cells and headers ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, Cell("")),
        (True, Cell("1")),
        (False, Cell("0")),
        (13800138000, Cell("13800138000", numeric=True)),
        (13800138000.0, Cell("13800138000", numeric=True)),
        (1.5, Cell("1.5", numeric=True)),
        (JAN_2, Cell("2020-01-02")),
        (JAN_2_MORNING, Cell("2020-01-02 08:30:00")),
        (date(2020, 1, 2), Cell("2020-01-02")),
        ("  张三\u200b ", Cell("张三")),
        ("\ufeff姓名", Cell("姓名")),
        ("ＡＢＣ１２３　", Cell("ABC123")),
    ],
)
def test_cell_text(value, expected):
    assert cell_text(value) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (" 身份证号码（必填）* ", "身份证号码"),
        ("*手机号", "手机号"),
        ("姓 名", "姓名"),
        ("Full_Name:", "fullname"),
        ("ID Card (required)", "idcard"),
        ("职务（选填）", "职务"),
    ],
)
def test_header_key(text, expected):
    assert header_key(text) == expected


# --- workbook bombs and other files too large to open (issue 18) ---------------------------


@pytest.fixture(scope="module")
def bomb() -> bytes:
    """A valid roster of ~230 KB whose sheet XML is 60 MB (the issue's file: 273 KB → 63 MB)."""
    return workbooks.bomb_xlsx(60)


@pytest.fixture
def loader_spy(monkeypatch):
    """The calls made to openpyxl's loader (which parses the workbook's XML)."""
    calls = []
    real = openpyxl.load_workbook

    def spy(*args, **kwargs):
        calls.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(tables.openpyxl, "load_workbook", spy)
    return calls


def test_a_workbook_bomb_is_refused_before_any_xml_is_parsed(bomb, loader_spy, tmp_path):
    assert len(bomb) < 400 * 1024
    path = tmp_path / "花名册.xlsx"
    path.write_bytes(bomb)
    tracemalloc.start()
    try:
        refused = refusal(path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()

    assert refused.code == "too_large_unpacked"
    assert refused.params == {"size": "60 MB", "limit": "50 MB"}
    assert loader_spy == []
    assert peak < 20 * MB  # the file itself and its zip directory, never its XML


def test_the_unpacked_limit_is_an_argument(roster_xlsx, loader_spy):
    data = roster_xlsx.read_bytes()
    unpacked = sum(part.file_size for part in zipfile.ZipFile(io.BytesIO(data)).infolist())

    assert read_members(data).records  # within the default limit
    with pytest.raises(TableError) as refused:
        table_read(data, MEMBER_COLUMNS, max_rows=100, max_unpacked_bytes=unpacked - 1)
    assert refused.value.code == "too_large_unpacked"
    assert len(loader_spy) == 1  # only the first read parsed anything


def test_a_part_compressed_beyond_any_spreadsheet_is_refused_within_the_size_limit(loader_spy):
    refused = refusal(workbooks.bomb_xlsx(20))

    assert refused.code == "too_compressed"
    assert refused.params["part"] == workbooks.SHEET
    assert int(refused.params["ratio"]) > MAX_COMPRESSION_RATIO
    assert loader_spy == []


def test_a_real_roster_compresses_far_less_than_the_bomb_limit():
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["姓名", "性别", "身份证号", "手机号", "单位"])
    for n in range(20_000):
        sheet.append([f"职工{n}", "男", f"5001181990{n:08d}", f"139{n:08d}", "永川区总工会"])
    data = xlsx_bytes(workbook)
    part = zipfile.ZipFile(io.BytesIO(data)).getinfo(workbooks.SHEET)

    assert part.file_size > tables.RATIO_CHECKED_FROM
    assert part.file_size / part.compress_size < MAX_COMPRESSION_RATIO / 4
    assert len(read_members(data, max_rows=20_000).records) == 20_000


def test_a_flood_of_blank_rows_is_counted_unparsed_and_refused(loader_spy):
    """300,000 blank rows (5 MB, compressing well under the bomb ratio): each would cost
    openpyxl time and memory though none is a record. Counted exactly across the reads."""
    flood = workbooks.xlsx_with_sheet_xml(
        [workbooks.HEADER_ROW, "".join(f'<row r="{n}"/>' for n in range(2, 300_001))]
    )

    refused = refusal(flood)

    assert refused.code == "too_many_sheet_rows"
    assert refused.params == {"count": 300_000, "limit": tables.MAX_ROW_ELEMENTS}
    assert loader_spy == []


def test_a_flood_of_cells_is_refused_unparsed(monkeypatch, loader_spy):
    monkeypatch.setattr(tables, "MAX_CELL_ELEMENTS", 100)
    within = workbooks.xlsx_with_sheet_xml([workbooks.HEADER_ROW, workbooks.MEMBER_ROW * 49])
    over = workbooks.xlsx_with_sheet_xml([workbooks.HEADER_ROW, workbooks.MEMBER_ROW * 50])

    assert len(read_members(within).records) == 49
    refused = refusal(over)
    assert refused.code == "too_many_sheet_cells"
    assert refused.params == {"count": 102, "limit": 100}
    assert len(loader_spy) == 1  # the file within the limit alone


def test_a_zip_of_too_many_parts_is_refused(loader_spy):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for n in range(tables.MAX_ARCHIVE_PARTS + 1):
            archive.writestr(f"xl/media/{n}.txt", "")

    refused = refusal(buffer.getvalue())

    assert refused.code == "too_many_parts"
    assert loader_spy == []


def test_a_zip_that_understates_its_sizes_is_never_unpacked_past_them(bomb):
    lying = workbooks.sizes_understated(bomb, workbooks.SHEET, 1 * MB)
    assert zipfile.ZipFile(io.BytesIO(lying)).getinfo(workbooks.SHEET).file_size == MB
    tracemalloc.start()
    try:
        refused = refusal(lying)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()

    assert refused.code == "unreadable"  # its CRC fails at the declared end
    assert peak < 20 * MB


def test_a_csv_over_the_limit_is_refused_unread(tmp_path, monkeypatch):
    path = tmp_path / "roster.csv"
    path.write_text("姓名,身份证号\n" + "张三,50010119900101123X\n" * 1000, encoding="utf-8")
    monkeypatch.setattr(Path, "read_bytes", lambda self: pytest.fail("the file was read"))

    with pytest.raises(TableError) as refused:
        table_read(path, MEMBER_COLUMNS, max_rows=10, max_unpacked_bytes=1000)

    assert refused.value.code == "too_large"
    assert refused.value.params["limit"] == "1 KB"  # 1000 bytes, rounded


def test_an_xls_over_its_limit_is_refused_before_xlrd_reads_it(monkeypatch):
    workbook = xlwt.Workbook(encoding="utf-8")
    sheet = workbook.add_sheet("花名册")
    for column, text in enumerate(["姓名", "身份证号"]):
        sheet.write(0, column, text)
    data = xls_bytes(workbook)
    monkeypatch.setattr(tables, "MAX_XLS_BYTES", len(data) - 1)
    monkeypatch.setattr(tables.xlrd, "open_workbook", lambda **_: pytest.fail("xlrd read it"))

    refused = refusal(data)

    assert refused.code == "xls_too_large"


def test_sheet_xml_declaring_entities_is_refused_by_defusedxml():
    """openpyxl parses through defusedxml: no entity (billion laughs, external files)."""
    prolog = '<?xml version="1.0"?><!DOCTYPE worksheet [<!ENTITY who "张三">]>'
    hostile = workbooks.xlsx_with_sheet_xml(
        [workbooks.HEADER_ROW, workbooks.row("&who;", ID_MAN)], prolog=prolog
    )
    plain = workbooks.xlsx_with_sheet_xml([workbooks.HEADER_ROW, workbooks.row("张三", ID_MAN)])

    assert read_members(plain).records[0].get("name") == "张三"
    assert refusal(hostile).code == "unreadable"


def test_too_many_rows_is_refused_while_streaming_never_after_reading_all():
    """Forty members, a megabyte of comment, then the XML cut off: a reader that holds every
    row before counting finds the cut; one counting while it reads stops long before."""
    noise = "".join(random.Random(7).choices("abcdefghijklmnopqrstuvwxyz", k=MB))
    padding = f"<!--{noise}-->"  # past the parser's first reads (and no bomb: noise)
    cut = workbooks.xlsx_with_sheet_xml(
        [workbooks.HEADER_ROW, workbooks.MEMBER_ROW * 40, padding, "<row><c t=", None]
    )

    assert refusal(cut, max_rows=50).code == "unreadable"  # read to the end: the cut
    refused = refusal(cut, max_rows=35)
    assert refused.code == "too_many_rows"
    assert refused.detail == "35"


def test_too_many_csv_rows_are_refused_while_streaming():
    overlong = "x" * (tables.MAX_CSV_LINE_CHARS + 1)
    data = ("姓名,身份证号\n" + "张三,1\n" * 40 + overlong + "\n").encode()

    assert refusal(data, max_rows=50).code == "not_a_table"  # read to the overlong line
    assert refusal(data, max_rows=35).code == "too_many_rows"


def test_old_mac_line_ends_are_lines():
    text = "姓名,身份证号\r张三,50010119900101123X\r李四,500101199001011248\r"

    records = read_members(text.encode()).records

    assert [(r.row_number, r.get("name")) for r in records] == [(2, "张三"), (3, "李四")]


@pytest.mark.parametrize(
    ("size", "text"),
    [(630 * MB, "630 MB"), (50 * MB, "50 MB"), (int(12.5 * MB), "12.5 MB"), (273 * 1024, "273 KB")],
)
def test_size_text(size, text):
    assert tables.size_text(size) == text
